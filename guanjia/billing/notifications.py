"""The billing app's notification events, and who hears of a fee-standard proposal."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanjia.accounts.models import Membership, User
from guanjia.core.models import Community
from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.services import Channel

register_event(
    "billing.standard_proposed",
    label=_("A fee standard or rate awaits approval"),
    subject=_("To approve: {{ what }}"),
    body=_(
        "{{ proposed_by }} proposed {{ what }} in {{ community }}. Please approve or reject it."
    ),
    default_channels=(Channel.INBOX,),
)
register_event(
    "billing.standard_decided",
    label=_("A fee standard or rate you proposed was decided"),
    subject=_("{{ what }}: {{ decision }}"),
    body=_("{{ decided_by }} decided on {{ what }} in {{ community }}: {{ decision }}. {{ note }}"),
    default_channels=(Channel.INBOX,),
)


def standard_approvers(community: Community, *, proposer: User | None) -> QuerySet[User]:
    """Active staff holding billing.approve_standard in the community (company-wide roles
    included), the proposer left out: they may not approve their own proposal."""
    holders = Membership.objects.active_on().filter(
        Q(community=community) | Q(community__isnull=True, user__company=community.company_id),
        role__permissions__content_type__app_label="billing",
        role__permissions__codename="approve_standard",
    )
    users = User.objects.filter(is_active=True, pk__in=holders.values("user_id"))
    if proposer is not None:
        users = users.exclude(pk=proposer.pk)
    result: QuerySet[User] = users.order_by("pk")
    return result
