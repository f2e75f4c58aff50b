from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ViolationsConfig(AppConfig):
    name = "guanjia.violations"
    label = "violations"
    verbose_name = _("Violations")
    default_auto_field = "django.db.models.BigAutoField"
