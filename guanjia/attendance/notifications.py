"""Attendance's notification events."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.services import Channel

register_event(
    "attendance.absent_in_a_row",
    label=_("An employee was absent several rostered days in a row"),
    subject=_("{{ employee }}: absent {{ days }} days in a row"),
    body=_(
        "{{ employee }} was absent {{ days }} rostered days in a row up to {{ day }}: "
        "the rules treat it as leaving the job; HR decides."
    ),
    default_channels=(Channel.INBOX,),
)
