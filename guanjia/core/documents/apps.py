from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem


class DocumentsConfig(AppConfig):
    name = "guanjia.core.documents"
    label = "documents"
    verbose_name = _("Documents")
    # The contact sheet needs no permission: every staff member of a community may print it.
    role_permissions: dict[str, list[str]] = {
        "admin": [
            "documents.add_letterhead",
            "documents.change_letterhead",
            "documents.view_letterhead",
        ],
    }
    nav_items = [
        NavItem(
            _("Documents"),  # lazy: translated when the menu is drawn
            _("Contact sheet"),
            "documents:contact-sheet",
            None,
            800,
        )
    ]
