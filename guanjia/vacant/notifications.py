"""The vacant units' notification events."""

from django.utils.translation import gettext_lazy as _

from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.services import Channel

register_event(
    "vacant.problem_found",
    label=_("A problem was found in a vacant unit"),
    subject=_("{{ room }}: a problem found in your vacant unit"),
    body=_(
        "The inspection of {{ room }} ({{ community }}) found: {{ problems }}. "
        "{% if repair %}Repair {{ repair }} is open. {% endif %}The management office"
    ),
    default_channels=(Channel.SMS,),
)
