"""A fee standard's history for its page: who changed what and when, on the standard and on
its rate versions (django-simple-history rows), newest first, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from guanjia.accounts.selectors import FieldChange
from guanjia.core.models import Community
from guanjia.estates.models import Person

from ..models import ApprovalStatus, FeeStandard, FeeStandardVersion, Meter

STANDARD_FIELDS = (
    "name",
    "method",
    "cycle",
    "billed_in",
    "rounding",
    "unit_kinds",
    "unit_statuses",
    "vacant_discount",
    "payer_rule",
    "developer_id",
    "meter_kind",
    "common_meter_id",
    "is_active",
    "approval_status",
    "approval_ref",
    "rejection_reason",
    "pending_change",
)
VERSION_FIELDS = (
    "rate",
    "effective_from",
    "effective_to",
    "approval_status",
    "approval_ref",
    "rejection_reason",
)


@dataclass(frozen=True)
class StandardChange:
    """One saved change of the standard or of one of its rates."""

    at: Any
    by: str
    subject: str
    changes: list[FieldChange]
    reason: str


def _show(model: type[Model], attname: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, dict):  # a change awaiting approval: each field with its new value
        parts = []
        for name, new in value.items():
            field: Any = model._meta.get_field(name)
            parts.append(f"{field.verbose_name}: {_show(model, field.attname, new, names)}")
        return "; ".join(parts)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if attname in names:
        return names[attname].get(value, f"#{value}")
    field = model._meta.get_field(attname.removesuffix("_id"))
    if field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _changes(
    rows: list[Any],
    model: type[Model],
    attnames: tuple[str, ...],
    subject: Any,
    names: dict[str, dict[int, str]],
) -> list[StandardChange]:
    labels = {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
    previous: dict[int, Any] = {}
    found = []
    for row in rows:
        before = previous.get(row.id)
        previous[row.id] = row
        changes = [
            FieldChange(
                labels[a],
                _show(model, a, getattr(before, a), names) if before else "",
                _show(model, a, getattr(row, a), names),
            )
            for a in attnames
            if before is None or getattr(before, a) != getattr(row, a)
        ]
        if before is not None and not changes:
            continue
        found.append(
            StandardChange(
                at=row.history_date,
                by=row.history_user.display_name if row.history_user else "",
                subject=subject(row),
                changes=[c for c in changes if before is not None or c.new != "—"],
                reason=row.history_change_reason or "",
            )
        )
    return found


def standard_history(standard: FeeStandard) -> list[StandardChange]:
    """Every saved change of the standard and of its rate versions, newest first."""
    own = list(
        FeeStandard.history.filter(id=standard.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    rates = list(
        FeeStandardVersion.history.filter(standard_id=standard.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = {
        "developer_id": dict(
            Person.objects.filter(pk__in={r.developer_id for r in own}).values_list("pk", "name")
        ),
        "common_meter_id": dict(
            Meter.objects.filter(pk__in={r.common_meter_id for r in own}).values_list(
                "pk", "number"
            )
        ),
    }
    entries = _changes(own, FeeStandard, STANDARD_FIELDS, lambda r: _("Standard"), names)
    entries += _changes(
        rates,
        FeeStandardVersion,
        VERSION_FIELDS,
        lambda r: _("Rate from %(day)s") % {"day": f"{r.effective_from:%Y-%m-%d}"},
        names,
    )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


@dataclass(frozen=True)
class ProposedChange:
    """One field of a change awaiting approval: its label, the billed value, the proposed."""

    label: str
    current: str
    proposed: str


def pending_change_rows(standard: FeeStandard) -> list[ProposedChange]:
    """The change awaiting approval of an approved standard, field by field."""
    if not standard.pending_change:
        return []
    meters = {
        "common_meter_id": dict(
            Meter.objects.filter(
                pk__in={standard.common_meter_id, standard.pending_change.get("common_meter")}
            ).values_list("pk", "number")
        )
    }
    rows = []
    for name, value in standard.pending_change.items():
        field: Any = FeeStandard._meta.get_field(name)
        attname = field.attname
        rows.append(
            ProposedChange(
                str(field.verbose_name),
                _show(FeeStandard, attname, getattr(standard, attname), meters),
                _show(FeeStandard, attname, value, meters),
            )
        )
    return rows


def standards_awaiting_approval(community: Community) -> QuerySet[FeeStandard]:
    """The community's standards that await approval themselves or have a rate that does."""
    waiting_rate = FeeStandardVersion.objects.filter(
        standard=OuterRef("pk"), approval_status=ApprovalStatus.PROPOSED
    )
    return FeeStandard.objects.in_community(community).filter(
        Q(approval_status=ApprovalStatus.PROPOSED) | ~Q(pending_change={}) | Q(Exists(waiting_rate))
    )
