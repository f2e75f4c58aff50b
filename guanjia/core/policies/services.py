"""Every write to policies: set a value, propose a change, approve or reject a proposal."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, Company

from .models import PolicyProposal, PolicyValue
from .registry import PolicySpec, Scope, get_spec
from .selectors import (
    can_propose_policy,
    can_set_policy,
    clear_policy_cache,
    policy_state,
    proposal_deciders,
)

if TYPE_CHECKING:
    from guanjia.core.access import User


def _company_of(company: Company | None, community: Community | None) -> Company:
    if community is not None:
        if company is not None and community.company_id != company.pk:
            raise ValidationError(
                {"community": _("This community belongs to another company.")}, code="company"
            )
        return community.company
    if company is None:
        raise ValidationError({"community": _("Choose a company or a community.")}, code="company")
    return company


def _checked(
    spec: PolicySpec,
    *,
    value: Any,
    community: Community | None,
    effective_from: dt.date,
    reason: str,
) -> tuple[Any, str]:
    """The typed value and the stripped reason; every problem at once, per field."""
    errors: dict[str, list[ValidationError]] = {}
    typed = None
    try:
        typed = spec.clean(value)
    except ValidationError as exc:
        errors["value"] = exc.error_list
    if community is not None and spec.scope == Scope.COMPANY:
        errors["community"] = [
            ValidationError(
                _("This policy is set for the whole company; a community cannot override it."),
                code="company_scope",
            )
        ]
    if effective_from < timezone.localdate():
        errors["effective_from"] = [
            ValidationError(_("The effective date cannot be in the past."), code="past")
        ]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [ValidationError(_("Give a reason for the change."), code="required")]
    if errors:
        raise ValidationError(errors)
    return typed, reason


def _record(
    spec: PolicySpec,
    *,
    typed: Any,
    company: Company,
    community: Community | None,
    effective_from: dt.date,
    reason: str,
    by: User,
    proposal: PolicyProposal | None = None,
) -> PolicyValue:
    row = PolicyValue.objects.create(
        key=spec.key,
        company=company,
        community=community,
        value=spec.to_json(typed),
        effective_from=effective_from,
        set_by=by,
        reason=reason,
        proposal=proposal,
    )
    clear_policy_cache()
    transaction.on_commit(clear_policy_cache)
    return row


@transaction.atomic
def set_policy(
    *,
    key: str,
    value: Any,
    community: Community | None = None,
    company: Company | None = None,
    effective_from: dt.date | None = None,
    reason: str,
    by: User,
) -> PolicyValue:
    """Set the company default (no community) or a community's override of `key` from
    `effective_from` (today when not given). PermissionDenied unless `by` may (spec §26)."""
    spec = get_spec(key)
    company = _company_of(company, community)
    if not can_set_policy(by, spec, community):
        raise PermissionDenied(_("You may not change this policy here."))
    effective_from = effective_from or timezone.localdate()
    typed, reason = _checked(
        spec, value=value, community=community, effective_from=effective_from, reason=reason
    )
    return _record(
        spec,
        typed=typed,
        company=company,
        community=community,
        effective_from=effective_from,
        reason=reason,
        by=by,
    )


@transaction.atomic
def propose_policy(
    *,
    key: str,
    value: Any,
    community: Community | None = None,
    company: Company | None = None,
    effective_from: dt.date | None = None,
    reason: str,
    by: User,
) -> PolicyProposal:
    """Propose a new value for someone who may set it to approve (spec §26: SUP proposes)."""
    spec = get_spec(key)
    company = _company_of(company, community)
    if not can_propose_policy(by, community):
        raise PermissionDenied(_("You may not propose policy changes here."))
    effective_from = effective_from or timezone.localdate()
    typed, reason = _checked(
        spec, value=value, community=community, effective_from=effective_from, reason=reason
    )
    proposal = PolicyProposal.objects.create(
        key=key,
        company=company,
        community=community,
        value=spec.to_json(typed),
        effective_from=effective_from,
        reason=reason,
        proposed_by=by,
    )
    workflows.record_creation(proposal, by=by, note=reason, action="requested")
    _tell_deciders(proposal, spec, new_value=spec.format(typed))
    return proposal


def _tell_deciders(proposal: PolicyProposal, spec: PolicySpec, *, new_value: str) -> None:
    """Each person who may approve gets a notification (inbox now, e-mail after commit)."""
    from guanjia.core.notifications.services import notify

    community = proposal.community
    context = {
        "policy": spec.label,
        "proposed_by": getattr(proposal.proposed_by, "display_name", proposal.proposed_by),
        "scope": community.name if community else _("the company default"),
        "old_value": policy_state(
            community, spec.key, company_id=proposal.company_id
        ).effective_display,
        "new_value": new_value,
    }
    link = reverse("policies:detail", kwargs={"key": spec.key}) + "#proposals"
    for user in proposal_deciders(proposal):
        notify(user, "policy.proposal_submitted", context, community=community, link=link)


def _decide(proposal: PolicyProposal, *, approve: bool, by: User, note: str) -> PolicyProposal:
    """The approval mechanism decides (never the proposer) and records the event; the
    proposal is updated in place."""
    workflows.decide(proposal, approve, by=by, reason=note)
    return proposal


@transaction.atomic
def approve_proposal(*, proposal: PolicyProposal, by: User, note: str = "") -> PolicyValue:
    """Approve: the proposed value takes effect from its date, or today if that has passed."""
    locked = _decide(proposal, approve=True, by=by, note=note.strip())
    spec = get_spec(locked.key)
    effective_from = max(locked.effective_from, timezone.localdate())
    typed, reason = _checked(
        spec,
        value=spec.from_json(locked.value),
        community=locked.community,
        effective_from=effective_from,
        reason=locked.reason,
    )
    return _record(
        spec,
        typed=typed,
        company=locked.company,
        community=locked.community,
        effective_from=effective_from,
        reason=reason,
        by=by,
        proposal=locked,
    )


@transaction.atomic
def reject_proposal(*, proposal: PolicyProposal, by: User, note: str) -> PolicyProposal:
    """Reject with a note saying why; nothing changes in the policy."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the proposal is rejected.")}, code="required")
    return _decide(proposal, approve=False, by=by, note=note)
