from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassesConfig(AppConfig):
    name = "guanjia.passes"
    label = "passes"
    verbose_name = _("Passes")
    default_auto_field = "django.db.models.BigAutoField"
