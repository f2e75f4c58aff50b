"""Reads of the visits app: a ticket's visits (its page's panel), a unit's timeline, the
KPIs of spec §14 and §27."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from guanjia.core.access import has_perm_in
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit
from guanjia.estates.selectors import TimelineEntry
from guanjia.tickets.models import Complaint, RepairOrder, RepairStatus, ServiceRequest
from guanjia.tickets.selectors.kpis import Ratio

from .models import (
    Answer,
    Questionnaire,
    SurveyAnswer,
    Visit,
    VisitKind,
    VisitQuerySet,
    VisitStatus,
)

if TYPE_CHECKING:
    from guanjia.core.access import User


def visits_of_ticket(ticket: Any) -> VisitQuerySet:
    """The visits of a complaint, a repair order or a register entry, oldest first."""
    lookup: dict[str, Any]
    if isinstance(ticket, Complaint):
        lookup = {"complaint": ticket}
    elif isinstance(ticket, RepairOrder):
        lookup = {"repair": ticket}
    elif isinstance(ticket, ServiceRequest):
        lookup = {"request": ticket}
    else:
        return Visit.objects.none()
    return Visit.objects.filter(**lookup).select_related("visitor").order_by("source_done_at", "pk")


def ticket_panel(ticket: Any, user: User) -> dict[str, Any] | None:
    """The ticket page's "follow-up visits" panel, for those who may see visits."""
    if not has_perm_in(user, "visits.view_visit", ticket.community_id):
        return None
    visits = list(visits_of_ticket(ticket))
    waits = (
        isinstance(ticket, RepairOrder)
        and ticket.status == RepairStatus.VERIFIED
        and bool(policy(ticket.community, "visit.repair_close_after_visit"))
    )
    return {"visits": visits, "waits_for_visit": waits} if visits or waits else None


def visits_for_unit(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    """The unit's recorded visits for its timeline."""
    rows = (
        Visit.objects.filter(unit=unit, visited_at__isnull=False)
        .select_related("visitor", "complaint", "repair", "request")
        .order_by("-visited_at")[:limit]
    )
    return [
        TimelineEntry(
            at=visit.visited_at,  # type: ignore[arg-type]  # filtered on not null
            kind="visit",
            title=f"{visit}: {visit.get_satisfaction_display() or visit.get_status_display()}",
            url=reverse("visits:visit-detail", args=[visit.pk]),
            actor=str(visit.visitor or ""),
        )
        for visit in rows
    ]


@dataclass(frozen=True)
class VisitKpis:
    """The visit KPIs of one type over a period (spec §14, §27), with their raw counts."""

    kind: str
    label: str
    required: int  # visits due in the period
    completed: int  # answered, declined or unreachable (visited-attempted)
    answered: int  # with a satisfaction answer
    on_time: int  # completed on or before the due date
    satisfied: int
    fairly: int
    dissatisfied: int
    to_complaint: int  # dissatisfied answers that reopened or opened a complaint

    @property
    def visit_rate(self) -> Ratio:
        return Ratio(self.completed, self.required)

    @property
    def on_time_rate(self) -> Ratio:
        return Ratio(self.on_time, self.completed)

    @property
    def satisfied_rate(self) -> Ratio:
        """满意 only ÷ answered."""
        return Ratio(self.satisfied, self.answered)

    @property
    def satisfied_or_fairly_rate(self) -> Ratio:
        """满意 + 较满意 ÷ answered."""
        return Ratio(self.satisfied + self.fairly, self.answered)


def _kpi_counts() -> dict[str, Count]:
    done = Q(visited_on__isnull=False) | Q(status=VisitStatus.UNREACHABLE)
    dissatisfied = Q(satisfaction=Answer.DISSATISFIED)
    return {
        "required": Count("pk"),
        "completed": Count("pk", filter=done),
        "answered": Count("pk", filter=~Q(satisfaction="")),
        "on_time": Count("pk", filter=Q(visited_on__lte=F("due_on"))),
        "satisfied": Count("pk", filter=Q(satisfaction=Answer.SATISFIED)),
        "fairly": Count("pk", filter=Q(satisfaction=Answer.FAIRLY)),
        "dissatisfied": Count("pk", filter=dissatisfied),
        "to_complaint": Count(
            "pk",
            filter=dissatisfied & (Q(complaint__isnull=False) | Q(new_complaint__isnull=False)),
        ),
    }


def visit_kpis(*, community: Community, start: dt.date, end: dt.date) -> list[VisitKpis]:
    """One row per visit type and a total, for the visits due from `start` to `end`: one
    grouped query over the (community, due_on) index."""
    rows = (
        Visit.objects.filter(community=community, due_on__gte=start, due_on__lte=end)
        .values("kind")
        .annotate(**_kpi_counts())
        .order_by()
    )
    by_kind: dict[str, dict[str, int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        by_kind[values.pop("kind")] = values
    zero = dict.fromkeys(_kpi_counts(), 0)
    result = [
        VisitKpis(kind=kind, label=str(label), **by_kind.get(kind, zero))
        for kind, label in VisitKind.choices
    ]
    total = {name: sum(getattr(row, name) for row in result) for name in zero}
    result.append(VisitKpis(kind="total", label=str(_("All types")), **total))
    return result


# --- the satisfaction survey's results ------------------------------------------------------


@dataclass(frozen=True)
class AnswerCounts:
    """Answers of one question, building or zone, with both definitions of satisfaction."""

    label: str
    satisfied: int
    fairly: int
    dissatisfied: int
    weight: int = 0

    @property
    def answered(self) -> int:
        return self.satisfied + self.fairly + self.dissatisfied

    @property
    def satisfied_rate(self) -> Ratio:
        return Ratio(self.satisfied, self.answered)

    @property
    def satisfied_or_fairly_rate(self) -> Ratio:
        return Ratio(self.satisfied + self.fairly, self.answered)


@dataclass(frozen=True)
class SurveyResults:
    invited: int
    answered: int
    by_question: list[AnswerCounts]
    by_building: list[AnswerCounts]
    by_zone: list[AnswerCounts]

    @property
    def response_rate(self) -> Ratio:
        return Ratio(self.answered, self.invited)

    def weighted(self, *, with_fairly: bool) -> Any:
        """Σ weight × the question's rate ÷ Σ weight of the questions answered (a percent)."""
        from decimal import Decimal

        total = Decimal(0)
        weights = 0
        for row in self.by_question:
            if not row.answered:
                continue
            good = row.satisfied + (row.fairly if with_fairly else 0)
            total += Decimal(row.weight) * Decimal(good) / Decimal(row.answered)
            weights += row.weight
        if not weights:
            return None
        return (total * 100 / weights).quantize(Decimal("0.1"))

    @property
    def weighted_satisfied(self) -> Any:
        return self.weighted(with_fairly=False)

    @property
    def weighted_satisfied_or_fairly(self) -> Any:
        return self.weighted(with_fairly=True)


def _answer_counts() -> dict[str, Count]:
    return {
        "satisfied": Count("pk", filter=Q(answer=Answer.SATISFIED)),
        "fairly": Count("pk", filter=Q(answer=Answer.FAIRLY)),
        "dissatisfied": Count("pk", filter=Q(answer=Answer.DISSATISFIED)),
    }


def survey_results(questionnaire: Questionnaire) -> SurveyResults:
    """The answers by question, by building and by zone (four grouped queries)."""
    answers = SurveyAnswer.objects.filter(response__questionnaire=questionnaire)
    per_question = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(**_answer_counts()).order_by()
    }
    by_question = []
    for q in questionnaire.questions.all():
        row: dict[str, Any] = dict(per_question.get(q.pk) or {})
        by_question.append(
            AnswerCounts(
                label=q.text,
                weight=q.weight,
                satisfied=row.get("satisfied", 0),
                fairly=row.get("fairly", 0),
                dissatisfied=row.get("dissatisfied", 0),
            )
        )

    def grouped(field: str) -> list[AnswerCounts]:
        rows = answers.values(field).annotate(**_answer_counts()).order_by(field)
        return [
            AnswerCounts(
                label=str(row[field] or "—"),
                satisfied=int(row["satisfied"]),
                fairly=int(row["fairly"]),
                dissatisfied=int(row["dissatisfied"]),
            )
            for row in rows
        ]

    return SurveyResults(
        invited=questionnaire.invites.exclude(channel="staff").count(),
        answered=questionnaire.responses.count(),
        by_question=by_question,
        by_building=grouped("response__unit__building__name"),
        by_zone=grouped("response__unit__building__zone__name"),
    )
