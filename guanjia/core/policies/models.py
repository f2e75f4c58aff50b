"""Policy values (append-only, effective-dated) and proposals to change them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core import workflows
from guanjia.core.models import Community, Company, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

if TYPE_CHECKING:
    from guanjia.core.access import AnyUser, User


class CompanyOrCommunityQuerySet(models.QuerySet):
    """Rows that are a company default (community empty) or belong to one community."""

    def visible_to(self, user: AnyUser) -> CompanyOrCommunityQuerySet:
        """Community rows of the user's communities, and defaults of their companies."""
        from guanjia.core.access import visible_community_ids

        ids = visible_community_ids(user)
        if ids is None:  # superuser: everything
            return self.all()
        companies = Community.objects.filter(pk__in=ids).values("company_id")
        return self.filter(Q(community__in=ids) | Q(community__isnull=True, company__in=companies))


class PolicyValue(TimeStampedModel):
    """One setting of a policy: a company default (no community) or a community override,
    effective from a date. Append-only: a change adds a row, nothing is updated."""

    key = models.CharField(_("key"), max_length=80)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
        help_text=_("Empty for the company default."),
    )
    value = models.TextField(_("value (JSON)"))
    effective_from = models.DateField(_("effective from"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    proposal = models.OneToOneField(
        "PolicyProposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="result",
        verbose_name=_("proposal"),
    )
    history = HistoricalRecords()

    objects = CompanyOrCommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["key", "effective_from", "pk"]
        permissions = [
            ("change_operations_policy", _("Can change operations policies of a community")),
            ("change_financial_policy", _("Can change financial policies")),
            ("change_hr_policy", _("Can change HR policies")),
            ("change_company_policy", _("Can change company default policies")),
            ("propose_policy", _("Can propose a policy change")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="policyvalue_reason_required",
                violation_error_message=_("Give a reason for the change."),
            ),
        ]
        indexes = [
            models.Index(fields=["company", "key", "effective_from"], name="policyvalue_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


# The whole workflow: any move not listed here is refused.
PROPOSAL_MOVES: dict[str, frozenset[str]] = {
    ProposalStatus.PROPOSED: frozenset({ProposalStatus.APPROVED, ProposalStatus.REJECTED}),
    ProposalStatus.APPROVED: frozenset(),
    ProposalStatus.REJECTED: frozenset(),
}


class PolicyProposal(TimeStampedModel):
    """A supervisor's proposal to change a policy, approved or rejected by someone who may
    set it (spec §26: SUP proposes)."""

    key = models.CharField(_("key"), max_length=80)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
        help_text=_("Empty for the company default."),
    )
    value = models.TextField(_("proposed value (JSON)"))
    effective_from = models.DateField(_("effective from"))
    reason = models.CharField(_("reason"), max_length=500)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = CompanyOrCommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy proposal")
        verbose_name_plural = _("policy proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="policyproposal_status_valid",
                violation_error_message=_("Unknown proposal status."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ProposalStatus.PROPOSED, decided_by__isnull=True)
                    | (
                        ~Q(status=ProposalStatus.PROPOSED)
                        & Q(decided_by__isnull=False, decided_at__isnull=False)
                    )
                ),
                name="policyproposal_decision_recorded",
                violation_error_message=_("A decided proposal records who decided and when."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="policyproposal_reason_required",
                violation_error_message=_("Give a reason for the change."),
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status"], name="policyproposal_open"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.value} ({self.get_status_display()})"

    def next_statuses(self) -> frozenset[str]:
        return PROPOSAL_MOVES[self.status]


class PolicyProposalEvent(WorkflowEvent):
    """One move of a proposal: who, when, from which status to which, and the note."""

    statuses = dict(ProposalStatus.choices)

    proposal = models.ForeignKey(
        PolicyProposal, on_delete=models.PROTECT, related_name="events", verbose_name=_("proposal")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


def _may_decide(user: User, proposal: PolicyProposal) -> bool:
    from .selectors import can_decide_proposal

    return can_decide_proposal(user, proposal)


def _may_propose(user: User, proposal: PolicyProposal) -> bool:
    from .selectors import can_propose_policy

    return can_propose_policy(user, proposal.community)


workflows.register(
    PolicyProposal,
    workflows.Transitions(
        moves=PROPOSAL_MOVES,
        event_model=PolicyProposalEvent,
        event_object="proposal",
        actor=_may_decide,
        actors={ProposalStatus.PROPOSED: _may_propose},
        approval=workflows.Approvals(
            requested=ProposalStatus.PROPOSED,
            approved=ProposalStatus.APPROVED,
            rejected=ProposalStatus.REJECTED,
            may_decide=_may_decide,
            fields=workflows.ApprovalFieldNames(
                requested_by="proposed_by",
                requested_at=None,
                decision=None,
                reason="decision_note",
                reference=None,
                amount=None,
            ),
        ),
    ),
)
