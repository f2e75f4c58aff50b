"""Plans, patrols and what a patrol records (巡查记录表, spec §12): the checkpoints scanned,
each checklist line OK or not, findings with photos, residents met, spot checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Unit, Zone

from .checkpoints import ChecklistItem, Checkpoint, CheckpointKind

USER = settings.AUTH_USER_MODEL


class PlanTemplate(TimeStampedModel):
    """A reusable shape of a month's plan: which checkpoint types, how often, the focus."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    name = models.CharField(_("name"), max_length=60)
    kinds = models.JSONField(_("checkpoint types"), default=list)
    per_day = models.PositiveSmallIntegerField(_("patrols per working day"), null=True, blank=True)
    focus = models.CharField(_("focus"), max_length=300, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="plantemplate_unique_name",
                violation_error_message=_("A template with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("patrols:plan-list")

    def kind_labels(self) -> list[str]:
        names = dict(CheckpointKind.choices)
        return [str(names.get(kind, kind)) for kind in self.kinds]


class PatrolPlan(TimeStampedModel):
    """One zone's plan for one month: its route, how often, what to look at closely."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    per_day = models.PositiveSmallIntegerField(_("patrols per working day"))
    full_inspection_days = models.PositiveSmallIntegerField(
        _("full inspection of each building every")
    )
    focus = models.CharField(_("focus"), max_length=300, blank=True)
    route = models.ManyToManyField(Checkpoint, through="PlanStop", related_name="+")
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["-month", "zone_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "month"],
                name="patrolplan_one_per_zone_month",
                violation_error_message=_("This zone already has a plan for this month."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="patrolplan_month_first_day"),
        ]
        indexes = [models.Index(fields=["community", "month"], name="patrolplan_by_month")]

    def __str__(self) -> str:
        return f"{self.zone} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:plan-detail", args=[self.pk])


class PlanStop(models.Model):
    """One checkpoint of a plan's route, in walking order."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="stops")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("route stop")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "checkpoint"], name="planstop_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.checkpoint}"


class PatrolKind(models.TextChoices):
    ROUTINE = "routine", _("Routine")  # 日常巡查
    SPECIAL = "special", _("After a storm alert")  # 风雨后专项巡查


class PatrolStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")  # 待巡查
    IN_PROGRESS = "in_progress", _("In progress")  # 巡查中
    DONE = "done", _("Done")  # 已完成
    MISSED = "missed", _("Missed")  # 未巡查


PATROL_MOVES: dict[str, frozenset[str]] = {
    PatrolStatus.PLANNED: frozenset({PatrolStatus.IN_PROGRESS, PatrolStatus.MISSED}),
    PatrolStatus.IN_PROGRESS: frozenset({PatrolStatus.DONE, PatrolStatus.MISSED}),
    PatrolStatus.DONE: frozenset(),
    PatrolStatus.MISSED: frozenset(),
}
OPEN_PATROL_STATUSES = (PatrolStatus.PLANNED, PatrolStatus.IN_PROGRESS)


class Patrol(TimeStampedModel):
    """One walk of a zone on one day (planned from the month's plan, or special)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone")
    )
    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="patrols"
    )
    kind = models.CharField(
        _("type"), max_length=10, choices=PatrolKind, default=PatrolKind.ROUTINE
    )
    day = models.DateField(_("day"))
    round = models.PositiveSmallIntegerField(_("round of the day"), default=1)
    patroller = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patroller"),
    )
    # The buildings whose floors and roofs are walked on this patrol (full inspection).
    full_buildings = models.JSONField(_("buildings fully inspected"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PatrolStatus, default=PatrolStatus.PLANNED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    missed_reason = models.CharField(_("why missed"), max_length=300, blank=True)
    remarks = models.TextField(_("remarks"), max_length=2000, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-day", "zone_id", "round"]
        permissions = [
            ("walk_patrol", _("Can walk a zone patrol")),
            ("review_patrol", _("Can review patrols and spot check them")),
            ("view_patrol_kpis", _("Can view the patrol KPIs")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PatrolStatus.values), name="patrol_known_status"
            ),
            models.UniqueConstraint(
                fields=["zone", "day", "round"],
                condition=Q(kind="routine"),
                name="patrol_one_routine_round_a_day",
                violation_error_message=_("This zone already has this patrol on this day."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "day", "status"], name="patrol_by_day_status"),
            models.Index(fields=["patroller", "day"], name="patrol_by_patroller_day"),
            models.Index(fields=["status", "day"], name="patrol_by_status_day"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.day:%Y-%m-%d} #{self.round}"

    def get_absolute_url(self) -> str:
        return reverse("patrols:patrol-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PATROL_STATUSES


class PatrolEvent(WorkflowEvent):
    """One step of a patrol (planned, started, submitted, missed)."""

    statuses = dict(PatrolStatus.choices)
    patrol = models.ForeignKey(Patrol, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("patrol event")
        verbose_name_plural = _("patrol events")


def walks_patrol(user: Any, patrol: Patrol, day: dt.date | None = None) -> bool:
    """The patrol's own patroller, or whoever acts as the zone's area manager on its day."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not has_perm_in(user, "patrols.walk_patrol", patrol.community_id):
        return False
    if patrol.patroller_id == user.pk:
        return True
    zone = patrol.zone
    return user.pk in zone.managers_on(day or patrol.day)


def _may_walk(user: Any, patrol: Patrol) -> bool:
    return walks_patrol(user, patrol)


def _may_miss(user: Any, patrol: Patrol) -> bool:
    """The end-of-day job (no user), or the supervisor."""
    return user is None or has_perm_in(user, "patrols.review_patrol", patrol.community_id)


workflows.register(
    Patrol,
    workflows.Transitions(
        moves=PATROL_MOVES,
        event_model=PatrolEvent,
        event_object="patrol",
        actor=_may_walk,
        actors={PatrolStatus.MISSED: _may_miss},
    ),
)


class CheckpointResult(models.Model):
    """A checkpoint scanned on a patrol (proof of presence with time) and its overall result."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    patrol = models.ForeignKey(Patrol, on_delete=models.PROTECT, related_name="results")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    scanned_at = models.DateTimeField(_("scanned at"))
    typed = models.BooleanField(_("code typed"), default=False)
    issues = models.PositiveSmallIntegerField(_("issues"), default=0)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint result")
        ordering = ["scanned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patrol", "checkpoint"],
                name="checkpointresult_once_a_patrol",
                violation_error_message=_("This checkpoint was already scanned on this patrol."),
            )
        ]
        indexes = [models.Index(fields=["community", "day"], name="cpresult_by_day")]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.scanned_at:%Y-%m-%d %H:%M}"


class ItemResult(models.Model):
    """One checklist line at one scanned checkpoint: OK, or an issue (then a finding)."""

    result = models.ForeignKey(CheckpointResult, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    ok = models.BooleanField(_("OK"))

    class Meta:
        verbose_name = _("checklist result")
        constraints = [models.UniqueConstraint(fields=["result", "item"], name="itemresult_once")]

    def __str__(self) -> str:
        return f"{self.item}: {'OK' if self.ok else '✗'}"


class FindingOrigin(models.TextChoices):
    PATROL = "patrol", _("Found on patrol")
    RESIDENT = "resident", _("Reported by a resident")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")  # 待处理
    ACTION = "action", _("Action under way")  # 处理中
    CLOSED = "closed", _("Closed")  # 已关闭


FINDING_MOVES: dict[str, frozenset[str]] = {
    FindingStatus.OPEN: frozenset({FindingStatus.ACTION, FindingStatus.CLOSED}),
    FindingStatus.ACTION: frozenset({FindingStatus.CLOSED}),
    FindingStatus.CLOSED: frozenset(),
}


class Finding(TimeStampedModel):
    """An issue found on a patrol, followed until the action taken on it closes."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    patrol = models.ForeignKey(
        Patrol, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone")
    )
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checkpoint"),
    )
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checklist line"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=FindingOrigin, default=FindingOrigin.PATROL
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    description = models.TextField(_("description"), max_length=2000)
    found_on = models.DateField(_("found on"))
    found_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=FindingStatus, default=FindingStatus.OPEN
    )
    action_kind = models.CharField(_("action"), max_length=20, blank=True)
    action_ref = models.CharField(_("action reference"), max_length=40, blank=True)
    action_id = models.BigIntegerField(null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FindingStatus.values), name="finding_known_status"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "found_on"], name="finding_by_status"),
            models.Index(fields=["action_kind", "action_id"], name="finding_by_action"),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("patrols:finding-detail", args=[self.pk])


class FindingEvent(WorkflowEvent):
    statuses = dict(FindingStatus.choices)
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("finding event")
        verbose_name_plural = _("finding events")


def _may_act(user: Any, finding: Finding) -> bool:
    return user is None or has_perm_in(user, "patrols.change_finding", finding.community_id)


workflows.register(
    Finding,
    workflows.Transitions(
        moves=FINDING_MOVES, event_model=FindingEvent, event_object="finding", actor=_may_act
    ),
)


class FindingPhoto(TimeStampedModel):
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("patrols/findings"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("finding photo")
        ordering = ["pk"]


class ResidentTalk(TimeStampedModel):
    """A resident met on the way and what they said."""

    patrol = models.ForeignKey(Patrol, on_delete=models.PROTECT, related_name="talks")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("resident"), max_length=50, blank=True)
    said = models.TextField(_("what they said"), max_length=1000)

    class Meta:
        verbose_name = _("resident met")
        ordering = ["pk"]


class SpotCheck(TimeStampedModel):
    """The supervisor's or director's check of a patrol (went to see the route themselves)."""

    patrol = models.ForeignKey(Patrol, on_delete=models.PROTECT, related_name="spot_checks")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField(_("the record matches what was seen"))
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("spot check")
        ordering = ["pk"]


class WeeklyReview(TimeStampedModel):
    """The supervisor's weekly review of the patrols and the open findings."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    week = models.DateField(_("week starting"))
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    done = models.PositiveIntegerField(_("patrols done"))
    planned = models.PositiveIntegerField(_("patrols planned"))
    open_findings = models.PositiveIntegerField(_("open findings"))
    note = models.TextField(_("review"), max_length=2000)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly review")
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "week"],
                name="weeklyreview_once_a_week",
                violation_error_message=_("This week is already reviewed."),
            )
        ]
