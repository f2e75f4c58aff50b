from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "guanjia.conduct"
    label = "conduct"
    verbose_name = _("Conduct")
    default_auto_field = "django.db.models.BigAutoField"
