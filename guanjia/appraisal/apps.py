from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "guanjia.appraisal"
    label = "appraisal"
    verbose_name = _("Appraisal")
    default_auto_field = "django.db.models.BigAutoField"
