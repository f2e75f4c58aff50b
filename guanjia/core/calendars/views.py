"""Calendar pages: a community's month and year, its exceptions, working week and office hours.

Community exceptions need the permission in that community; company-wide ones (and the
company's default schedule) need it company-wide, since they change every community.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanjia.core.access import User, get_access, get_visible_or_404, request_user, require_perm
from guanjia.core.http import community_of
from guanjia.core.models import Community, Company
from guanjia.core.pages import paginate

from . import services
from .forms import FIRST_YEAR, LAST_YEAR, HolidayForm, Scope, WorkingScheduleForm
from .models import Holiday, Source, WorkingSchedule
from .selectors import calendar_page, holiday_changes

VIEW, ADD, CHANGE, DELETE = (
    "calendars.view_holiday",
    "calendars.add_holiday",
    "calendars.change_holiday",
    "calendars.delete_holiday",
)
CHANGE_SCHEDULE = "calendars.change_workingschedule"


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # LoginRequiredMiddleware: never anonymous here


def _company_wide(user: User, perm: str) -> bool:
    access = get_access(user)
    return access.is_superuser or perm in access.company_perms


def _community(request: HttpRequest, community_id: int, perm: str = VIEW) -> Community:
    community = get_visible_or_404(
        Community.objects.select_related("company"), request.user, pk=community_id
    )
    require_perm(request.user, perm, community)
    return community


def _holiday(request: HttpRequest, pk: int, perm: str) -> Holiday:
    holiday = get_visible_or_404(Holiday.objects.select_related("community"), request.user, pk=pk)
    if holiday.community is None:
        if not _company_wide(request_user(request), perm):
            raise PermissionDenied
    else:
        require_perm(request.user, perm, holiday.community)
    return holiday


def _check_year(year: int, month: int = 1) -> None:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404(_("There is no calendar for that month."))


def _editing(request: HttpRequest, community: Community) -> dict[str, Any]:
    """Which exceptions the user may change on this page, for the templates."""
    user, sources = request_user(request), []
    if get_access(user).has_perm(CHANGE, community.pk):
        sources.append(Source.COMMUNITY.value)
    if _company_wide(user, CHANGE):
        sources.append(Source.COMPANY.value)
    return {
        "editable_sources": sources,
        "can_add": get_access(user).has_perm(ADD, community.pk),
        "can_schedule": get_access(user).has_perm(CHANGE_SCHEDULE, community.pk),
    }


def index(request: HttpRequest) -> HttpResponse:
    community = community_of(request)
    if community is None:
        return render(request, "calendars/calendar_none.html")
    today = timezone.localdate()
    return redirect("calendars:month", community.pk, today.year, today.month)


def year_view(request: HttpRequest, community_id: int, year: int) -> HttpResponse:
    _check_year(year)
    community = _community(request, community_id)
    context = {"page": calendar_page(community, year), "year": year, "today": timezone.localdate()}
    return render(request, "calendars/calendar_year.html", context | _editing(request, community))


def month_view(request: HttpRequest, community_id: int, year: int, month: int) -> HttpResponse:
    _check_year(year, month)
    community = _community(request, community_id)
    first = dt.date(year, month, 1)
    context = {
        "page": calendar_page(community, year, month),
        "first": first,
        "previous": (first - dt.timedelta(days=1)).replace(day=1),
        "next": (first + dt.timedelta(days=32)).replace(day=1),
        "today": timezone.localdate(),
    } | _editing(request, community)
    if getattr(request, "htmx", False):
        return render(request, "calendars/_month.html", context)
    return render(request, "calendars/calendar_month.html", context)


def _month_url(community: Community, day: dt.date) -> str:
    return reverse("calendars:month", args=[community.pk, day.year, day.month])


def _prefill(request: HttpRequest) -> dict[str, Any]:
    raw = request.GET.get("date")
    if not raw:
        return {}
    try:
        return {"date": dt.date.fromisoformat(raw)}
    except ValueError:
        messages.warning(request, _("The date in the link is not valid; choose one below."))
        return {}


@require_http_methods(["GET", "POST"])
def holiday_create(request: HttpRequest, community_id: int) -> HttpResponse:
    community = _community(request, community_id, ADD)
    allow_company = _company_wide(request_user(request), ADD)
    form = HolidayForm(
        request.POST or None,
        initial=_prefill(request),
        with_scope=True,
        allow_company=allow_company,
    )
    if form.is_valid():
        data = form.cleaned_data
        owner = community.company if data["scope"] == Scope.COMPANY else community
        try:
            services.create_holiday(owner=owner, **_day_fields(data), by=_actor(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The exception was added."))
            return redirect(_month_url(community, data["date"]))
    context = {"form": form, "community": community}
    return render(request, "calendars/holiday_form.html", context)


def _day_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"date": data["date"], "kind": data["kind"], "name": data["name"]}


def _back(request: HttpRequest, holiday: Holiday) -> str:
    community = holiday.community or community_of(request)
    if community is None or community.company_id != holiday.company_id:
        return reverse("calendars:index")
    return _month_url(community, holiday.date)


@require_http_methods(["GET", "POST"])
def holiday_update(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = _holiday(request, pk, CHANGE)
    initial = {"date": holiday.date, "kind": holiday.kind, "name": holiday.name}
    form = HolidayForm(request.POST or None, initial=initial, with_scope=False, allow_company=False)
    if form.is_valid():
        try:
            holiday = services.update_holiday(
                holiday=holiday, **_day_fields(form.cleaned_data), by=_actor(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The exception was changed."))
            return redirect(_back(request, holiday))
    context = {"form": form, "holiday": holiday, "community": holiday.community}
    return render(request, "calendars/holiday_form.html", context)


@require_http_methods(["GET", "POST"])
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = _holiday(request, pk, DELETE)
    if request.method == "POST":
        back = _back(request, holiday)
        services.delete_holiday(holiday=holiday, by=_actor(request))
        messages.success(request, _("The exception was removed; its history is kept."))
        return redirect(back)
    return render(request, "calendars/holiday_confirm_delete.html", {"holiday": holiday})


def changes(request: HttpRequest, community_id: int) -> HttpResponse:
    community = _community(request, community_id)
    history = Holiday.history.filter(holiday_changes(community)).select_related("history_user")
    schedules = WorkingSchedule.history.filter(holiday_changes(community))
    page = paginate(request, history.order_by("-history_date", "-history_id"))
    context = {
        "community": community,
        "page_obj": page,
        "schedule_changes": schedules.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "calendars/holiday_history.html", context)


@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, community_id: int) -> HttpResponse:
    community = _community(request, community_id, CHANGE_SCHEDULE)
    own = WorkingSchedule.objects.filter(community=community).first()
    default = WorkingSchedule.objects.filter(company=community.company, community=None).first()
    return _schedule_form(request, community, own or default, has_own=own is not None)


@require_http_methods(["GET", "POST"])
def company_schedule_edit(request: HttpRequest) -> HttpResponse:
    company = getattr(request.user, "company", None)
    if not isinstance(company, Company):
        raise Http404(_("Your account belongs to no company."))
    if not _company_wide(request_user(request), CHANGE_SCHEDULE):
        raise PermissionDenied
    row = WorkingSchedule.objects.filter(company=company, community=None).first()
    return _schedule_form(request, company, row, has_own=row is not None)


def _schedule_form(
    request: HttpRequest, owner: Community | Company, row: WorkingSchedule | None, *, has_own: bool
) -> HttpResponse:
    form = WorkingScheduleForm(request.POST or None, initial=WorkingScheduleForm.initial_from(row))
    if isinstance(owner, Community) and request.POST.get("reset"):
        services.reset_working_schedule(community=owner, by=_actor(request))
        messages.success(request, _("This community now follows the company's working week."))
        return redirect(request.path)
    if form.is_valid():
        weekdays = form.cleaned_data["weekdays"]
        try:
            services.save_working_schedule(
                owner=owner, weekdays=weekdays, hours=form.hours(), by=_actor(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The working week and office hours were saved."))
            return redirect(request.path)
    context = {
        "form": form,
        "owner": owner,
        "has_own": has_own,
        "is_company": isinstance(owner, Company),
    }
    return render(request, "calendars/workingschedule_form.html", context)
