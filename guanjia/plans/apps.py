from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "guanjia.plans"
    label = "plans"
    verbose_name = _("Supervisor's plans")
    default_auto_field = "django.db.models.BigAutoField"
