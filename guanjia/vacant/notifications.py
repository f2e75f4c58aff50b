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
register_event(
    "vacant.storm_checks",
    label=_("Vacant units to check after a storm"),
    subject=_("Check the vacant units after {{ storm }} by {{ check_by }}"),
    body=_(
        "{{ storm }} is over ({{ community }}): check every vacant unit of your zones by "
        "{{ check_by }} (doors and windows, leaks, damp)."
    ),
    default_channels=(Channel.INBOX,),
)
