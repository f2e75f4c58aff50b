from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guanjia.core"
    label = "core"
    verbose_name = _("Core")
    # Permissions each role holds on this app's models; collected by accounts.sync_roles().
    role_permissions: dict[str, list[str]] = {
        "admin": ["core.add_community", "core.change_community", "core.view_community"],
    }
