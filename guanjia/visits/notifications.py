"""The visits app's notification events."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.services import Channel

BOTH = (Channel.INBOX, Channel.SMS)

register_event(
    "visit.dissatisfied",
    label=_("A resident was dissatisfied at a follow-up visit"),
    subject=_("{{ kind }} {{ number }}: dissatisfied at the follow-up visit"),
    body=_("{{ kind }} {{ number }} was reopened: {{ comments }}"),
    default_channels=BOTH,
)
register_event(
    "visit.dissatisfied_again",
    label=_("A resident was dissatisfied at a second follow-up visit"),
    subject=_("{{ kind }} {{ number }}: dissatisfied again, for the director"),
    body=_("{{ kind }} {{ number }} was dissatisfied at a second visit: {{ comments }}"),
    default_channels=BOTH,
)
register_event(
    "visit.survey",
    label=_("The satisfaction survey's link to a household"),
    subject=_("{{ community }}: {{ title }}"),
    body=_(
        "{{ community }} asks for your opinion: {{ title }}. Answer on your phone until "
        "{{ until }}: {{ link }}"
    ),
    default_channels=(Channel.SMS, Channel.WECHAT),
)
