"""The visit list's filter, used by the pages, the review list and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import communities_with_perm
from guanjia.core.filters import CommunityFilterSet, OrderingFilter

from .models import Answer, Visit, VisitKind, VisitStatus

TIMING = [
    ("due", _("Due (not yet late)")),
    ("overdue", _("Overdue")),
    ("late", _("Done after the deadline")),
    ("on_time", _("Done on time")),
]
QUEUE = [
    ("mine", _("Due for me")),
    ("pool", _("Due, for anyone")),
    ("to_review", _("To review")),
]
REVIEWABLE = (
    VisitStatus.DONE,
    VisitStatus.ESCALATED,
    VisitStatus.UNREACHABLE,
    VisitStatus.DECLINED,
)


def mine(qs: Any, user: Any) -> Any:
    """Open visits for `user`: assigned to them, or a major complaint's where they are the
    director."""
    directs = communities_with_perm(user, "visits.make_director_visit")
    return qs.open().filter(Q(assignee=user) | Q(by_director=True, community_id__in=directs))


def pool(qs: Any, user: Any) -> Any:
    """Open visits nobody was given, that `user` may make (not judging their own work)."""
    return qs.open().filter(assignee__isnull=True, by_director=False).exclude(judged=user)


def to_review(qs: Any, user: Any) -> Any:
    return qs.filter(status__in=REVIEWABLE).exclude(judged=user)


class VisitFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    kind = filters.ChoiceFilter(label=_("Type"), choices=VisitKind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices)
    satisfaction = filters.ChoiceFilter(label=_("Satisfaction"), choices=Answer.choices)
    timing = filters.ChoiceFilter(label=_("Timing"), choices=TIMING, method="by_timing")
    queue = filters.ChoiceFilter(label=_("Queue"), choices=QUEUE, method="by_queue")
    due_from = filters.DateFilter(label=_("Due from"), field_name="due_on", lookup_expr="gte")
    due_to = filters.DateFilter(label=_("Due to"), field_name="due_on", lookup_expr="lte")
    ordering = OrderingFilter(fields=["due_on", "visited_at", "kind", "status"])

    class Meta:
        model = Visit
        fields = ["q"]

    def search(self, qs: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        value = value.strip()
        return qs.filter(
            Q(complaint__number=value)
            | Q(repair__number=value)
            | Q(request__number=value)
            | Q(person_name__icontains=value)
            | Q(unit__room_code__icontains=value)
        )

    def by_queue(self, qs: Any, name: str, value: str) -> Any:
        user = getattr(self.request, "user", None)
        return {"mine": mine, "pool": pool, "to_review": to_review}[value](qs, user)

    def by_timing(self, qs: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == "due":
            return qs.open().filter(due_on__gte=today)
        if value == "overdue":
            return qs.overdue(on=today)
        if value == "late":
            return qs.done_late()
        return qs.filter(visited_on__isnull=False, visited_on__lte=F("due_on"))
