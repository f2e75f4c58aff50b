"""Training sessions (培训签到表, 培训记录, spec §21): who trains whom, when, for how many
hours; the attendees' sign-ins (on a phone, or ticked by the trainer from the printed sheet),
the scanned sheet and the materials; a session moved or cancelled keeps its reason."""

from __future__ import annotations

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

from .plans import TrainingPlan

USER = settings.AUTH_USER_MODEL
MANAGE = "training.add_trainingsession"


class SessionKind(models.TextChoices):
    INDUCTION = "induction", _("Induction")  # 入职/岗前培训
    ON_THE_JOB = "on_the_job", _("On-the-job")  # 在岗培训
    TRANSFER = "transfer", _("Transfer or promotion")  # 转岗/晋升培训
    CASE = "case", _("Case study")  # 案例培训
    EXTERNAL = "external", _("External or certification")  # 外部培训/取证


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")  # 已安排
    HELD = "held", _("Held")  # 已实施
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


SESSION_MOVES: dict[str, frozenset[str]] = {
    SessionStatus.SCHEDULED: frozenset({SessionStatus.HELD, SessionStatus.CANCELLED}),
    SessionStatus.HELD: frozenset(),
    SessionStatus.CANCELLED: frozenset(),
}


class SignMethod(models.TextChoices):
    PHONE = "phone", _("Signed in on a phone")  # 手机签到
    SHEET = "sheet", _("Ticked from the signed sheet")  # 纸质签到表


# The manual's procedures (QW-21-01..24), built-in material of every community (spec §21:
# "the job's work procedures (this manual)"; §07 is the service standards).
MANUAL: tuple[tuple[str, Any], ...] = (
    ("QW-21-01", _("Organisation chart")),
    ("QW-21-02", _("Supervisor work procedure")),
    ("QW-21-03", _("Area manager work procedure")),
    ("QW-21-04", _("Front-desk reception procedure")),
    ("QW-21-05", _("Cashier work procedure")),
    ("QW-21-06", _("Shift handover rules")),
    ("QW-21-07", _("Staff appearance, language and service standards")),
    ("QW-21-08", _("Owner and occupant complaint handling")),
    ("QW-21-09", _("Handover and move-in management")),
    ("QW-21-10", _("Fee collection procedure")),
    ("QW-21-11", _("Occupant violation handling")),
    ("QW-21-12", _("Zone patrol procedure")),
    ("QW-21-13", _("Vacant unit management")),
    ("QW-21-14", _("Customer follow-up visits")),
    ("QW-21-15", _("Repair request management")),
    ("QW-21-16", _("Renovation management procedure")),
    ("QW-21-17", _("Renovation management forms")),
    ("QW-21-18", _("Handling customer calls, visits and letters")),
    ("QW-21-19", _("Handling violations by persons in the community")),
    ("QW-21-20", _("Pass management")),
    ("QW-21-21", _("Staff training implementation")),
    ("QW-21-22", _("Labour discipline")),
    ("QW-21-23", _("Staff rewards and penalties")),
    ("QW-21-24", _("Staff appraisal")),
)
MANUAL_CODES = frozenset(code for code, _title in MANUAL)


class TrainingSession(TimeStampedModel):
    """One session of training (a class, a drill, a supervised day) in a community."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    plan = models.ForeignKey(
        TrainingPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=SessionKind)
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("trainer")
    )
    starts_at = models.DateTimeField(_("starts at"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    place = models.CharField(_("place"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=100, blank=True)
    content = models.TextField(_("content"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus, default=SessionStatus.SCHEDULED
    )
    reason = models.CharField(_("reason moved or cancelled"), max_length=500, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-pk"]
        permissions = [
            ("take_training", _("Can sign in to training and take tests")),
            ("view_training_kpis", _("Can view the training KPIs")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="trainingsession_known_status"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="trainingsession_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="trainingsession_hours_range"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "starts_at"], name="trainingsession_by_start"),
            models.Index(fields=["community", "status"], name="trainingsession_by_status"),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("training:session-detail", args=[self.pk])


class TrainingSessionEvent(WorkflowEvent):
    """One step of a session (scheduled, moved, held, cancelled, a sheet recorded)."""

    statuses = dict(SessionStatus.choices)
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("training session event")
        verbose_name_plural = _("training session events")


class AttendanceQuerySet(CommunityScopedQuerySet):
    community_lookup = "session__community"


class TrainingAttendance(TimeStampedModel):
    """One invited or present employee of a session; `signed_at` when they signed in."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    employee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    invited = models.BooleanField(_("invited"), default=True)
    signed_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    method = models.CharField(_("sign-in"), max_length=6, choices=SignMethod, blank=True)
    recorded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["session", "employee__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "employee"],
                name="trainingattendance_once",
                violation_error_message=_("This employee is on the session's list already."),
            ),
            models.CheckConstraint(
                condition=Q(method="") | Q(method__in=SignMethod.values),
                name="trainingattendance_known_method",
            ),
        ]
        indexes = [models.Index(fields=["employee", "signed_at"], name="trainingatt_by_employee")]

    def __str__(self) -> str:
        return f"{self.session} · {self.employee}"


class SessionFileQuerySet(CommunityScopedQuerySet):
    community_lookup = "session__community"


class SessionMaterial(TimeStampedModel):
    """A material of a session: a procedure of the manual (by code) or an uploaded file."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="materials")
    manual_code = models.CharField(_("procedure"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=RandomName("training/materials"), blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = SessionFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manual_code="") | ~Q(file=""), name="sessionmaterial_code_or_file"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SignInSheetScan(TimeStampedModel):
    """The scanned signed sheet of a session (培训签到表), kept as evidence."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="scans")
    file = models.FileField(_("scan"), upload_to=RandomName("training/sheets"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = SessionFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("scanned sign-in sheet")
        verbose_name_plural = _("scanned sign-in sheets")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.original_name or str(self.session)


def _may_manage(user: Any, session: TrainingSession) -> bool:
    """The community's training managers, or the session's own trainer."""
    return user is not None and (
        user.pk == session.trainer_id or has_perm_in(user, MANAGE, session.community_id)
    )


workflows.register(
    TrainingSession,
    workflows.Transitions(
        moves=SESSION_MOVES,
        event_model=TrainingSessionEvent,
        event_object="session",
        actor=_may_manage,
    ),
)
