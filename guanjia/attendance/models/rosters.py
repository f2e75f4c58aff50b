"""Rosters (排班, spec §22, §06): who works which shift of which post on which day, and the
shift swaps (调班/顶班) the supervisor approves before they happen."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import ApprovalFields, WorkflowEvent
from guanjia.desk.models import Post, Shift

from ._common import is_employee, perm_rule


class RosterEntry(TimeStampedModel):
    """One person on one shift of one post on one day (the roster is the set of entries)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("post")
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="+", verbose_name=_("shift")
    )
    day = models.DateField(_("date"))
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    # Who was rostered before an approved swap moved the entry to `employee`.
    swapped_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rostered before the swap"),
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["day", "shift__starts", "post_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "day", "shift"],
                name="roster_once_per_shift",
                violation_error_message=_("This person is already on this shift that day."),
            )
        ]
        indexes = [
            models.Index(fields=["community", "day"], name="roster_by_day"),
            models.Index(fields=["post", "day"], name="roster_by_post"),
            models.Index(fields=["employee", "day"], name="roster_by_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.post} {self.shift.name}"


class SwapKind(models.TextChoices):
    SWAP = "swap", _("Swap shifts")  # 调班: two people exchange their shifts
    COVER = "cover", _("Cover a shift")  # 顶班: someone else works the shift


class SwapStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REQUESTED = "requested", _("Awaiting the supervisor")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


S = SwapStatus
SWAP_MOVES: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.REQUESTED}),
    S.REQUESTED: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset(),
    S.REJECTED: frozenset(),
}


class ShiftSwap(ApprovalFields, TimeStampedModel):
    """A request to have `entry` worked by `substitute` (covering), or to exchange it with
    the substitute's `other_entry` (swapping); the supervisor approves it beforehand."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=SwapKind)
    entry = models.ForeignKey(
        RosterEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("shift given up")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("substitute"),
    )
    other_entry = models.ForeignKey(
        RosterEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shift taken in exchange"),
    )
    explanation = models.CharField(_("why"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=S, default=S.DRAFT)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_shiftswap", _("Can approve a shift swap"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=S.values),
                name="shiftswap_known_status",
                violation_error_message=_("Unknown swap status."),
            )
        ]
        indexes = [models.Index(fields=["community", "status"], name="swap_by_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entry}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("attendance:swap-detail", args=[self.pk])


class ShiftSwapEvent(WorkflowEvent):
    statuses = dict(SwapStatus.choices)

    swap = models.ForeignKey(
        ShiftSwap, on_delete=models.PROTECT, related_name="events", verbose_name=_("shift swap")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("shift swap event")
        verbose_name_plural = _("shift swap events")


def _may_request(user: Any, swap: Any) -> bool:
    return is_employee(user, swap)


workflows.register(
    ShiftSwap,
    workflows.Transitions(
        moves=SWAP_MOVES,
        event_model=ShiftSwapEvent,
        event_object="swap",
        actor=_may_request,
        approval=workflows.Approvals(
            requested=S.REQUESTED,
            approved=S.APPROVED,
            rejected=S.REJECTED,
            may_decide=perm_rule("attendance.approve_shiftswap"),
        ),
    ),
)
