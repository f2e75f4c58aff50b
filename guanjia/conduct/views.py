"""The conduct pages: the standards and their printable card, spot checks on a phone,
rewards and penalties with each step of their workflow, one's own records, the team board.
Every action is a POST of its own that calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import CommunityListView, apply_errors, current_community, paginate

from . import forms, selectors, services
from .filters import CheckFilter, RecordFilter
from .models import (
    CheckStatus,
    ConductRecord,
    RecordLevel,
    RecordStatus,
    Result,
    SpotCheck,
    StandardItem,
    StandardKind,
)
from .services import Evidence, ItemResult

STANDARDS = "conduct.view_standarditem"
EDIT_STANDARDS = "conduct.change_standarditem"
VIEW_CHECKS = "conduct.view_spotcheck"
MAKE_CHECKS = "conduct.add_spotcheck"
VIEW = "conduct.view_conductrecord"
PROPOSE = "conduct.add_conductrecord"
OWN = "conduct.view_own_records"


# --- Standards -------------------------------------------------------------------------------


def _grouped(community: Any) -> list[tuple[str, list[StandardItem]]]:
    rows = list(selectors.standards_of(community))
    return [(str(kind.label), [r for r in rows if r.kind == kind]) for kind in StandardKind]


def _standards_page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    community = current_community(request, STANDARDS)
    may_edit = has_perm_in(request.user, EDIT_STANDARDS, community)
    context = {
        "groups": _grouped(community),
        "may_edit": may_edit,
        "form": extra.pop("form", None) or forms.StandardForm(community=community),
        **extra,
    }
    return render(request, "conduct/standards.html", context, status=status)


def standards(request: HttpRequest) -> HttpResponse:
    """The company's lists; the supervisor adds and edits lines."""
    return _standards_page(request)


def standards_print(request: HttpRequest) -> HttpResponse:
    """The standards card, laid out for printing (A4, or saved as PDF by the browser)."""
    community = current_community(request, STANDARDS)
    context = {"groups": _grouped(community), "community": community}
    return render(request, "conduct/standards_print.html", context)


@require_POST
def standard_add(request: HttpRequest) -> HttpResponse:
    community = current_community(request, EDIT_STANDARDS)
    form = forms.StandardForm(request.POST, community=community)
    if form.is_valid():
        try:
            services.add_standard(
                community=community, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("conduct:standards")
    return _standards_page(request, status=400, form=form)


def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = current_community(request, EDIT_STANDARDS)
    item = StandardItem.objects.filter(company_id=community.company_id, pk=pk).first()
    if item is None:
        raise Http404
    initial = {
        "text": item.text,
        "instead": item.instead,
        "position": item.position,
        "is_active": item.is_active,
    }
    form = forms.StandardEditForm(
        request.POST if request.method == "POST" else None, community=community, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_standard(
                item=item, community=community, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("conduct:standards")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "conduct/standard_edit.html", {"form": form, "item": item}, status=status
    )


# --- Spot checks ------------------------------------------------------------------------------


class CheckList(CommunityListView):
    model = SpotCheck
    perm = VIEW_CHECKS
    filterset_class = CheckFilter
    related = ("employee", "inspector")
    add_perm = MAKE_CHECKS
    template_name = "conduct/check_list.html"


def check_new(request: HttpRequest) -> HttpResponse:
    """Open a check of an employee on duty (on a phone)."""
    community = current_community(request, MAKE_CHECKS)
    form = forms.OpenCheckForm(
        request.POST if request.method == "POST" else None,
        community=community,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.open_check(
                community=community,
                employee=data["employee"],
                cadence=data["cadence"],
                kinds=data["kinds"],
                post=data["post"],
                by=request_user(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("conduct:check-detail", pk=check.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "conduct/check_new.html", {"form": form}, status=status)


def _may_see(request: HttpRequest, perm: str) -> None:
    """A manager's permission somewhere, or one's own records' (else 403); the row itself is
    then found among those the user may see (else 404)."""
    if not (has_perm_in(request.user, perm, None) or has_perm_in(request.user, OWN, None)):
        raise PermissionDenied


def _check(request: HttpRequest, pk: int) -> SpotCheck:
    _may_see(request, VIEW_CHECKS)
    base = SpotCheck.objects.select_related(
        "community", "employee", "inspector", "refusal_noted_by"
    )
    check: SpotCheck = get_visible_or_404(base, request.user, pk=pk)
    return check


def _check_page(
    request: HttpRequest, check: SpotCheck, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request_user(request)
    errors: dict[str, list[str]] = extra.pop("errors", {})
    posted: Any = extra.pop("posted", {})
    rows = [
        {
            "item": item,
            "errors": errors.get(f"item-{item.pk}", []),
            "result": posted.get(f"item-{item.pk}-result", item.result),
            "note": posted.get(f"item-{item.pk}-note", item.note),
        }
        for item in check.items.all()
    ]
    context = {
        "check": check,
        "rows": rows,
        "form_errors": errors.get("__all__", []) + errors.get("items", []),
        "level_errors": errors.get("propose_level", []),
        "facts": posted.get("facts", ""),
        "events": check.events.select_related("actor"),
        "records": check.records.select_related("level"),
        "results": Result.choices,
        "may_submit": workflows.can_transition(check, CheckStatus.SUBMITTED, by=user),
        "may_sign": workflows.can_transition(check, CheckStatus.ACKNOWLEDGED, by=user),
        "may_refuse": workflows.can_transition(check, CheckStatus.REFUSED, by=user),
        "levels": forms.penalty_levels(check.community),
        "may_see_photos": has_perm_in(user, VIEW_CHECKS, check.community),
        "statement_form": forms.StatementForm(prefix="sign"),
        **extra,
    }
    return render(request, "conduct/check_detail.html", context, status=status)


def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _check_page(request, _check(request, pk))


@require_POST
def check_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Every item's result, note and photo in one form; optionally a proposed penalty."""
    check = _check(request, pk)
    results: dict[int, ItemResult] = {}
    for item in check.items.all():
        key = f"item-{item.pk}"
        if key + "-result" in request.POST:
            results[item.pk] = ItemResult(
                result=request.POST.get(key + "-result", ""),
                note=request.POST.get(key + "-note", ""),
                photo=request.FILES.get(key + "-photo"),
            )
    level = None
    level_id = request.POST.get("propose_level", "")
    errors: dict[str, list[str]] = {}
    if level_id:
        usable = level_id.isascii() and level_id.isdigit() and len(level_id) < 18
        level = RecordLevel.objects.filter(
            company_id=check.community.company_id, pk=int(level_id) if usable else 0
        ).first()
        if level is None:
            errors["propose_level"] = [_("Choose a penalty level.")]
    if not errors:
        try:
            services.submit_check(
                check=check,
                results=results,
                by=request_user(request),
                propose_level=level,
                facts=request.POST.get("facts", ""),
            )
        except ValidationError as exc:
            errors = _messages(exc)
        else:
            messages.success(request, _("The check was submitted: the employee signs it."))
            return redirect("conduct:check-detail", pk=check.pk)
    check.refresh_from_db()
    return _check_page(request, check, status=400, errors=errors, posted=request.POST)


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"__all__": list(exc.messages)}
    return {key: [m for e in errs for m in e.messages] for key, errs in exc.error_dict.items()}


def _check_act(
    request: HttpRequest, pk: int, act: Callable[[SpotCheck, str, Any], Any]
) -> HttpResponse:
    check = _check(request, pk)
    form = forms.StatementForm(request.POST, prefix="sign")
    if form.is_valid():
        try:
            act(check, form.cleaned_data["statement"], request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("conduct:check-detail", pk=check.pk)
    check.refresh_from_db()
    return _check_page(request, check, status=400, statement_form=form)


@require_POST
def check_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _check_act(
        request, pk, lambda c, s, u: services.acknowledge_check(check=c, statement=s, by=u)
    )


@require_POST
def check_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _check_act(
        request, pk, lambda c, s, u: services.refuse_check(check=c, statement=s, by=u)
    )


@require_POST
def check_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _check_act(request, pk, lambda c, s, u: services.cancel_check(check=c, note=s, by=u))


# --- Rewards and penalties --------------------------------------------------------------------


class RecordList(CommunityListView):
    model = ConductRecord
    perm = VIEW
    filterset_class = RecordFilter
    related = ("employee", "level")
    add_perm = PROPOSE
    template_name = "conduct/record_list.html"


def record_new(request: HttpRequest) -> HttpResponse:
    community = current_community(request, PROPOSE)
    form = forms.RecordForm(request.POST if request.method == "POST" else None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = Evidence(
            source=data["source"], reference=data["evidence_ref"], text=data["evidence_text"]
        )
        try:
            record = services.propose_record(
                community=community,
                employee=data["employee"],
                level=data["level"],
                facts=data["facts"],
                event_date=data["event_date"],
                evidence=evidence,
                amount=data["amount"],
                monthly_pay=data["monthly_pay"],
                is_public=data["is_public"],
                position_held=data["position_held"],
                by=request_user(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Proposed: the facts are confirmed next."))
            return redirect(record)
    status = 400 if request.method == "POST" else 200
    return render(request, "conduct/record_new.html", {"form": form}, status=status)


def _record(request: HttpRequest, pk: int) -> ConductRecord:
    _may_see(request, VIEW)
    base = ConductRecord.objects.select_related(
        "community",
        "employee",
        "level",
        "proposed_by",
        "confirmed_by",
        "decided_by",
        "complaint",
        "praise",
        "spot_check",
        "original_level",
        "appeal_decided_by",
    )
    record: ConductRecord = get_visible_or_404(base, request.user, pk=pk)
    return record


RECORD_FORMS: dict[str, type[forms.ConductForm]] = {
    "confirm": forms.NoteForm,
    "drop": forms.ReasonForm,
    "sign": forms.StatementForm,
    "refusal": forms.StatementForm,
    "approve": forms.ReasonForm,
    "reject": forms.ReasonForm,
    "appeal": forms.GroundsForm,
    "decide": forms.AppealDecisionForm,
}


def _record_page(
    request: HttpRequest, record: ConductRecord, status: int = 200, bound: Any = None
) -> HttpResponse:
    user = request_user(request)
    S = RecordStatus
    may = {
        "confirm": workflows.can_transition(record, S.CONFIRMED, by=user),
        "drop": workflows.can_transition(record, S.DROPPED, by=user),
        "sign": record.status == S.CONFIRMED and user.pk == record.employee_id,
        "refusal": record.status == S.CONFIRMED
        and workflows.can_transition(record, S.ACKNOWLEDGED, by=user)
        and user.pk != record.employee_id,
        "approve": workflows.can_transition(record, S.APPROVED, by=user)
        and user.pk != record.requested_by_id,
        "reject": workflows.can_transition(record, S.REJECTED, by=user)
        and user.pk != record.requested_by_id,
        "appeal": workflows.can_transition(record, S.APPEALED, by=user)
        and record.kind == "penalty",
        "decide": workflows.can_transition(record, S.REVOKED, by=user),
    }
    built = {
        name: (
            bound
            if bound is not None and bound.prefix == name
            else form(prefix=name, community=record.community)
        )
        for name, form in RECORD_FORMS.items()
    }
    context = {
        "record": record,
        "events": record.events.select_related("actor"),
        "based_on": record.based_on.all(),
        "may": may,
        "forms": built,
    }
    return render(request, "conduct/record_detail.html", context, status=status)


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_page(request, _record(request, pk))


def _perform(name: str, record: ConductRecord, data: dict[str, Any], by: Any) -> Any:
    if name == "confirm":
        return services.confirm_facts(record=record, note=data["note"], by=by)
    if name == "drop":
        return services.drop_record(record=record, reason=data["reason"], by=by)
    if name == "sign":
        return services.sign_record(record=record, statement=data["statement"], by=by)
    if name == "refusal":
        return services.note_refusal(record=record, statement=data["statement"], by=by)
    if name == "approve":
        return services.approve_record(record=record, reason=data["reason"], by=by)
    if name == "reject":
        return services.reject_record(record=record, reason=data["reason"], by=by)
    if name == "appeal":
        return services.appeal_record(record=record, grounds=data["grounds"], by=by)
    return services.decide_appeal(
        record=record, outcome=data["outcome"], reason=data["reason"], level=data["level"], by=by
    )


@require_POST
def record_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    record = _record(request, pk)
    if step not in RECORD_FORMS:
        raise Http404
    form = RECORD_FORMS[step](request.POST, prefix=step, community=record.community)
    if form.is_valid():
        try:
            _perform(step, record, form.cleaned_data, request_user(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("conduct:record-detail", pk=record.pk)
    record.refresh_from_db()
    return _record_page(request, record, status=400, bound=form)


@require_POST
def generate_now(request: HttpRequest) -> HttpResponse:
    community = current_community(request, PROPOSE)
    counts = services.generate_proposals(community=community, by=request_user(request))
    messages.success(request, _("%(count)s proposals generated.") % {"count": sum(counts.values())})
    return redirect("conduct:record-list")


def levels(request: HttpRequest) -> HttpResponse:
    """The company's levels and points (spec §23)."""
    community = current_community(request, "conduct.view_recordlevel")
    rows = RecordLevel.objects.filter(company_id=community.company_id).select_related("converts_to")
    may_edit = has_perm_in(request.user, "conduct.change_recordlevel", community)
    return render(request, "conduct/levels.html", {"levels": rows, "may_edit": may_edit})


def level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """HR or management changes a level's points, approver, lapse and cumulative rule."""
    community = current_community(request, "conduct.change_recordlevel")
    level = RecordLevel.objects.filter(company_id=community.company_id, pk=pk).first()
    if level is None:
        raise Http404
    initial = {
        "points": level.points,
        "authority": level.authority,
        "lapses": level.lapses,
        "converts_after": level.converts_after,
    }
    form = forms.LevelForm(
        request.POST if request.method == "POST" else None, community=community, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_level(
                level=level, community=community, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("conduct:levels")
    status = 400 if request.method == "POST" else 200
    return render(request, "conduct/level_edit.html", {"form": form, "level": level}, status=status)


# --- One's own, and the team ------------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    """The employee's own checks and records (nobody else's)."""
    user = request_user(request)
    require_perm(user, OWN)
    context = {
        "checks": paginate(request, selectors.my_checks(user)),
        "records": selectors.my_records(user)[:200],
    }
    return render(request, "conduct/mine.html", context)


def board(request: HttpRequest) -> HttpResponse:
    """The public records in force of the current community (announced to the team)."""
    community = current_community(request, OWN)
    return render(
        request,
        "conduct/board.html",
        {"records": paginate(request, selectors.team_board(community))},
    )
