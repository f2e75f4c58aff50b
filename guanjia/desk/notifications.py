"""The front desk's notification events."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.services import Channel

register_event(
    "desk.parcel_arrived",
    label=_("Mail or a parcel arrived for a household"),
    subject=_("{{ kind }} for {{ room }} at the front desk"),
    body=_(
        "{{ kind }} for {{ addressee }} ({{ room }}), from {{ carrier }}, is at the front desk "
        "({{ community }}). Please collect it with your ID."
    ),
    default_channels=(Channel.SMS,),
)
register_event(
    "desk.handover_refused",
    label=_("A shift handover was refused"),
    subject=_("Handover refused: {{ handover }}"),
    body=_("{{ incoming }} refused to take over {{ handover }} from {{ outgoing }}: {{ reason }}"),
    default_channels=(Channel.INBOX, Channel.SMS),
)
register_event(
    "desk.notice_posted",
    label=_("A notice was posted"),
    subject=_("{{ community }}: {{ title }}"),
    body=_("{{ title }}: {{ body }}"),
    default_channels=(Channel.SMS,),
)
