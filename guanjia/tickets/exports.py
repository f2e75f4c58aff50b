"""The register, complaint and repair lists as .xlsx files, filtered as on their page (the
list's FilterSet, "mine" included), personal data masked (phones as on the pages)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.imports.base import Column, Exporter
from guanjia.core.personal_data import mask_phone

from .filters import ComplaintFilter, RepairFilter, RequestFilter
from .models import Complaint, RepairOrder, ServiceRequest


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class TicketExporter(Exporter):
    """A ticket list of the current community with its page's FilterSet."""

    model: ClassVar[type[Model]]
    filterset_class: ClassVar[Any]
    related: ClassVar[tuple[str, ...]] = ()

    def queryset(self) -> QuerySet[Any]:
        if self.community is None:
            raise ValidationError(_("Choose the community to export first."), code="no_community")
        manager: Any = self.model._default_manager
        base = manager.visible_to(self.by).in_community(self.community)
        filterset = self.filterset_class(
            dict(self.params) or None,
            queryset=base,
            community=self.community,
            request=SimpleNamespace(user=self.by),  # the "mine" filter
        )
        if filterset.is_bound and not filterset.is_valid():  # never export more than asked
            raise ValidationError(
                [
                    f"{filterset.form[name].label}: {' '.join(errors)}"
                    for name, errors in filterset.errors.items()
                ],
                code="bad_filter",
            )
        queryset: QuerySet[Any] = filterset.qs
        if not self.params.get("ordering"):
            queryset = queryset.order_by("-pk")
        return queryset.select_related(*self.related)

    def count(self) -> int:
        return self.queryset().count()

    def rows(self) -> Iterable[Mapping[str, Any]]:
        for obj in self.queryset().iterator(chunk_size=500):
            yield self.row(obj)

    def row(self, obj: Any) -> Mapping[str, Any]:
        raise NotImplementedError

    def file_name(self) -> str:
        prefix = f"{self.community.code}-" if self.community else ""
        return f"{prefix}{self.code}-{timezone.localdate():%Y%m%d}.xlsx"


def _requester(entry: ServiceRequest) -> dict[str, str]:
    phone = entry.requester_phone or (entry.person.mobile if entry.person else "")
    return {
        "unit": str(entry.unit or ""),
        "requester": entry.requester,
        "phone": mask_phone(phone) if not entry.is_anonymous else "",
    }


class RegisterExporter(TicketExporter):
    code = "service-register"
    label = gettext_lazy("Service register")
    permission = "tickets.view_servicerequest"
    model = ServiceRequest
    filterset_class = RequestFilter
    related = ("unit__building", "unit__entrance", "person", "received_by", "answered_by")
    columns = (
        Column("number", "编号", "Number"),
        Column("received_at", "受理时间", "Received", width=17),
        Column("channel", "渠道", "Channel"),
        Column("kind", "类型", "Type"),
        Column("unit", "房屋", "Unit", width=16),
        Column("requester", "反映人", "Requester"),
        Column("phone", "联系电话", "Phone", personal=True),
        Column("content", "内容", "Content", width=40),
        Column("received_by", "受理人", "Received by"),
        Column("status", "状态", "Status"),
        Column("answer", "答复", "Answer", width=30),
        Column("answered_at", "答复时间", "Answered", width=17),
        Column("answered_by", "答复人", "Answered by"),
    )

    def row(self, obj: ServiceRequest) -> Mapping[str, Any]:
        return {
            "number": obj.number,
            "received_at": _when(obj.received_at),
            "channel": obj.get_channel_display(),
            "kind": obj.get_kind_display(),
            **_requester(obj),
            "content": obj.content,
            "received_by": obj.received_by.display_name,
            "status": obj.get_status_display(),
            "answer": obj.answer,
            "answered_at": _when(obj.answered_at),
            "answered_by": obj.answered_by.display_name if obj.answered_by else "",
        }


class ComplaintExporter(TicketExporter):
    code = "complaints"
    label = gettext_lazy("Complaints")
    permission = "tickets.view_complaint"
    model = Complaint
    filterset_class = ComplaintFilter
    related = ("request__unit__building", "request__unit__entrance", "request__person", "handler")
    columns = (
        Column("number", "编号", "Number"),
        Column("received_at", "受理时间", "Received", width=17),
        Column("unit", "房屋", "Unit", width=16),
        Column("requester", "投诉人", "Complainant"),
        Column("phone", "联系电话", "Phone", personal=True),
        Column("content", "投诉内容", "Content", width=40),
        Column("validity", "有效性", "Validity"),
        Column("severity", "投诉级别", "Severity"),
        Column("category", "类别", "Category"),
        Column("department", "责任部门", "Department"),
        Column("handler", "处理人", "Handler"),
        Column("resolve_due", "处理时限", "Resolution due", width=17),
        Column("result", "处理结果", "Result", width=30),
        Column("resolved_at", "处理完成时间", "Resolved", width=17),
        Column("reply_method", "回复方式", "Reply method"),
        Column("status", "状态", "Status"),
    )

    def row(self, obj: Complaint) -> Mapping[str, Any]:
        return {
            "number": obj.number,
            "received_at": _when(obj.request.received_at),
            **_requester(obj.request),
            "content": obj.request.content,
            "validity": obj.get_validity_display(),
            "severity": obj.get_severity_display(),
            "category": obj.get_category_display(),
            "department": obj.get_department_display(),
            "handler": obj.handler.display_name if obj.handler else "",
            "resolve_due": _when(obj.resolve_due),
            "result": obj.result,
            "resolved_at": _when(obj.resolved_at),
            "reply_method": obj.get_reply_method_display(),
            "status": obj.get_status_display(),
        }


class RepairExporter(TicketExporter):
    code = "repairs"
    label = gettext_lazy("Repairs")
    permission = "tickets.view_repairorder"
    model = RepairOrder
    filterset_class = RepairFilter
    related = ("unit__building", "unit__entrance", "technician")
    columns = (
        Column("number", "编号", "Number"),
        Column("registered_at", "报修时间", "Registered", width=17),
        Column("unit", "房屋", "Unit", width=16),
        Column("place", "具体位置", "Place"),
        Column("category", "维修类别", "Category"),
        Column("urgency", "紧急程度", "Urgency"),
        Column("description", "报修内容", "Fault reported", width=40),
        Column("technician", "维修工", "Technician"),
        Column("arrive_due", "到场时限", "Arrival due", width=17),
        Column("arrived_at", "到场时间", "Arrived", width=17),
        Column("completed_at", "完工时间", "Completed", width=17),
        Column("charge", "应收", "Charge"),
        Column("status", "状态", "Status"),
    )

    def row(self, obj: RepairOrder) -> Mapping[str, Any]:
        return {
            "number": obj.number,
            "registered_at": _when(obj.registered_at),
            "unit": str(obj.unit or ""),
            "place": obj.place,
            "category": obj.get_category_display(),
            "urgency": obj.get_urgency_display(),
            "description": obj.description,
            "technician": obj.technician.display_name if obj.technician else "",
            "arrive_due": _when(obj.arrive_due),
            "arrived_at": _when(obj.arrived_at),
            "completed_at": _when(obj.completed_at),
            "charge": obj.charge_text,
            "status": obj.get_status_display(),
        }
