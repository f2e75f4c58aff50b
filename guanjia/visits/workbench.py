"""The visits' tasks on the workbench (docs/workbench.md): visits due for me (assigned to me,
or a major complaint's for the director), visits due for anyone, overdue visits and visits to
review for the supervisor; the supervisor's figures (due, overdue, done late, own visits this
month against the quota). Each kind's card opens the visit list with the same filter."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.policies.selectors import policy
from guanjia.core.workbench import (
    Figure,
    FigureGroup,
    TaskKind,
    TaskQuery,
    register_figures,
    register_task,
)

from . import filters
from .models import OPEN_STATUSES, Visit, VisitQuerySet

RELATED = ("unit", "complaint", "repair", "request")


def _base(q: TaskQuery) -> VisitQuerySet:
    rows: VisitQuerySet = Visit.objects.filter(community=q.community).select_related(*RELATED)
    return rows


def _list(**params: str) -> str:
    return reverse("visits:visit-list") + "?" + urlencode(params)


def _title(visit: Visit) -> str:
    return f"{visit.get_kind_display()} {visit.ticket_number}"


def _link(visit: Visit) -> str:
    return reverse("visits:visit-detail", args=[visit.pk])


KINDS = [
    TaskKind(
        code="visit.mine",
        label=_("Visits due for me"),
        perm="visits.change_visit",
        items=lambda q: filters.mine(_base(q), q.user),
        deadline="due_on",
        title=_title,
        link=_link,
        list_url=lambda q: _list(queue="mine"),
        order=50,
    ),
    TaskKind(
        code="visit.pool",
        label=_("Visits due, for anyone"),
        perm="visits.change_visit",
        items=lambda q: filters.pool(_base(q), q.user),
        deadline="due_on",
        title=_title,
        link=_link,
        list_url=lambda q: _list(queue="pool"),
        order=51,
    ),
    TaskKind(
        code="visit.overdue",
        label=_("Overdue visits"),
        perm="visits.review_visit",
        items=lambda q: _base(q).overdue(on=timezone.localdate(q.now)),
        deadline="due_on",
        title=_title,
        link=_link,
        list_url=lambda q: _list(timing="overdue"),
        order=52,
    ),
    TaskKind(
        code="visit.review",
        label=_("Visits to review"),
        perm="visits.review_visit",
        items=lambda q: filters.to_review(_base(q), q.user),
        deadline=None,
        title=_title,
        link=_link,
        list_url=lambda q: _list(queue="to_review"),
        order=53,
    ),
]


def _supervisor_figures(q: TaskQuery) -> list[Figure]:
    today = timezone.localdate(q.now)
    open_ = Q(status__in=OPEN_STATUSES)
    counts = Visit.objects.in_community(q.community).aggregate(
        due=Count("pk", filter=open_ & Q(due_on__gte=today)),
        overdue=Count("pk", filter=open_ & Q(due_on__lt=today)),
        late=Count(
            "pk",
            filter=Q(visited_on__gt=F("due_on"), visited_on__gte=today.replace(day=1)),
        ),
        mine=Count(
            "pk",
            filter=Q(visitor=q.user, visited_on__gte=today.replace(day=1), visited_on__lte=today),
        ),
    )
    quota = policy(q.community, "supervisor.min_visits_month")
    review = reverse("visits:review")
    return [
        Figure(_("Visits due"), counts["due"], _list(timing="due")),
        Figure(_("Overdue visits"), counts["overdue"], _list(timing="overdue"), warn=True),
        Figure(_("Done late this month"), counts["late"], _list(timing="late")),
        Figure(
            _("My own visits this month (quota %(quota)s)") % {"quota": quota},
            counts["mine"],
            review,
            warn=counts["mine"] < quota,
        ),
    ]


def register() -> None:
    for kind in KINDS:
        register_task(kind)
    register_figures(
        FigureGroup(
            "visits.supervisor",
            _("Follow-up visits"),
            "visits.review_visit",
            _supervisor_figures,
            60,
        )
    )
