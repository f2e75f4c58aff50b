from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "guanjia.sanctions"
    label = "sanctions"
    verbose_name = _("Non-resident violations")
    default_auto_field = "django.db.models.BigAutoField"
