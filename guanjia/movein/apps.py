from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoveInConfig(AppConfig):
    name = "guanjia.movein"
    label = "movein"
    verbose_name = _("Move-in")
    default_auto_field = "django.db.models.BigAutoField"
