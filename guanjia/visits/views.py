"""The visit pages: the list, the supervisor's review list, one visit with its actions, and
"generate now". Each action is a POST of its own that calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import CommunityListView, apply_errors, current_community

from . import forms, services
from .filters import VisitFilter
from .models import OPEN_STATUSES, Method, Visit, VisitStatus
from .selectors import visit_kpis
from .services.planning import supervisor_quota
from .services.recording import Answers

if TYPE_CHECKING:
    from guanjia.core.access import User

VIEW = "visits.view_visit"
RECORD = "visits.change_visit"
REVIEW = "visits.review_visit"
RELATED = ("unit__building", "unit__entrance", "visitor", "complaint", "repair", "request")


class VisitList(CommunityListView):
    model = Visit
    perm = VIEW
    filterset_class = VisitFilter
    related = RELATED
    add_perm = "visits.add_visit"
    template_name = "visits/visit_list.html"

    def get_queryset(self) -> Any:
        """The page's filter knows the user (the queues: mine, for anyone, to review)."""
        self.community = current_community(self.request, self.perm)
        base = self.base_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=base, community=self.community, request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs


class ReviewList(VisitList):
    """The supervisor's list: due, overdue and done after the deadline (spec §14: no
    month-end batching), with the counts of each."""

    perm = REVIEW
    template_name = "visits/visit_review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        open_ = Q(status__in=OPEN_STATUSES)
        context["counts"] = Visit.objects.in_community(self.community).aggregate(
            due=Count("pk", filter=open_ & Q(due_on__gte=today)),
            overdue=Count("pk", filter=open_ & Q(due_on__lt=today)),
            late=Count("pk", filter=Q(visited_on__gt=F("due_on"))),
            to_review=Count("pk", filter=Q(status__in=TO_REVIEW) & ~Q(judged=self.request.user)),
        )
        user = request_user(self.request)
        context["made"], context["quota"] = supervisor_quota(user, self.community, today)
        month = visit_kpis(community=self.community, start=today.replace(day=1), end=today)
        context["month_total"] = month[-1]
        return context


TO_REVIEW = (VisitStatus.DONE, VisitStatus.ESCALATED, VisitStatus.UNREACHABLE, VisitStatus.DECLINED)


def _visit(request: HttpRequest, pk: int) -> Visit:
    base = Visit.objects.select_related(*RELATED, "community", "judged")
    visit: Visit = get_visible_or_404(base, request.user, pk=pk)
    return visit


def _forms(visit: Visit, data: Any = None, only: str = "") -> dict[str, Any]:
    community = visit.community
    build = {
        "record_form": forms.RecordForm,
        "attempt_form": forms.AttemptForm,
        "decline_form": forms.NoteForm,
        "review_form": forms.NoteForm,
    }
    return {
        name: form(data if name == only else None, community=community, prefix=name[:-5])
        for name, form in build.items()
    }


def _render(request: HttpRequest, visit: Visit, status: int = 200, **extra: Any) -> HttpResponse:
    user = request_user(request)
    context = {
        "visit": visit,
        "events": visit.events.select_related("actor"),
        "attempts": visit.attempts.select_related("by"),
        "may_record": visit.is_open and has_perm_in(user, RECORD, visit.community),
        "may_review": workflows.can_transition(visit, VisitStatus.REVIEWED, by=user),
        "in_person": Method.IN_PERSON,
        **_forms(visit),
        **extra,
    }
    return render(request, "visits/visit_detail.html", context, status=status)


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    require_perm(request.user, VIEW, visit.community)
    return _render(request, visit)


Perform = Callable[[Visit, dict[str, Any], Any], Any]


def _act(request: HttpRequest, pk: int, name: str, perm: str, perform: Perform) -> HttpResponse:
    visit = _visit(request, pk)
    require_perm(request.user, perm, visit.community)
    form = _forms(visit, request.POST, only=name)[name]
    if form.is_valid():
        try:
            perform(visit, form.cleaned_data, request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("visits:visit-detail", pk=visit.pk)
    visit.refresh_from_db()
    return _render(request, visit, status=400, **{name: form})


def _record(visit: Visit, data: dict[str, Any], by: User) -> Any:
    return services.record_visit(visit=visit, answers=Answers(**data), by=by)


@require_POST
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "record_form", RECORD, _record)


def _attempt(visit: Visit, data: dict[str, Any], by: User) -> Any:
    return services.record_attempt(visit=visit, outcome=data["outcome"], note=data["note"], by=by)


def _decline(visit: Visit, data: dict[str, Any], by: User) -> Any:
    return services.record_declined(visit=visit, note=data["note"], by=by)


def _review(visit: Visit, data: dict[str, Any], by: User) -> Any:
    return services.review_visit(visit=visit, note=data["note"], by=by)


@require_POST
def visit_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "attempt_form", RECORD, _attempt)


@require_POST
def visit_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "decline_form", RECORD, _decline)


@require_POST
def visit_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "review_form", REVIEW, _review)


@require_POST
def generate_now(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "visits.add_visit")
    counts = services.generate_visits(community=community, by=request_user(request))
    total = sum(counts.values())
    messages.success(request, _("%(count)s follow-up visits generated.") % {"count": total})
    return redirect("visits:visit-list")
