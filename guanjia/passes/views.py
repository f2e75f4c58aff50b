"""The passes pages: passes (list, issue, one pass with its actions, the card to print),
groups, the guard's gate page (check a pass, register a visitor), release slips, KPIs.
Every write is one service call; a refusal shows the page again with the form's errors (400)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.documents.services import pdf_response, render_pdf
from guanjia.core.pages import (
    CommunityActionView,
    CommunityListView,
    apply_errors,
    current_community,
    submit,
)

from . import filters, forms, selectors, services
from .models import (
    GateCheck,
    GroupStatus,
    Pass,
    PassGroup,
    PassKind,
    PassStatus,
    ReleaseSlip,
    SlipItem,
    SlipStatus,
)

VIEW, ADD, CHANGE = "passes.view_pass", "passes.add_pass", "passes.change_pass"
MONEY, CHECK = "passes.refund_pass_deposit", "passes.check_pass"
G_VIEW, G_ADD, G_CHANGE = "passes.view_passgroup", "passes.add_passgroup", "passes.change_passgroup"
S_VIEW, S_ADD, S_CHANGE = (
    "passes.view_releaseslip",
    "passes.add_releaseslip",
    "passes.change_releaseslip",
)
RELEASE = "passes.release_goods"


# --- Passes ------------------------------------------------------------------------------------


class PassList(CommunityListView):
    model = Pass
    perm = VIEW
    filterset_class = filters.PassFilter
    related = ("unit__building", "unit__entrance", "group")
    add_perm = ADD
    template_name = "passes/pass_list.html"


@require_http_methods(["GET", "POST"])
def pass_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, ADD)
    form = forms.PassForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST":
        created: list[Pass] = []

        def act() -> None:
            data = form.cleaned_data
            created.append(
                services.issue_pass(
                    community=community,
                    kind=data["kind"],
                    holder_name=data["holder_name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    photo=data["photo"],
                    unit=data["unit"],
                    group=data["group"],
                    employer=data["employer"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Pass issued.")):
            return redirect("passes:pass-detail", pk=created[0].pk)
    return render(
        request,
        "passes/pass_form.html",
        {"form": form, "title": _("Issue a pass")},
        status=400 if form.is_bound else 200,
    )


def _pass(request: HttpRequest, pk: int, perm: str = VIEW) -> Pass:
    base = Pass.objects.select_related("unit__building", "unit__entrance", "group", "issued_by")
    obj: Pass = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, perm, obj.community)
    return obj


def pass_context(obj: Pass, request: HttpRequest, **forms_given: Any) -> dict[str, Any]:
    user = request_user(request)
    community = obj.community
    held = obj.deposit_held
    can = {
        "renew": obj.status == PassStatus.ISSUED
        and obj.kind != PassKind.VISITOR
        and has_perm_in(user, CHANGE, community),
        "change": obj.status == PassStatus.ISSUED and has_perm_in(user, CHANGE, community),
        "return": workflows.can_transition(obj, PassStatus.RETURNED, by=user),
        "refund": obj.status == PassStatus.RETURNED
        and held > 0
        and has_perm_in(user, MONEY, community),
        "forfeit": obj.status in (PassStatus.RETURNED, PassStatus.EXPIRED)
        and held > 0
        and has_perm_in(user, MONEY, community),
        "lost": workflows.can_transition(obj, PassStatus.LOST, by=user),
        "reissue": workflows.can_transition(obj, PassStatus.REISSUED, by=user)
        and has_perm_in(user, ADD, community),
        "confiscate": workflows.can_transition(obj, PassStatus.CONFISCATED, by=user),
    }
    window = services.passes.window_days(community)
    context: dict[str, Any] = {
        "object": obj,
        "pass": obj,
        "community": community,
        "events": obj.events.select_related("actor"),
        "can": can,
        "deposit_held": held,
        "return_deadline": obj.return_deadline(window),
        "renew_form": forms.RenewForm(),
        "change_form": forms.ChangeForm(community=community),
        "refund_form": forms.RefundForm(),
        "forfeit_form": forms.ReasonForm(),
        "lost_form": forms.NoteForm(),
        "reissue_form": forms.ReissueForm(),
        "confiscate_form": forms.ReasonForm(),
    }
    context.update(forms_given)
    for name, form in forms_given.items():  # a refused form stays on the page with its errors
        if name.endswith("_form") and getattr(form, "errors", None):
            can[name.removesuffix("_form")] = True
    return context


@require_GET
def pass_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _pass(request, pk)
    return render(request, "passes/pass_detail.html", pass_context(obj, request))


def _photo_data_url(obj: Pass) -> str:
    """The photo inline (the PDF renderer fetches no protected address)."""
    if not obj.photo:
        return ""
    try:
        with obj.photo.open("rb") as handle:
            raw = handle.read()
    except OSError:
        return ""
    kind = "png" if raw[:4] == b"\x89PNG" else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(raw).decode("ascii")


@require_GET
def pass_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The card (85.6 × 54 mm) with its QR code; `?format=pdf` as a PDF."""
    obj = _pass(request, pk)
    context = {"pass": obj, "photo": _photo_data_url(obj)}
    if request.GET.get("format") == "pdf":
        pdf = render_pdf(
            "passes/pass_print.html", context, community=obj.community, request=request
        )
        return pdf_response(pdf, f"{obj.number}.pdf")
    return render(request, "passes/pass_print.html", context)


class PassAction(CommunityActionView):
    model = Pass
    perm = VIEW
    template_name = "passes/pass_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return pass_context(self.object, self.request, **kwargs)


class PassRenew(PassAction):
    form_class, form_context_name = forms.RenewForm, "renew_form"
    success_message = gettext_lazy("Pass renewed.")

    def perform(self, obj: Pass, form: Any) -> Any:
        return services.renew_pass(
            pass_obj=obj, valid_to=form.cleaned_data["valid_to"], by=request_user(self.request)
        )


class PassChange(PassAction):
    form_class, form_context_name = forms.ChangeForm, "change_form"
    success_message = gettext_lazy("Pass changed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "community": self.object.community}

    def perform(self, obj: Pass, form: Any) -> Any:
        data = form.cleaned_data
        return services.change_pass(
            pass_obj=obj,
            unit=data["unit"],
            employer=data["employer"] if data["employer"] else None,
            phone=data["phone"] if data["phone"] else None,
            photo=data["photo"],
            by=request_user(self.request),
        )


class PassReturn(PassAction):
    success_message = gettext_lazy("Pass returned.")

    def perform(self, obj: Pass, form: Any) -> Any:
        return services.return_pass(pass_obj=obj, by=request_user(self.request))


class PassRefund(PassAction):
    form_class, form_context_name = forms.RefundForm, "refund_form"
    success_message = gettext_lazy("Deposit refunded.")

    def perform(self, obj: Pass, form: Any) -> Any:
        return services.refund_deposit(
            pass_obj=obj,
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
            by=request_user(self.request),
        )


class PassForfeit(PassAction):
    form_class, form_context_name = forms.ReasonForm, "forfeit_form"
    success_message = gettext_lazy("Deposit kept.")

    def perform(self, obj: Pass, form: Any) -> Any:
        return services.forfeit_deposit(
            pass_obj=obj, reason=form.cleaned_data["reason"], by=request_user(self.request)
        )


class PassLost(PassAction):
    form_class, form_context_name = forms.NoteForm, "lost_form"
    success_message = gettext_lazy("Reported lost: the number is blacklisted.")

    def perform(self, obj: Pass, form: Any) -> Any:
        return services.report_lost(
            pass_obj=obj, note=form.cleaned_data["note"], by=request_user(self.request)
        )


class PassReissue(PassAction):
    form_class, form_context_name = forms.ReissueForm, "reissue_form"

    def perform(self, obj: Pass, form: Any) -> Any:
        self.new = services.reissue_pass(
            pass_obj=obj, photo=form.cleaned_data["photo"], by=request_user(self.request)
        )
        return self.new

    def get_success_url(self) -> str:
        return self.new.get_absolute_url()


class PassConfiscate(PassAction):
    form_class, form_context_name = forms.ReasonForm, "confiscate_form"
    success_message = gettext_lazy("Pass confiscated.")

    def perform(self, obj: Pass, form: Any) -> Any:
        return services.confiscate_pass(
            pass_obj=obj, reason=form.cleaned_data["reason"], by=request_user(self.request)
        )


# --- Groups ------------------------------------------------------------------------------------


class GroupList(CommunityListView):
    model = PassGroup
    perm = G_VIEW
    filterset_class = filters.GroupFilter
    add_perm = G_ADD
    template_name = "passes/group_list.html"


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, G_ADD)
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST":
        created: list[PassGroup] = []

        def act() -> None:
            created.append(
                services.open_group(
                    community=community, by=request_user(request), **form.cleaned_data
                )
            )

        if submit(request, form, act, _("Group opened.")):
            return redirect("passes:group-detail", pk=created[0].pk)
    return render(
        request,
        "passes/pass_form.html",
        {"form": form, "title": _("Open a pass group")},
        status=400 if form.is_bound else 200,
    )


def group_context(group: PassGroup, request: HttpRequest, **given: Any) -> dict[str, Any]:
    user = request_user(request)
    return {
        "object": group,
        "group": group,
        "community": group.community,
        "passes": group.passes.select_related("unit").order_by("status", "holder_name")[:200],
        "events": group.events.select_related("actor"),
        "can_suspend": workflows.can_transition(group, GroupStatus.SUSPENDED, by=user),
        "can_resume": workflows.can_transition(group, GroupStatus.ACTIVE, by=user),
        "can_close": workflows.can_transition(group, GroupStatus.CLOSED, by=user),
        "suspend_form": forms.ReasonForm(),
        **given,
    }


@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group: PassGroup = get_visible_or_404(PassGroup.objects.all(), request.user, pk=pk)
    require_perm(request.user, G_VIEW, group.community)
    return render(request, "passes/group_detail.html", group_context(group, request))


class GroupAction(CommunityActionView):
    model = PassGroup
    perm = G_VIEW
    template_name = "passes/group_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return group_context(self.object, self.request, **kwargs)


class GroupSuspend(GroupAction):
    form_class, form_context_name = forms.ReasonForm, "suspend_form"
    success_message = gettext_lazy("Group suspended: its passes read “suspended site” at the gate.")

    def perform(self, obj: PassGroup, form: Any) -> Any:
        return services.suspend_group(
            obj, reason=form.cleaned_data["reason"], by=request_user(self.request)
        )


class GroupResume(GroupAction):
    success_message = gettext_lazy("Group resumed.")

    def perform(self, obj: PassGroup, form: Any) -> Any:
        return services.resume_group(obj, by=request_user(self.request))


class GroupClose(GroupAction):
    success_message = gettext_lazy("Group closed.")

    def perform(self, obj: PassGroup, form: Any) -> Any:
        return services.close_group(obj, by=request_user(self.request))


# --- The gate ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def gate(request: HttpRequest) -> HttpResponse:
    """The guard's page on a phone: scan (camera) or type, see the verdict and the photo."""
    community = current_community(request, CHECK)
    form = forms.GateForm(request.POST or None)
    outcome = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = services.check_pass(
                    community=community,
                    text=form.cleaned_data["number"],
                    by=request_user(request),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                form = forms.GateForm()
        else:
            status = 400
    recent = GateCheck.objects.in_community(community).filter(guard=request.user)
    return render(
        request,
        "passes/gate.html",
        {
            "form": form,
            "outcome": outcome,
            "recent": recent.select_related("pass_obj")[:10],
            "visitor_form": forms.VisitorForm(community=community),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def gate_visitor(request: HttpRequest) -> HttpResponse:
    """A visitor slip at the gate, once the host has been called and agreed."""
    community = current_community(request, CHECK)
    form = forms.VisitorForm(request.POST or None, community=community)
    if request.method == "POST":
        created: list[Pass] = []

        def act() -> None:
            data = form.cleaned_data
            created.append(
                services.issue_pass(
                    community=community,
                    kind=PassKind.VISITOR,
                    holder_name=data["holder_name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    unit=data["unit"],
                    host_called=data["host_called"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Visitor registered.")):
            messages.info(request, _("Visitor slip %s") % created[0].number)
            return redirect("passes:gate")
    return render(
        request,
        "passes/pass_form.html",
        {"form": form, "title": _("Register a visitor")},
        status=400 if form.is_bound else 200,
    )


class GateLog(CommunityListView):
    model = GateCheck
    perm = "passes.view_gatecheck"
    filterset_class = filters.GateCheckFilter
    related = ("guard", "pass_obj")
    template_name = "passes/gatecheck_list.html"


# --- Release slips -----------------------------------------------------------------------------


class SlipList(CommunityListView):
    model = ReleaseSlip
    perm = S_VIEW
    filterset_class = filters.SlipFilter
    related = ("unit__building", "unit__entrance")
    add_perm = S_ADD
    template_name = "passes/slip_list.html"


@require_http_methods(["GET", "POST"])
def slip_create(request: HttpRequest) -> HttpResponse:
    community = current_community(request, S_ADD)
    form = forms.SlipForm(request.POST or None, community=community)
    if request.method == "POST":
        created: list[ReleaseSlip] = []

        def act() -> None:
            data = form.cleaned_data
            created.append(
                services.apply_slip(
                    community=community,
                    unit=data["unit"],
                    applicant_name=data["applicant_name"],
                    applicant_role=data["applicant_role"],
                    id_number=data["id_number"],
                    owner_confirmation=data["owner_confirmation"],
                    items=data["items"],
                    valid_from=data["valid_from"],
                    vehicle_plate=data["vehicle_plate"],
                    by=request_user(request),
                )
            )

        if submit(request, form, act, _("Release slip issued.")):
            slip = created[0]
            if slip.arrears > 0:
                messages.warning(
                    request,
                    _("Note: this unit owes %(amount)s yuan (a warning, not a block).")
                    % {"amount": slip.arrears},
                )
            return redirect("passes:slip-detail", pk=slip.pk)
    return render(
        request,
        "passes/pass_form.html",
        {"form": form, "title": _("Issue a release slip")},
        status=400 if form.is_bound else 200,
    )


def _slip(request: HttpRequest, pk: int) -> ReleaseSlip:
    base = ReleaseSlip.objects.select_related(
        "unit__building", "unit__entrance", "issued_by", "guard"
    ).prefetch_related(Prefetch("items", queryset=SlipItem.objects.order_by("position")))
    slip: ReleaseSlip = get_visible_or_404(base, request.user, pk=pk)
    require_perm(request.user, S_VIEW, slip.community)
    return slip


def slip_context(slip: ReleaseSlip, request: HttpRequest, **given: Any) -> dict[str, Any]:
    user = request_user(request)
    today = timezone.localdate()
    open_ = slip.status in (SlipStatus.ISSUED, SlipStatus.PARTLY_USED)
    return {
        "object": slip,
        "slip": slip,
        "community": slip.community,
        "items": list(slip.items.all()),
        "events": slip.events.select_related("actor"),
        "can_release": open_
        and slip.valid_from <= today <= slip.valid_to
        and has_perm_in(user, RELEASE, slip.community),
        "can_cancel": workflows.can_transition(slip, SlipStatus.CANCELLED, by=user),
        "release_form": forms.ReleaseForm(slip=slip),
        "cancel_form": forms.ReasonForm(),
        **given,
    }


@require_GET
def slip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    slip = _slip(request, pk)
    return render(request, "passes/slip_detail.html", slip_context(slip, request))


class SlipAction(CommunityActionView):
    model = ReleaseSlip
    perm = S_VIEW
    template_name = "passes/slip_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return slip_context(self.object, self.request, **kwargs)


class SlipRelease(SlipAction):
    form_context_name = "release_form"
    success_message = gettext_lazy("Goods released and signed.")

    def get_form(self) -> Any:
        return forms.ReleaseForm(self.request.POST, slip=self.object)

    def perform(self, obj: ReleaseSlip, form: Any) -> Any:
        data = form.cleaned_data
        return services.release_goods(
            slip=obj,
            released=form.released(),
            carrier_name=data["carrier_name"],
            carrier_id=data["carrier_id"],
            plate=data["plate"],
            note=data["note"],
            signature=data["signature"],
            by=request_user(self.request),
        )


class SlipCancel(SlipAction):
    form_class, form_context_name = forms.ReasonForm, "cancel_form"
    success_message = gettext_lazy("Slip cancelled.")

    def perform(self, obj: ReleaseSlip, form: Any) -> Any:
        return services.cancel_slip(
            slip=obj, reason=form.cleaned_data["reason"], by=request_user(self.request)
        )


# --- KPIs --------------------------------------------------------------------------------------


@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "passes.view_pass_kpis")
    today = timezone.localdate()
    start = today.replace(day=1)
    try:
        start = (
            dt.date.fromisoformat(request.GET.get("start", ""))
            if request.GET.get("start")
            else start
        )
        end = dt.date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else today
    except ValueError:
        messages.error(request, _("Give the dates as YYYY-MM-DD."))
        return render(request, "passes/kpis.html", {"kpis": None}, status=400)
    if end < start:
        messages.error(request, _("The end is before the start."))
        return render(request, "passes/kpis.html", {"kpis": None}, status=400)
    return render(request, "passes/kpis.html", {"kpis": selectors.pass_kpis(community, start, end)})
