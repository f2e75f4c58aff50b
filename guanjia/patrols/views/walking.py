"""The patrol pages: the list, today's patrols, one patrol's record, and the walk on a phone
(each step a POST of its own, saved at once: a reload resumes where the patrol was)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import CommunityListView, apply_errors, current_community, paginate

from .. import forms, services
from ..filters import PatrolFilter
from ..models import (
    CheckpointResult,
    Finding,
    Patrol,
    PatrolStatus,
    walks_patrol,
)
from ..services.walking import checklist

VIEW = "patrols.view_patrol"
WALK = "patrols.walk_patrol"
REVIEW = "patrols.review_patrol"
RELATED = ("zone", "patroller", "plan")


class PatrolList(CommunityListView):
    model = Patrol
    perm = VIEW
    filterset_class = PatrolFilter
    related = RELATED
    template_name = "patrols/patrol_list.html"


def today(request: HttpRequest) -> HttpResponse:
    """My patrols: today's and any still open from before, the one to walk first on top."""
    community = current_community(request, WALK)
    user = request_user(request)
    day = timezone.localdate()
    zones = [z.pk for z in _my_zones(community, user.pk, day)]
    mine = Q(patroller=user) | Q(zone_id__in=zones)
    rows = (
        Patrol.objects.in_community(community)
        .filter(mine, day=day)
        .select_related(*RELATED)
        .order_by("status", "zone__name", "round")
    )
    return render(request, "patrols/today.html", {"page_obj": paginate(request, rows), "day": day})


def _my_zones(community: Any, user_id: int, day: Any) -> list[Any]:
    from guanjia.estates.models import Zone

    return list(
        Zone.objects.in_community(community).filter(
            acting_manager_id=user_id, acting_from__lte=day, acting_to__gte=day
        )
    )


def _patrol(request: HttpRequest, pk: int) -> Patrol:
    base = Patrol.objects.select_related(*RELATED, "community")
    patrol: Patrol = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, VIEW, patrol.community)
    return patrol


def _walk_context(request: HttpRequest, patrol: Patrol, **extra: Any) -> dict[str, Any]:
    user = request_user(request)
    community = patrol.community
    results = list(patrol.results.select_related("checkpoint").prefetch_related("items"))
    scanned = {r.checkpoint_id: r for r in results}
    route = services.route(patrol)
    pending = next((r for r in reversed(results) if not r.items.all()), None)
    lines = checklist(community, pending.checkpoint.kind) if pending is not None else []
    findings = list(
        Finding.objects.filter(patrol=patrol)
        .select_related("checkpoint")
        .prefetch_related("photos")
    )
    return {
        "patrol": patrol,
        "route": [(cp, scanned.get(cp.pk)) for cp in route],
        "extra_results": [r for r in results if r.checkpoint_id not in {cp.pk for cp in route}],
        "pending": pending,
        "lines": lines,
        "item_errors": extra.pop("item_errors", None),
        "findings": findings,
        "talks": patrol.talks.select_related("unit"),
        "may_walk": walks_patrol(user, patrol, timezone.localdate()) or walks_patrol(user, patrol),
        "may_start": workflows.can_transition(patrol, PatrolStatus.IN_PROGRESS, by=user),
        "scan_form": extra.pop("scan_form", None)
        or forms.ScanForm(community=community, prefix="scan"),
        "finding_form": extra.pop("finding_form", None)
        or forms.FindingForm(community=community, prefix="finding"),
        "talk_form": extra.pop("talk_form", None)
        or forms.TalkForm(community=community, prefix="talk"),
        "photo_form": extra.pop("photo_form", None)
        or forms.PhotoForm(community=community, prefix="photo"),
        "submit_form": extra.pop("submit_form", None)
        or forms.NoteForm(community=community, prefix="submit"),
        **extra,
    }


def patrol_walk(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = _patrol(request, pk)
    return render(request, "patrols/patrol_walk.html", _walk_context(request, patrol))


def _refused(request: HttpRequest, patrol: Patrol, **extra: Any) -> HttpResponse:
    """The walk page again with the refused form (400); when the patrol is no longer under
    way its forms are gone, so the refusal shows at the top."""
    patrol.refresh_from_db()
    if patrol.status != PatrolStatus.IN_PROGRESS:
        extra["refusal"] = [
            str(error)
            for form in extra.values()
            if isinstance(form, forms.PatrolForm)
            for error in form.non_field_errors()
        ]
    return render(
        request, "patrols/patrol_walk.html", _walk_context(request, patrol, **extra), status=400
    )


def _walk_url(patrol: Patrol, anchor: str = "") -> str:
    return reverse("patrols:patrol-walk", args=[patrol.pk]) + (f"#{anchor}" if anchor else "")


Step = Callable[[Patrol, dict[str, Any]], Any]


def _step(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.PatrolForm],
    prefix: str,
    act: Step,
    anchor: str = "",
) -> HttpResponse:
    """One step of the walk: the form valid and the service done, back to the walk page;
    refused, the walk page again with the errors (400)."""
    patrol = _patrol(request, pk)
    require_perm(request.user, WALK, patrol.community)
    form = form_class(request.POST, request.FILES, community=patrol.community, prefix=prefix)
    if form.is_valid():
        try:
            act(patrol, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(_walk_url(patrol, anchor))
    return _refused(request, patrol, **{f"{prefix}_form": form})


@require_POST
def patrol_start(request: HttpRequest, pk: int) -> HttpResponse:
    def act(patrol: Patrol, data: dict[str, Any]) -> Any:
        return services.start_patrol(patrol=patrol, by=request_user(request))

    return _step(request, pk, forms.PatrolForm, "start", act, "scan")


@require_POST
def patrol_scan(request: HttpRequest, pk: int) -> HttpResponse:
    def act(patrol: Patrol, data: dict[str, Any]) -> Any:
        return services.scan_checkpoint(patrol=patrol, code=data["code"], by=request_user(request))

    return _step(request, pk, forms.ScanForm, "scan", act, "checklist")


@require_POST
def patrol_items(request: HttpRequest, pk: int, result: int) -> HttpResponse:
    """The checklist of one scanned checkpoint: item_<id> = ok | issue, issue_<id> = text."""
    patrol = _patrol(request, pk)
    require_perm(request.user, WALK, patrol.community)
    row = get_visible_or_404(
        CheckpointResult.objects.select_related("checkpoint", "patrol"), request.user, pk=result
    )
    if row.patrol_id != patrol.pk:
        return _refused(request, patrol, item_errors=[_("This checkpoint is not on this patrol.")])
    answers: dict[int, bool] = {}
    issues: dict[int, str] = {}
    for line in checklist(patrol.community, row.checkpoint.kind):
        value = request.POST.get(f"item_{line.pk}")
        if value in ("ok", "issue"):
            answers[line.pk] = value == "ok"
        issues[line.pk] = request.POST.get(f"issue_{line.pk}", "")
    try:
        services.record_items(result=row, answers=answers, issues=issues, by=request_user(request))
    except ValidationError as exc:
        return _refused(request, patrol, item_errors=_flatten(exc))
    return redirect(_walk_url(patrol, "scan"))


def _flatten(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.message_dict.values() for m in errors]
    return [str(m) for m in exc.messages]


@require_POST
def patrol_finding(request: HttpRequest, pk: int) -> HttpResponse:
    def act(patrol: Patrol, data: dict[str, Any]) -> Any:
        return services.add_finding(
            patrol=patrol,
            description=data["description"],
            location=data.get("location") or "",
            by=request_user(request),
        )

    return _step(request, pk, forms.FindingForm, "finding", act, "findings")


@require_POST
def patrol_photo(request: HttpRequest, pk: int, finding: int) -> HttpResponse:
    def act(patrol: Patrol, data: dict[str, Any]) -> Any:
        row = get_visible_or_404(Finding.objects.select_related("patrol"), request.user, pk=finding)
        if row.patrol_id != patrol.pk:
            raise ValidationError(_("This finding is not on this patrol."))
        return services.add_photo(finding=row, upload=data["image"], by=request_user(request))

    return _step(request, pk, forms.PhotoForm, "photo", act, "findings")


@require_POST
def patrol_talk(request: HttpRequest, pk: int) -> HttpResponse:
    def act(patrol: Patrol, data: dict[str, Any]) -> Any:
        return services.add_talk(
            patrol=patrol, said=data["said"], name=data.get("name") or "", by=request_user(request)
        )

    return _step(request, pk, forms.TalkForm, "talk", act, "talks")


@require_POST
def patrol_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(patrol: Patrol, data: dict[str, Any]) -> Any:
        return services.submit_patrol(
            patrol=patrol, note=data.get("note") or "", by=request_user(request)
        )

    response = _step(request, pk, forms.NoteForm, "submit", act)
    if response.status_code == 302:
        return redirect("patrols:patrol-detail", pk=pk)
    return response


def _detail(request: HttpRequest, patrol: Patrol, status: int = 200, **extra: Any) -> HttpResponse:
    user = request_user(request)
    community = patrol.community
    results = patrol.results.select_related("checkpoint").prefetch_related("items__item")
    scanned = {r.checkpoint_id for r in results}
    may_review = has_perm_in(user, REVIEW, community)
    context = {
        "patrol": patrol,
        "results": results,
        "not_scanned": [cp for cp in services.route(patrol) if cp.pk not in scanned],
        "findings": Finding.objects.filter(patrol=patrol).select_related("checkpoint"),
        "talks": patrol.talks.all(),
        "events": patrol.events.select_related("actor"),
        "spot_checks": patrol.spot_checks.select_related("by"),
        "may_spot_check": may_review and patrol.status == PatrolStatus.DONE,
        "may_explain": may_review and patrol.status == PatrolStatus.MISSED,
        "spot_form": extra.pop("spot_form", None)
        or forms.SpotCheckForm(community=community, prefix="spot"),
        "reason_form": extra.pop("reason_form", None)
        or forms.ReasonForm(community=community, prefix="reason"),
        **extra,
    }
    return render(request, "patrols/patrol_detail.html", context, status=status)


def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _patrol(request, pk))


@require_POST
def patrol_spot_check(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = _patrol(request, pk)
    require_perm(request.user, REVIEW, patrol.community)
    form = forms.SpotCheckForm(request.POST, community=patrol.community, prefix="spot")
    if form.is_valid():
        try:
            services.spot_check(
                patrol=patrol,
                agrees=form.cleaned_data["agrees"],
                note=form.cleaned_data["note"],
                by=request_user(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("patrols:patrol-detail", pk=pk)
    return _detail(request, patrol, 400, spot_form=form)


@require_POST
def patrol_explain(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = _patrol(request, pk)
    require_perm(request.user, REVIEW, patrol.community)
    form = forms.ReasonForm(request.POST, community=patrol.community, prefix="reason")
    if form.is_valid():
        try:
            services.explain_missed(
                patrol=patrol, reason=form.cleaned_data["reason"], by=request_user(request)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("patrols:patrol-detail", pk=pk)
    return _detail(request, patrol, 400, reason_form=form)
