"""Policy proposals waiting for the user's decision, on the workbench (docs/workbench.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import get_access
from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import PolicyProposal, ProposalStatus
from .registry import Domain, Scope, all_specs
from .selectors import COMPANY_PERM, DOMAIN_PERMS


def _decidable(q: TaskQuery) -> QuerySet[PolicyProposal]:
    """Open proposals of the community (and of the company) whose key the user may set, not
    their own: the rule of `selectors.can_decide_proposal`, as one filter."""
    access = get_access(q.user)
    specs = all_specs()
    here = [
        s.key
        for s in specs
        if s.scope != Scope.COMPANY and access.has_perm(DOMAIN_PERMS[s.domain], q.community.pk)
    ]
    company_wide = access.is_superuser or COMPANY_PERM in access.company_perms
    company = [
        s.key
        for s in specs
        if company_wide
        or (
            s.domain != Domain.OPERATIONS
            and (access.is_superuser or DOMAIN_PERMS[s.domain] in access.company_perms)
        )
    ]
    scope = Q(community=q.community, key__in=here) | Q(
        community__isnull=True, company_id=q.community.company_id, key__in=company
    )
    return (
        PolicyProposal.objects.filter(scope, status=ProposalStatus.PROPOSED)
        .exclude(proposed_by=q.user)
        .select_related("community")
    )


def _title(proposal: PolicyProposal) -> str:
    return f"{proposal.key} → {proposal.value}"


def register() -> None:
    register_task(
        TaskKind(
            code="policies.proposal",
            label=_("Policy changes to decide"),
            perm=(COMPANY_PERM, *DOMAIN_PERMS.values()),
            items=_decidable,
            title=_title,
            link=lambda p: reverse("policies:proposals") + "?status=proposed",
            list_url=lambda q: reverse("policies:proposals") + "?status=proposed",
            order=60,
        )
    )


__all__: list[Any] = ["register"]
