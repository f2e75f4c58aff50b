import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem


class AccountsConfig(AppConfig):
    name = "guanjia.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    role_permissions: dict[str, list[str]] = {
        "admin": [
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.add_membership",
            "accounts.change_membership",
            "accounts.view_membership",
            "accounts.unlock_user",
            "accounts.view_rolegrantrequest",
            "accounts.approve_rolegrantrequest",
        ],
        "director": ["accounts.view_user", "accounts.view_membership"],
        "supervisor": ["accounts.view_user", "accounts.view_membership"],
        "hr": ["accounts.view_user", "accounts.view_membership"],
        "auditor": ["accounts.view_user", "accounts.view_membership"],
    }

    nav_items = [
        NavItem(
            _("System"),  # type: ignore[arg-type]  # lazy: translated when the menu is drawn
            _("Staff"),  # type: ignore[arg-type]
            "accounts:staff-list",
            "accounts.view_user",
            850,
        ),
        NavItem(
            _("System"),  # type: ignore[arg-type]  # lazy: translated when the menu is drawn
            _("Role grants to approve"),  # type: ignore[arg-type]
            "accounts:grant-request-list",
            "accounts.approve_rolegrantrequest",
            855,
        ),
        NavItem(
            _("System"),  # type: ignore[arg-type]  # lazy: translated when the menu is drawn
            _("Login lockouts"),  # type: ignore[arg-type]
            "accounts:lockout-list",
            "accounts.unlock_user",
            860,
        ),
    ]
    # Core's access interface (guanjia.core.access): accounts resolves memberships for it.
    access_provider = "guanjia.accounts.access.AccountsAccess"
    importers = ["guanjia.accounts.importers.StaffImporter"]
    exporters = ["guanjia.accounts.importers.StaffExporter"]

    def ready(self) -> None:
        from guanjia.core.jobs.registry import schedule

        # Expired API tokens no longer authenticate; this deletes their rows (docs/security.md).
        schedule(
            "accounts.token_cleanup",
            "guanjia.accounts.services.tokens.delete_expired_tokens_daily",
            minutes=24 * 60,
            at=dt.time(3, 45),
        )
        # Infrastructure, not a business rule: roles (groups) must exist after every migrate
        # or test-database flush, with the permissions the apps declare.
        post_migrate.connect(_sync_roles_after_migrate, sender=self)
        # Django saves the user on every login to set last_login; the save would add a row to
        # the staff history each time. Set it with an UPDATE instead: no history row, no signal.
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_record_last_login, dispatch_uid="guanjia_last_login")


def _record_last_login(sender: Any, user: Any, **kwargs: Any) -> None:
    from django.utils import timezone

    user.last_login = timezone.now()
    type(user).objects.filter(pk=user.pk).update(last_login=user.last_login)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from .services import sync_roles

    sync_roles(using=kwargs.get("using", "default"))
