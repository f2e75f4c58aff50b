"""Leave (请假, spec §22): asked in advance, approved by length (supervisor, director, company
HR: `att.leave_*_max_days`); sick leave with a certificate; the annual leave allowance."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import ApprovalFields, WorkflowEvent

from ._common import is_employee


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")  # 事假
    SICK = "sick", _("Sick leave")  # 病假
    ANNUAL = "annual", _("Annual leave")  # 年假
    MARRIAGE = "marriage", _("Marriage leave")  # 婚假
    MATERNITY = "maternity", _("Maternity leave")  # 产假
    BEREAVEMENT = "bereavement", _("Bereavement leave")  # 丧假
    BUSINESS = "business", _("Business out")  # 公出


class LeaveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REQUESTED = "requested", _("Awaiting approval")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


L = LeaveStatus
LEAVE_MOVES: dict[str, frozenset[str]] = {
    L.DRAFT: frozenset({L.REQUESTED}),
    L.REQUESTED: frozenset({L.APPROVED, L.REJECTED}),
    L.APPROVED: frozenset(),
    L.REJECTED: frozenset(),
}
# Leave that holds its days: an overlapping request is refused against these.
HOLDING = (L.REQUESTED, L.APPROVED)


class Leave(ApprovalFields, TimeStampedModel):
    """A leave request (请假单): whole days from `starts_on` to `ends_on`, both included."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=LeaveKind)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    days = models.PositiveSmallIntegerField(_("days"))
    explanation = models.CharField(_("reason for the leave"), max_length=500)
    attachment = models.FileField(
        _("attachment"), upload_to=RandomName("attendance/leave"), blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=L, default=L.DRAFT)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["-starts_on", "-pk"]
        permissions = [
            ("approve_leave", _("Can approve short leave")),
            ("approve_long_leave", _("Can approve leave up to the director's limit")),
            ("approve_any_leave", _("Can approve leave of any length")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="leave_ends_after_start",
                violation_error_message=_("Leave cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=L.values),
                name="leave_known_status",
                violation_error_message=_("Unknown leave status."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="leave_by_status"),
            models.Index(fields=["employee", "starts_on"], name="leave_by_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("attendance:leave-detail", args=[self.pk])


class LeaveEvent(WorkflowEvent):
    statuses = dict(LeaveStatus.choices)

    leave = models.ForeignKey(
        Leave, on_delete=models.PROTECT, related_name="events", verbose_name=_("leave")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("leave event")
        verbose_name_plural = _("leave events")


def approval_perm(leave: Leave) -> str:
    """The permission whose holders decide this leave: by its length (spec §22, §26)."""
    from guanjia.core.policies.selectors import policy

    if leave.days <= policy(leave.community, "att.leave_supervisor_max_days"):
        return "attendance.approve_leave"
    if leave.days <= policy(leave.community, "att.leave_director_max_days"):
        return "attendance.approve_long_leave"
    return "attendance.approve_any_leave"


def _may_decide(user: Any, leave: Leave) -> bool:
    return (
        bool(user)
        and user.pk != leave.employee_id
        and has_perm_in(user, approval_perm(leave), leave.community_id)
    )


workflows.register(
    Leave,
    workflows.Transitions(
        moves=LEAVE_MOVES,
        event_model=LeaveEvent,
        event_object="leave",
        actor=is_employee,
        approval=workflows.Approvals(
            requested=L.REQUESTED, approved=L.APPROVED, rejected=L.REJECTED, may_decide=_may_decide
        ),
    ),
)


class LeaveAllowance(TimeStampedModel):
    """The annual leave days an employee is given for a year (set by HR)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    days = models.PositiveSmallIntegerField(_("annual leave days"))

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual leave allowance")
        verbose_name_plural = _("annual leave allowances")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year"],
                name="allowance_once_a_year",
                violation_error_message=_("This person already has an allowance for this year."),
            )
        ]
