from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacantConfig(AppConfig):
    name = "guanjia.vacant"
    label = "vacant"
    verbose_name = _("Vacant units")
    default_auto_field = "django.db.models.BigAutoField"
