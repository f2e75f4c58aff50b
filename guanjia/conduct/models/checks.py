"""Spot checks (日检/周检/月检, spec §07, §24): an inspector ticks each standard pass or fail
for one employee on duty, with a note or a photo; the employee acknowledges or refuses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import communities_with_perm, get_access, has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

from .standards import StandardItem, StandardKind

USER = settings.AUTH_USER_MODEL
VIEW_CHECKS = "conduct.view_spotcheck"
MAKE_CHECKS = "conduct.add_spotcheck"


class Cadence(models.TextChoices):
    DAILY = "daily", _("Daily check")  # 日检
    WEEKLY = "weekly", _("Weekly check")  # 周检
    MONTHLY = "monthly", _("Monthly check")  # 月检


class CheckStatus(models.TextChoices):
    OPEN = "open", _("Being checked")  # 检查中
    SUBMITTED = "submitted", _("Awaiting the employee")  # 待员工确认
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")  # 员工已确认
    REFUSED = "refused", _("Refused to sign (recorded)")  # 员工拒签
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


CHECK_MOVES: dict[str, frozenset[str]] = {
    CheckStatus.OPEN: frozenset({CheckStatus.SUBMITTED, CheckStatus.CANCELLED}),
    CheckStatus.SUBMITTED: frozenset({CheckStatus.ACKNOWLEDGED, CheckStatus.REFUSED}),
    CheckStatus.ACKNOWLEDGED: frozenset(),
    CheckStatus.REFUSED: frozenset(),
    CheckStatus.CANCELLED: frozenset(),
}
SIGNED_STATUSES = (CheckStatus.ACKNOWLEDGED, CheckStatus.REFUSED)


class Result(models.TextChoices):
    PASS = "pass", _("Pass")  # 合格
    FAIL = "fail", _("Fail")  # 不合格


class SpotCheckQuerySet(CommunityScopedQuerySet):
    def visible_to(self, user: Any) -> SpotCheckQuerySet:
        """A manager's communities, and one's own checks anywhere (an employee sees only
        their own)."""
        if get_access(user).is_superuser:
            return self.all()
        ids = communities_with_perm(user, VIEW_CHECKS)
        return self.filter(Q(community__in=ids) | Q(employee_id=getattr(user, "pk", None)))


class SpotCheck(TimeStampedModel):
    """One inspection of one employee (服务规范检查表)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    number = models.CharField(_("number"), max_length=30)
    cadence = models.CharField(_("check"), max_length=10, choices=Cadence)
    employee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    inspector = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    post = models.CharField(_("post"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=CheckStatus, default=CheckStatus.OPEN
    )
    failures = models.PositiveSmallIntegerField(_("failed items"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    statement = models.CharField(_("employee's statement"), max_length=500, blank=True)
    refusal_noted_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refusal noted by"),
    )

    objects = SpotCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CheckStatus.values), name="spotcheck_known_status"
            ),
            models.CheckConstraint(
                condition=Q(cadence__in=Cadence.values), name="spotcheck_known_cadence"
            ),
            models.UniqueConstraint(fields=["community", "number"], name="spotcheck_number"),
        ]
        indexes = [
            models.Index(fields=["community", "status", "created_at"], name="spotcheck_by_status"),
            models.Index(fields=["employee", "created_at"], name="spotcheck_by_employee"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("conduct:check-detail", args=[self.pk])


class SpotCheckItem(TimeStampedModel):
    """One line of a check: the standard as it read that day, pass or fail, a note, a photo."""

    check_row = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="items")
    standard = models.ForeignKey(
        StandardItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("list"), max_length=20, choices=StandardKind)
    text = models.CharField(_("item"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    result = models.CharField(_("result"), max_length=4, choices=Result, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.ImageField(_("photo"), upload_to=RandomName("conduct/checks"), blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("spot check item")
        verbose_name_plural = _("spot check items")
        ordering = ["check_row", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=Result.values), name="checkitem_known_result"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SpotCheckEvent(WorkflowEvent):
    """One step of a spot check (opened, submitted, acknowledged or refused)."""

    statuses = dict(CheckStatus.choices)
    check_row = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("spot check event")
        verbose_name_plural = _("spot check events")


def _is_inspector(user: Any, check: SpotCheck) -> bool:
    return user is not None and user.pk == check.inspector_id


def _is_employee(user: Any, check: SpotCheck) -> bool:
    """Only the employee signs their own check: nobody acknowledges for someone else."""
    return user is not None and user.pk == check.employee_id


def _may_note_refusal(user: Any, check: SpotCheck) -> bool:
    """The employee refuses, or an inspector of the community notes their refusal."""
    return _is_employee(user, check) or (
        user is not None and has_perm_in(user, MAKE_CHECKS, check.community_id)
    )


workflows.register(
    SpotCheck,
    workflows.Transitions(
        moves=CHECK_MOVES,
        event_model=SpotCheckEvent,
        event_object="check_row",
        actor=_is_inspector,
        actors={
            CheckStatus.ACKNOWLEDGED: _is_employee,
            CheckStatus.REFUSED: _may_note_refusal,
        },
    ),
)
