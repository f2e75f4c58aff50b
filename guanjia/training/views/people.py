"""Pages about people: one's own training, an employee's training file, inductions, the
built-in material."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core.access import User, has_perm_in, request_user
from guanjia.core.pages import CommunityListView, current_community, submit

from .. import forms, selectors, services
from ..filters import InductionFilter
from ..models import MANUAL, Induction, TrainingAttendance
from ._common import RUN_SESSIONS, TAKE, VIEW_SESSIONS


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    if value.isascii() and value.isdigit() and 2000 <= int(value[:5]) <= 2100:
        return int(value)
    return timezone.localdate().year


def mine(request: HttpRequest) -> HttpResponse:
    """My training: today's sessions to sign in to, tests to take, my file."""
    community = current_community(request, TAKE)
    user = request_user(request)
    context = {
        "file": selectors.training_file(community, user, _year(request)),
        "upcoming": TrainingAttendance.objects.filter(
            employee=user,
            session__community=community,
            session__starts_at__date__gte=timezone.localdate(),
            session__status="scheduled",
        )
        .select_related("session", "session__trainer")
        .order_by("session__starts_at")[:20],
        "tests": selectors.open_tests_for(community, user),
        "programme": services.programme(community),
        "own": True,
    }
    return render(request, "training/file.html", context)


def staff_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An employee's training file (培训档案) for the training managers."""
    community = current_community(request, VIEW_SESSIONS)
    employee: User | None = _people_of(community).filter(pk=pk).first()
    if employee is None:
        raise Http404
    context = {
        "file": selectors.training_file(community, employee, _year(request)),
        "programme": services.programme(community),
        "own": False,
    }
    return render(request, "training/file.html", context)


def _people_of(community: Any) -> Any:
    """Accounts with training rows or a role in the community (former staff keep a file)."""
    from ..services._common import staff_of

    here = list(staff_of(community).values_list("pk", flat=True))
    trained = TrainingAttendance.objects.filter(session__community=community).values("employee_id")
    return get_user_model().objects.filter(pk__in=here) | get_user_model().objects.filter(
        pk__in=trained
    )


class InductionList(CommunityListView):
    model = Induction
    perm = VIEW_SESSIONS
    filterset_class = InductionFilter
    related = ("employee", "assigned_by")
    add_perm = RUN_SESSIONS
    template_name = "training/induction_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["assign_form"] = kwargs.get("assign_form") or forms.AssignForm(
            community=self.community
        )
        context["programme"] = services.programme(self.community)
        return context


@require_POST
def induction_assign(request: HttpRequest) -> HttpResponse:
    community = current_community(request, RUN_SESSIONS)
    form = forms.AssignForm(request.POST, community=community)

    def act() -> Any:
        data = form.cleaned_data
        return services.assign_induction(
            community=community,
            employee=data["employee"],
            starts_on=data["starts_on"],
            by=request_user(request),
        )

    if submit(request, form, act, _("The induction was assigned.")):
        return redirect("training:induction-list")
    view = InductionList()
    view.setup(request)
    view.object_list = view.get_queryset()
    context = view.get_context_data(assign_form=form)
    return render(request, "training/induction_list.html", context, status=400)


def materials(request: HttpRequest) -> HttpResponse:
    """The built-in material: the manual's procedures (QW-21-01..24)."""
    community = current_community(request)
    if not any(has_perm_in(request.user, p, community) for p in (TAKE, VIEW_SESSIONS)):
        raise PermissionDenied
    return render(request, "training/materials.html", {"manual": MANUAL})
