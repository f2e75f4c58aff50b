from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "guanjia.patrols"
    label = "patrols"
    verbose_name = _("Zone patrols")
    default_auto_field = "django.db.models.BigAutoField"
