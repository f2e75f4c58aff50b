"""The visit list's filter, used by the pages, the review list and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.filters import CommunityFilterSet, OrderingFilter

from .models import Answer, Visit, VisitKind, VisitStatus

TIMING = [
    ("due", _("Due (not yet late)")),
    ("overdue", _("Overdue")),
    ("late", _("Done after the deadline")),
    ("on_time", _("Done on time")),
]


class VisitFilter(CommunityFilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    kind = filters.ChoiceFilter(label=_("Type"), choices=VisitKind.choices)
    status = filters.ChoiceFilter(label=_("Status"), choices=VisitStatus.choices)
    satisfaction = filters.ChoiceFilter(label=_("Satisfaction"), choices=Answer.choices)
    timing = filters.ChoiceFilter(label=_("Timing"), choices=TIMING, method="by_timing")
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

    def by_timing(self, qs: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == "due":
            return qs.open().filter(due_on__gte=today)
        if value == "overdue":
            return qs.overdue(on=today)
        if value == "late":
            return qs.done_late()
        return qs.filter(visited_on__isnull=False, visited_on__lte=F("due_on"))
