from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "guanjia.core.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from . import announcements, workbench

        workbench.register()  # the user's checked imports waiting to be confirmed
        announcements.register()  # the uploader is told when someone else handled it
