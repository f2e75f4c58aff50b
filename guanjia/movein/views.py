"""The move-in pages: batches, the counter (one page a unit, its steps in order), the queue of
today's buyers, the joint inspection sheet on a phone, defects and the report."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from guanjia.core import workflows
from guanjia.core.access import get_visible_or_404, has_perm_in, request_user, require_perm
from guanjia.core.pages import (
    CommunityActionView,
    CommunityCreateView,
    CommunityDetailView,
    CommunityListView,
    current_community,
    submit,
)

from . import filters, forms, selectors, services
from .models import (
    BatchStatus,
    Defect,
    DefectStatus,
    Delivery,
    DeliveryBatch,
    DeliveryStatus,
    Inspection,
)

# --- Batches -----------------------------------------------------------------------------


class BatchList(CommunityListView):
    model, perm, filterset_class = DeliveryBatch, "movein.view_deliverybatch", filters.BatchFilter
    add_perm = "movein.add_deliverybatch"
    template_name = "movein/batch_list.html"
    context_object_name = "batches"


class BatchCreate(CommunityCreateView):
    model, perm, form_class = DeliveryBatch, "movein.add_deliverybatch", forms.BatchForm
    template_name = "movein/form.html"
    title = gettext_lazy("Open a delivery batch")
    success_message = gettext_lazy("Batch opened: import the buyer list.")

    def perform(self, obj: DeliveryBatch, form: BaseForm) -> DeliveryBatch:
        data = form.cleaned_data
        return services.open_batch(
            community=self.community,
            name=data["name"],
            notice_date=data["notice_date"],
            counter_from=data["counter_from"],
            counter_to=data["counter_to"],
            counter_hours=data["counter_hours"],
            buildings=list(data["buildings"]),
            checked=data["checked"],
            by=request_user(self.request),
        )


def _batch_context(request: HttpRequest, batch: DeliveryBatch, **given: Any) -> dict[str, Any]:
    user = request_user(request)
    plan = has_perm_in(user, "movein.add_deliverybatch", batch.community_id)
    rows = (
        Delivery.objects.filter(batch=batch).select_related("unit").order_by("unit__sort_key", "pk")
    )
    return {
        "object": batch,
        "batch": batch,
        "community": batch.community,
        "deliveries": rows[:500],
        "counts": selectors.batch_counts(batch),
        "events": batch.events.select_related("actor").order_by("at", "pk"),
        "may_plan": plan and batch.status == BatchStatus.OPEN,
        "may_notify": batch.status == BatchStatus.OPEN
        and has_perm_in(user, "estates.change_unit", batch.community_id)
        and plan,
        "may_close": workflows.can_transition(batch, BatchStatus.CLOSED, by=user),
        "notices_ready": bool(batch.notices_file),
        "form": given.get("form"),
    }


class BatchDetail(CommunityDetailView):
    model, perm, template_name = (
        DeliveryBatch,
        "movein.view_deliverybatch",
        "movein/batch_detail.html",
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_batch_context(self.request, self.object)}


class BatchAction(CommunityActionView):
    model, perm = DeliveryBatch, "movein.add_deliverybatch"
    template_name = "movein/batch_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _batch_context(self.request, self.object, **kwargs)


class BatchTick(BatchAction):
    form_class = forms.TickForm
    success_message = gettext_lazy("Precondition ticked.")

    def perform(self, obj: DeliveryBatch, form: BaseForm) -> Any:
        return services.tick_precondition(
            batch=obj, code=form.cleaned_data["code"], by=request_user(self.request)
        )


class BatchNotify(BatchAction):
    success_message = gettext_lazy("Notices sent: the units are notified.")

    def perform(self, obj: DeliveryBatch, form: BaseForm) -> Any:
        return services.send_notices(batch=obj, by=request_user(self.request))


class BatchClose(BatchAction):
    success_message = gettext_lazy("Batch closed.")

    def perform(self, obj: DeliveryBatch, form: BaseForm) -> Any:
        return services.close_batch(batch=obj, by=request_user(self.request))


class BatchNoticesPdf(BatchAction):
    perm = "movein.view_deliverybatch"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = services.start_notices_pdf(batch=self.object, by=request_user(request))
        return redirect("jobs:jobrun-detail", pk=run.pk)


@require_GET
def batch_notices_download(request: HttpRequest, pk: int) -> FileResponse:
    """The batch's notices PDF made by the last notices job."""
    batch = get_visible_or_404(DeliveryBatch.objects.all(), request.user, pk=pk)
    require_perm(request.user, "movein.view_deliverybatch", batch.community)
    if not batch.notices_file or not default_storage.exists(batch.notices_file):
        raise Http404
    return FileResponse(
        default_storage.open(batch.notices_file),
        as_attachment=True,
        filename=f"notices-{batch.pk}.pdf",
        content_type="application/pdf",
    )


# --- The counter -------------------------------------------------------------------------

STEP_FORMS: dict[str, type[BaseForm]] = {
    "verified": forms.VerifyForm,
    "registered": forms.RegisterForm,
    "fees": forms.FeesForm,
    "documents": forms.SignForm,
    "keys": forms.KeysForm,
    "cards": forms.CardsForm,
}


def _delivery_context(request: HttpRequest, delivery: Delivery, **given: Any) -> dict[str, Any]:
    user = request_user(request)
    serve = has_perm_in(user, "movein.change_delivery", delivery.community_id)
    step_forms = {code: cls() for code, cls in STEP_FORMS.items()}
    failed = given.get("step")
    if failed and given.get("form") is not None:
        step_forms[failed] = given["form"]
    return {
        "object": delivery,
        "delivery": delivery,
        "community": delivery.community,
        "steps": delivery.steps(),
        "step_forms": step_forms,
        "may_serve": serve,
        "may_refuse": serve and delivery.status == DeliveryStatus.NOTIFIED,
        "refuse_form": given.get("refuse_form") or forms.ReasonForm(),
        "events": delivery.events.select_related("actor").order_by("at", "pk"),
        "defects": delivery.defect_rows.all(),
        "error_step": failed,
        # A refused step whose form is not shown (its earlier steps are not done): its
        # errors above the steps.
        "top_errors": _errors_of(given.get("form"))
        if failed and not any(s["code"] == failed and s["open"] for s in delivery.steps())
        else [],
    }


def _errors_of(form: BaseForm | None) -> list[str]:
    if form is None:
        return []
    return [str(message) for messages in form.errors.values() for message in messages]


class DeliveryList(CommunityListView):
    model, perm, filterset_class = Delivery, "movein.view_delivery", filters.DeliveryFilter
    related = ("unit", "batch")
    template_name = "movein/delivery_list.html"
    context_object_name = "deliveries"


class DeliveryDetail(CommunityDetailView):
    model, perm, template_name = Delivery, "movein.view_delivery", "movein/delivery_detail.html"
    related = ("unit", "batch", "community")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **_delivery_context(self.request, self.object),
        }


class DeliveryAction(CommunityActionView):
    model, perm = Delivery, "movein.change_delivery"
    template_name = "movein/delivery_detail.html"
    step = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _delivery_context(self.request, self.object, step=self.step, **kwargs)


class Verify(DeliveryAction):
    form_class, step = forms.VerifyForm, "verified"
    success_message = gettext_lazy("Buyer verified.")

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.verify_buyer(
            delivery=obj, by=request_user(self.request), **form.cleaned_data
        )


class Register(DeliveryAction):
    form_class, step = forms.RegisterForm, "registered"
    success_message = gettext_lazy("Household registered.")

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.register_household(
            delivery=obj, by=request_user(self.request), **form.cleaned_data
        )


class Fees(DeliveryAction):
    form_class, step = forms.FeesForm, "fees"
    success_message = gettext_lazy("Fees recorded.")

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.record_fees(
            delivery=obj, by=request_user(self.request), **form.cleaned_data
        )


class Documents(DeliveryAction):
    form_class, step = forms.SignForm, "documents"
    success_message = gettext_lazy("Documents signed.")

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.sign_documents(
            delivery=obj, signature=form.cleaned_data["signature"], by=request_user(self.request)
        )


class StartInspection(DeliveryAction):
    step = "inspected"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = forms.Form(data=request.POST)
        if submit(
            request,
            form,
            lambda: services.start_inspection(delivery=self.object, by=request_user(request)),
            gettext_lazy("Inspection sheet ready."),
        ):
            return redirect("movein:inspection", pk=self.object.pk)
        return self.refused(form)


class Keys(DeliveryAction):
    form_class, step = forms.KeysForm, "keys"
    success_message = gettext_lazy("Keys handed over: the unit is delivered.")

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.hand_over_keys(
            delivery=obj, by=request_user(self.request), **form.cleaned_data
        )


class Cards(DeliveryAction):
    form_class, step = forms.CardsForm, "cards"
    success_message = gettext_lazy("Access cards issued.")

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.issue_cards(
            delivery=obj, by=request_user(self.request), **form.cleaned_data
        )


class Refuse(DeliveryAction):
    form_class, form_context_name = forms.ReasonForm, "refuse_form"
    success_message = gettext_lazy("Refusal recorded; a complaint is open for the developer.")

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.refuse_delivery(
            delivery=obj, reason=form.cleaned_data["reason"], by=request_user(self.request)
        )


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Today's buyers at the counter, by the step each is at."""
    community = current_community(request, "movein.view_delivery")
    return render(
        request,
        "movein/queue.html",
        {
            "community": community,
            "columns": selectors.counter_queue(community, timezone.localdate()),
        },
    )


# --- The joint inspection ----------------------------------------------------------------


def _inspection_context(request: HttpRequest, delivery: Delivery, **given: Any) -> dict[str, Any]:
    inspection = Inspection.objects.filter(delivery=delivery).first()
    if inspection is None:
        raise Http404
    defects = list(delivery.defect_rows.all())
    found = {(d.room, d.item) for d in defects}
    user = request_user(request)
    open_sheet = inspection.signed_at is None and has_perm_in(
        user, "movein.change_delivery", delivery.community_id
    )
    return {
        "object": delivery,
        "delivery": delivery,
        "inspection": inspection,
        "community": delivery.community,
        "rows": list(
            zip(
                inspection.rooms,
                [
                    [(item, (room, item) in found) for item in inspection.items]
                    for room in inspection.rooms
                ],
                strict=True,
            )
        ),
        "defects": defects,
        "open_sheet": open_sheet,
        "defect_form": given.get("defect_form")
        or forms.DefectForm(rooms=inspection.rooms, items=inspection.items),
        "sign_form": given.get("sign_form") or forms.InspectionSignForm(),
    }


class InspectionPage(CommunityDetailView):
    model, perm, template_name = Delivery, "movein.view_delivery", "movein/inspection.html"
    related = ("unit", "community")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **_inspection_context(self.request, self.object),
        }


class InspectionAction(CommunityActionView):
    model, perm = Delivery, "movein.change_delivery"
    template_name = "movein/inspection.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _inspection_context(self.request, self.object, **kwargs)

    def get_success_url(self) -> str:
        return reverse("movein:inspection", args=[self.object.pk])

    @property
    def inspection(self) -> Inspection:
        found = Inspection.objects.filter(delivery=self.object).first()
        if found is None:
            raise Http404
        return found


class AddDefect(InspectionAction):
    form_context_name = "defect_form"
    success_message = gettext_lazy("Defect recorded.")

    def get_form(self) -> BaseForm:
        sheet = self.inspection
        return forms.DefectForm(
            data=self.request.POST, files=self.request.FILES, rooms=sheet.rooms, items=sheet.items
        )

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.add_defect(
            inspection=self.inspection, by=request_user(self.request), **form.cleaned_data
        )


class SignInspection(InspectionAction):
    form_class, form_context_name = forms.InspectionSignForm, "sign_form"
    success_message = gettext_lazy("Inspection signed.")

    def get_success_url(self) -> str:
        return str(self.object.get_absolute_url())

    def perform(self, obj: Delivery, form: BaseForm) -> Any:
        return services.sign_inspection(
            inspection=self.inspection, by=request_user(self.request), **form.cleaned_data
        )


@require_GET
def inspection_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The 入住验房表 to print (`?format=pdf`: the PDF through core.documents)."""
    from guanjia.core.documents.views import print_or_pdf

    delivery = get_visible_or_404(
        Delivery.objects.select_related("unit", "community"), request.user, pk=pk
    )
    require_perm(request.user, "movein.view_delivery", delivery.community)
    context = _inspection_context(request, delivery)
    return print_or_pdf(
        request,
        "movein/inspection_print.html",
        context,
        filename=f"inspection-{delivery.unit.room_code}.pdf",
        community=delivery.community,
    )


# --- Defects -----------------------------------------------------------------------------


class DefectList(CommunityListView):
    model, perm, filterset_class = Defect, "movein.view_defect", filters.DefectFilter
    related = ("delivery__unit",)
    template_name = "movein/defect_list.html"
    context_object_name = "defects"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


def _defect_context(request: HttpRequest, defect: Defect, **given: Any) -> dict[str, Any]:
    user = request_user(request)
    return {
        "object": defect,
        "defect": defect,
        "community": defect.community,
        "events": defect.events.select_related("actor").order_by("at", "pk"),
        "may_fix": workflows.can_transition(defect, DefectStatus.FIXED, by=user),
        "may_reinspect": workflows.can_transition(defect, DefectStatus.SIGNED_OFF, by=user),
        "may_reopen": workflows.can_transition(defect, DefectStatus.WARRANTY, by=user),
        "note_form": given.get("note_form") or forms.NoteForm(),
        "reinspect_form": given.get("reinspect_form") or forms.ReinspectForm(),
        "reopen_form": given.get("reopen_form") or forms.NoteForm(),
        "today": timezone.localdate(),
    }


class DefectDetail(CommunityDetailView):
    model, perm, template_name = Defect, "movein.view_defect", "movein/defect_detail.html"
    related = ("delivery__unit", "community")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_defect_context(self.request, self.object)}


class DefectAction(CommunityActionView):
    model, perm = Defect, "movein.change_defect"
    template_name = "movein/defect_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _defect_context(self.request, self.object, **kwargs)


class DefectFixed(DefectAction):
    form_class, form_context_name = forms.NoteForm, "note_form"
    success_message = gettext_lazy("Reported fixed: re-inspect it with the owner.")

    def perform(self, obj: Defect, form: BaseForm) -> Any:
        return services.report_fixed(
            defect=obj, note=form.cleaned_data["note"], by=request_user(self.request)
        )


class DefectReinspect(DefectAction):
    form_class, form_context_name = forms.ReinspectForm, "reinspect_form"
    success_message = gettext_lazy("Re-inspection recorded.")

    def perform(self, obj: Defect, form: BaseForm) -> Any:
        return services.reinspect(defect=obj, by=request_user(self.request), **form.cleaned_data)


class DefectReopen(DefectAction):
    form_class, form_context_name = forms.NoteForm, "reopen_form"
    success_message = gettext_lazy("Reopened as a warranty repair.")

    def perform(self, obj: Defect, form: BaseForm) -> Any:
        return services.reopen_as_warranty(
            defect=obj, note=form.cleaned_data["note"], by=request_user(self.request)
        )


# --- Template and report -----------------------------------------------------------------


def template_edit(request: HttpRequest) -> HttpResponse:
    community = current_community(request, "movein.add_deliverybatch")
    rooms, items = services.sheet_for(community)
    form = forms.TemplateForm(
        request.POST or None, initial={"rooms": "\n".join(rooms), "items": "\n".join(items)}
    )
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda: services.save_template(
                community=community, by=request_user(request), **form.cleaned_data
            ),
            gettext_lazy("Inspection sheet saved."),
        ):
            return redirect("movein:template")
        return render(request, "movein/template.html", {"form": form}, status=400)
    return render(request, "movein/template.html", {"form": form})


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    from guanjia.core.charts import Bar, bar_chart

    community = current_community(request, "movein.view_deliverybatch")
    data = selectors.report(community, timezone.localdate())
    codes = data["status_codes"]
    bars = []
    for row in data["batches"]:
        counts = dict(zip(codes, row["counts"], strict=True))
        done = counts[DeliveryStatus.DELIVERED] + counts[DeliveryStatus.DEEMED]
        bars.append(
            Bar(label=row["name"], value=100 * done / row["total"] if row["total"] else None)
        )
    title = str(gettext_lazy("Delivered per batch"))
    tables = [
        (gettext_lazy("By batch"), data["batches"]),
        (gettext_lazy("By building"), data["buildings"]),
    ]
    return render(
        request,
        "movein/report.html",
        {
            "community": community,
            **data,
            "chart": bar_chart(title, bars) if bars else "",
            "tables": tables,
        },
    )


@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    """The delivery progress per batch and building as an Excel sheet."""
    from guanjia.core.imports.base import Column, ColumnType
    from guanjia.core.imports.xlsx import export_xlsx

    community = current_community(request, "movein.view_deliverybatch")
    data = selectors.report(community, timezone.localdate())
    codes = data["status_codes"]
    columns = [
        Column("kind", "范围", "Scope"),
        Column("name", "名称", "Name"),
        *[
            Column(code, str(label), code, type=ColumnType.INTEGER)
            for code, label in zip(codes, data["statuses"], strict=True)
        ],
        Column("total", "合计", "Total", type=ColumnType.INTEGER),
    ]
    rows = [
        {
            "kind": kind,
            "name": row["name"],
            "total": row["total"],
            **dict(zip(codes, row["counts"], strict=True)),
        }
        for kind, group in (
            (str(gettext_lazy("Batch")), data["batches"]),
            (str(gettext_lazy("Building")), data["buildings"]),
        )
        for row in group
    ]
    content = export_xlsx(rows, columns, title=str(gettext_lazy("Move-in report")))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="movein-report.xlsx"'
    return response
