"""The tickets app's notification events."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.services import Channel

BOTH = (Channel.INBOX, Channel.SMS)

register_event(
    "ticket.deadline_warning",
    label=_("A ticket deadline is near"),
    subject=_("{{ number }}: {{ deadline }} due at {{ due }}"),
    body=_("{{ number }} ({{ summary }}) must meet its {{ deadline }} by {{ due }}."),
    default_channels=BOTH,
)
register_event(
    "ticket.deadline_breached",
    label=_("A ticket deadline was missed"),
    subject=_("{{ number }}: {{ deadline }} missed"),
    body=_("{{ number }} ({{ summary }}) missed its {{ deadline }}, due at {{ due }}."),
    default_channels=BOTH,
)
register_event(
    "complaint.escalated",
    label=_("A complaint became major"),
    subject=_("Complaint {{ number }} is now major"),
    body=_("Complaint {{ number }} ({{ summary }}) was not resolved in time and is now major."),
    default_channels=BOTH,
)
register_event(
    "repair.dispatched",
    label=_("A repair was dispatched"),
    subject=_("Repair {{ number }} was dispatched to you"),
    body=_("{{ place }}: {{ summary }}. Arrive by {{ due }}."),
    default_channels=BOTH,
)
