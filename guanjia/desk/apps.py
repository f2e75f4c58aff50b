from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem

_KEYS_VIEW = ["desk.view_key", "desk.view_keyloan"]
_KEYS_WORK = ["desk.add_key", "desk.change_key", "desk.add_keyloan", "desk.add_keycollector"]
_OVERNIGHT = "desk.approve_key_overnight"
_PARCELS_VIEW = ["desk.view_parcel"]
_PARCELS_WORK = ["desk.add_parcel", "desk.change_parcel"]
_HANDOVER = ["desk.view_handover", "desk.add_handover", "desk.view_post"]
_REPORTS = ["desk.view_handover", "desk.view_handover_reports", "desk.view_post"]
_POSTS = ["desk.add_post", "desk.add_instruction"]
_FOUND_VIEW = ["desk.view_founditem"]
_NOTICES = ["desk.view_notice", "desk.add_notice"]
_APPROVE_NOTICE = "desk.approve_notice"
_FOUND_WORK = ["desk.add_founditem", "desk.change_founditem"]


def _nav(section: Any, label: Any, url_name: str, perm: str, order: int) -> NavItem:
    return NavItem(section, label, url_name, perm, order)


class DeskConfig(AppConfig):
    name = "guanjia.desk"
    label = "desk"
    verbose_name = _("Front desk")
    default_auto_field = "django.db.models.BigAutoField"

    # Spec §26: handover log C U by the desk, the cashier and security posts, R by the
    # supervisor and director; keys C U by the desk and area managers, approved (overnight)
    # by the supervisor; mail by the desk (and the control room after hours).
    role_permissions: dict[str, list[str]] = {
        "receptionist": [
            *_KEYS_VIEW,
            *_KEYS_WORK,
            *_PARCELS_VIEW,
            *_PARCELS_WORK,
            *_HANDOVER,
            *_FOUND_VIEW,
            *_FOUND_WORK,
            *_NOTICES,
        ],
        "area_manager": [*_KEYS_VIEW, *_KEYS_WORK, *_NOTICES],
        "supervisor": [
            *_KEYS_VIEW,
            _OVERNIGHT,
            *_PARCELS_VIEW,
            *_REPORTS,
            *_POSTS,
            *_FOUND_VIEW,
            *_NOTICES,
            _APPROVE_NOTICE,
        ],
        "director": [
            *_KEYS_VIEW,
            _OVERNIGHT,
            *_PARCELS_VIEW,
            *_REPORTS,
            *_POSTS,
            *_FOUND_VIEW,
            *_NOTICES,
            _APPROVE_NOTICE,
        ],
        "cashier": _HANDOVER,
        "security": [
            *_FOUND_VIEW,
            "desk.add_founditem",
            *_KEYS_VIEW,
            "desk.add_keyloan",
            *_PARCELS_VIEW,
            "desk.add_parcel",
            *_HANDOVER,
        ],
        "auditor": [*_KEYS_VIEW, *_PARCELS_VIEW, *_REPORTS],
    }
    nav_items = [
        _nav(_("Front desk"), _("Desk console"), "desk:console", "desk.view_parcel", 20),
        _nav(_("Front desk"), _("Keys"), "desk:key-list", "desk.view_key", 21),
        _nav(_("Front desk"), _("Mail and parcels"), "desk:parcel-list", "desk.view_parcel", 22),
        _nav(_("Front desk"), _("Shift handover"), "desk:handover-list", "desk.view_handover", 23),
        _nav(_("Front desk"), _("Posts and shifts"), "desk:post-list", "desk.view_post", 24),
        _nav(_("Front desk"), _("Lost and found"), "desk:found-list", "desk.view_founditem", 25),
        _nav(_("Front desk"), _("Notices"), "desk:notice-list", "desk.view_notice", 26),
    ]

    def ready(self) -> None:
        from guanjia.core.files.registry import register_file

        from . import announcements, workbench
        from .models import FoundItem, Handover, KeyLoan, Parcel
        from .selectors import register_desk_sections

        announcements.register()  # who is told of a handover to take or refused, a notice
        workbench.register()  # what waits for whom on the home page
        register_desk_sections()
        register_file(KeyLoan, "out_signature", perm="desk.view_keyloan")
        register_file(KeyLoan, "return_signature", perm="desk.view_keyloan")
        register_file(Parcel, "signature", perm="desk.view_parcel")
        register_file(FoundItem, "claim_signature", perm="desk.view_founditem")
        register_file(Handover, "outgoing_signature", perm="desk.view_handover")
        register_file(Handover, "incoming_signature", perm="desk.view_handover")
        # The desk's permissions exist once its own post_migrate ran: grant them then.
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from guanjia.accounts.services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))
