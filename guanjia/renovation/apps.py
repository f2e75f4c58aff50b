from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenovationConfig(AppConfig):
    name = "guanjia.renovation"
    label = "renovation"
    verbose_name = _("Renovation")
    default_auto_field = "django.db.models.BigAutoField"
