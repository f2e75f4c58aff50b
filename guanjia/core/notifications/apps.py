from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from guanjia.core.context_processors import NavItem


class NotificationsConfig(AppConfig):
    name = "guanjia.core.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    # The outbox (every outside message and its fate) is for company administrators.
    role_permissions: dict[str, list[str]] = {
        "admin": [
            "notifications.view_outboundmessage",
            "notifications.send_test_message",
        ],
    }
    nav_items = [
        NavItem(
            _("System"),  # lazy: translated when the menu is drawn
            _("Outbox"),
            "notifications:outbox",
            "notifications.view_outboundmessage",
            910,
        )
    ]

    def ready(self) -> None:
        # Declarations, not business rules: the foundation's events, each app's
        # `notifications.py` with its own events, and the retry schedule of the outbox.
        from guanjia.core.jobs.registry import schedule

        from . import registry  # noqa: F401  # registers the foundation's events

        autodiscover_modules("notifications")
        schedule(
            "notifications.retry_outbound",
            "guanjia.core.notifications.services.retry_outbound_messages",
            minutes=5,
        )
