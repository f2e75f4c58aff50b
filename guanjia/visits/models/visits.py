"""A follow-up visit (回访记录表, spec §14): what it follows, who is judged, its attempts,
its answers and the supervisor's review."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Unit
from guanjia.tickets.models import Complaint, RepairOrder, ServiceRequest

if TYPE_CHECKING:
    from guanjia.core.access import User

USER = settings.AUTH_USER_MODEL


class VisitKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")  # 投诉回访
    REPAIR = "repair", _("Repair")  # 维修回访
    REWORK = "rework", _("Repeat repair")  # 返修回访
    HELP = "help", _("Help request")  # 求助回访
    ROUTINE = "routine", _("Routine household visit")  # 例行回访
    SPECIAL = "special", _("Special service")  # 特约服务回访
    SUPERVISOR = "supervisor", _("Supervisor's own visit")  # 主管回访
    SURVEY = "survey", _("Problem raised in the survey")  # 满意度调查问题回访


# Visits planned by people or by the yearly plan, not owed by a ticket.
PLANNED_KINDS = frozenset(
    {VisitKind.ROUTINE, VisitKind.SPECIAL, VisitKind.SUPERVISOR, VisitKind.SURVEY}
)


class Method(models.TextChoices):
    PHONE = "phone", _("Phone")  # 电话
    IN_PERSON = "in_person", _("In person")  # 上门
    LETTER = "letter", _("Letter")  # 信函
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")  # 问卷


class Answer(models.TextChoices):
    """The scale of every question and of the overall satisfaction (A / B / C)."""

    SATISFIED = "satisfied", _("Satisfied")  # 满意
    FAIRLY = "fairly", _("Fairly satisfied")  # 较满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


class VisitStatus(models.TextChoices):
    DUE = "due", _("Due")  # 待回访
    ATTEMPTED = "attempted", _("Attempted")  # 未联系上
    DONE = "done", _("Done")  # 已回访
    ESCALATED = "escalated", _("Dissatisfied, escalated")  # 不满意已升级
    UNREACHABLE = "unreachable", _("Unreachable")  # 联系不上
    DECLINED = "declined", _("Declined")  # 拒绝回访
    REVIEWED = "reviewed", _("Reviewed")  # 主管已审核


_ANSWERED = frozenset(
    {VisitStatus.DONE, VisitStatus.ESCALATED, VisitStatus.UNREACHABLE, VisitStatus.DECLINED}
)
# The whole visit workflow: any move not listed here is refused.
VISIT_MOVES: dict[str, frozenset[str]] = {
    VisitStatus.DUE: frozenset({VisitStatus.ATTEMPTED, *_ANSWERED}),
    VisitStatus.ATTEMPTED: frozenset({VisitStatus.ATTEMPTED, *_ANSWERED}),
    VisitStatus.DONE: frozenset({VisitStatus.REVIEWED}),
    VisitStatus.ESCALATED: frozenset({VisitStatus.REVIEWED}),
    VisitStatus.UNREACHABLE: frozenset({VisitStatus.REVIEWED}),
    VisitStatus.DECLINED: frozenset({VisitStatus.REVIEWED}),
    VisitStatus.REVIEWED: frozenset(),
}
OPEN_STATUSES = (VisitStatus.DUE, VisitStatus.ATTEMPTED)


class VisitQuerySet(CommunityScopedQuerySet):
    def open(self) -> VisitQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, on: dt.date) -> VisitQuerySet:
        return self.open().filter(due_on__lt=on)

    def done_late(self) -> VisitQuerySet:
        return self.filter(visited_at__isnull=False, visited_on__gt=F("due_on"))


class Visit(TimeStampedModel):
    """One follow-up visit owed for a ticket (or planned), and how it went."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    kind = models.CharField(_("type"), max_length=12, choices=VisitKind)
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    repair = models.ForeignKey(
        RepairOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The ticket's resolution this visit follows: a reopened and again resolved ticket owes
    # a new visit (round 2), and the same resolution never owes two (idempotent generation).
    source_done_at = models.DateTimeField(_("ticket done at"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("unit")
    )
    person_name = models.CharField(_("person visited"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    judged = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose work is judged"),
    )
    by_director = models.BooleanField(_("by the director in person"), default=False)
    # Who is to make it: the zone's area manager for a routine visit, the supervisor for
    # their own; none: anyone who may record visits (never the person judged).
    assignee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to be made by"),
    )
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    plan = models.ForeignKey(
        "visits.RoutinePlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("routine plan"),
    )
    survey_response = models.ForeignKey(
        "visits.SurveyResponse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("survey answers"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus, default=VisitStatus.DUE
    )
    method = models.CharField(_("method"), max_length=14, choices=Method, blank=True)
    visitor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visitor"),
    )
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    quality = models.CharField(
        _("quality of the result"), max_length=12, choices=Answer, blank=True
    )
    timeliness = models.CharField(_("timeliness"), max_length=12, choices=Answer, blank=True)
    attitude = models.CharField(_("staff attitude"), max_length=12, choices=Answer, blank=True)
    conduct = models.CharField(_("staff conduct"), max_length=12, choices=Answer, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Answer, blank=True)
    comments = models.TextField(_("comments and suggestions"), max_length=2000, blank=True)
    signature = models.ImageField(
        _("resident's signature"), upload_to=RandomName("visits/signatures"), blank=True
    )
    new_complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint opened"),
    )
    rework = models.ForeignKey(
        RepairOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repeat repair opened"),
    )
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review"), max_length=2000, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_on", "pk"]
        permissions = [
            ("review_visit", _("Can review follow-up visits")),
            ("view_visit_kpis", _("Can view the follow-up visit KPIs")),
            ("make_director_visit", _("Can make a major complaint's visit")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_known_status"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction="") | Q(satisfaction__in=Answer.values),
                name="visit_known_satisfaction",
            ),
            models.UniqueConstraint(
                fields=["complaint", "source_done_at"],
                condition=Q(complaint__isnull=False),
                name="visit_one_per_complaint_resolution",
                violation_error_message=_("This complaint's resolution already has a visit."),
            ),
            models.UniqueConstraint(
                fields=["repair", "source_done_at"],
                condition=Q(repair__isnull=False),
                name="visit_one_per_repair_completion",
                violation_error_message=_("This repair already has a visit."),
            ),
            models.UniqueConstraint(
                fields=["request", "source_done_at"],
                condition=Q(request__isnull=False),
                name="visit_one_per_request_answer",
                violation_error_message=_("This request already has a visit."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "due_on"], name="visit_by_status_due"),
            models.Index(fields=["community", "due_on", "kind"], name="visit_by_due_kind"),
            models.Index(fields=["community", "visited_on"], name="visit_by_visited_on"),
            models.Index(fields=["unit", "due_on"], name="visit_by_unit_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ticket_number}"

    @property
    def ticket(self) -> Complaint | RepairOrder | ServiceRequest | None:
        return self.complaint or self.repair or self.request

    @property
    def ticket_number(self) -> str:
        ticket = self.ticket
        if ticket is not None:
            return ticket.number
        return self.unit.room_code if self.unit_id is not None and self.unit else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_late(self) -> bool:
        if self.visited_on is not None:
            return self.visited_on > self.due_on
        return self.is_open and timezone.localdate() > self.due_on


class VisitEvent(WorkflowEvent):
    """One step of a visit (generated, attempted, recorded, reviewed)."""

    statuses = dict(VisitStatus.choices)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")


def _may_visit(user: User, visit: Visit) -> bool:
    """The person whose work is judged never makes the visit (spec §14)."""
    return user is not None and user.pk != visit.judged_id


def _may_review(user: User, visit: Visit) -> bool:
    return _may_visit(user, visit) and has_perm_in(user, "visits.review_visit", visit.community_id)


workflows.register(
    Visit,
    workflows.Transitions(
        moves=VISIT_MOVES,
        event_model=VisitEvent,
        event_object="visit",
        actor=_may_visit,
        actors={VisitStatus.REVIEWED: _may_review},
    ),
)


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")  # 无人接听
    BUSY = "busy", _("Not convenient, call again")  # 不方便


class VisitAttempt(TimeStampedModel):
    """One try to reach the resident that did not get answers (spec §08: three on
    different days, then unreachable)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="attempts")
    at = models.DateTimeField(_("at"))
    on = models.DateField(_("on"))
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=AttemptOutcome)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("visit attempt")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "on"],
                name="visitattempt_one_a_day",
                violation_error_message=_("A visit is attempted at most once a day."),
            )
        ]
