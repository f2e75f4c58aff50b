"""The front desk's tasks on the workbench: a handover signed over to me, handovers refused,
notices to approve, keys still out (overdue first) and parcels held longer than the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import Handover, HandoverStatus, KeyLoan, Notice, NoticeStatus, Parcel
from .selectors import parcels_held_too_long


def _handovers_to_take(q: TaskQuery) -> QuerySet[Handover]:
    return (
        Handover.objects.in_community(q.community)
        .filter(status=HandoverStatus.OFFERED, incoming=q.user)
        .select_related("post", "outgoing")
    )


def _handovers_refused(q: TaskQuery) -> QuerySet[Handover]:
    return (
        Handover.objects.in_community(q.community)
        .filter(status=HandoverStatus.REFUSED)
        .select_related("post", "outgoing", "incoming")
    )


def _notices_to_approve(q: TaskQuery) -> QuerySet[Notice]:
    # Nobody approves the notice they drafted or sent (the workflow would refuse it).
    return (
        Notice.objects.in_community(q.community)
        .filter(status=NoticeStatus.PENDING)
        .exclude(drafted_by=q.user)
        .exclude(requested_by=q.user)
    )


def _keys_out(q: TaskQuery) -> QuerySet[KeyLoan]:
    return (
        KeyLoan.objects.out()
        .filter(community=q.community)
        .select_related("key__unit", "collector", "staff")
    )


def _parcels(q: TaskQuery) -> QuerySet[Parcel]:
    return parcels_held_too_long(q.community, q.now)


def _loan_title(loan: KeyLoan) -> str:
    holder = loan.staff or (loan.collector.name if loan.collector else "")
    return f"{loan.key.unit.room_code} {loan.key.get_kind_display()} {holder}"


def _handover_title(handover: Handover) -> str:
    return f"{handover.post.name} {handover.day:%m-%d} {handover.outgoing} → {handover.incoming}"


def _list(name: str, query: str) -> Any:
    return lambda q: reverse(name) + query


def register() -> None:
    register_task(
        TaskKind(
            code="desk.handover_to_take",
            label=_("Handovers signed over to me"),
            perm="desk.add_handover",
            items=_handovers_to_take,
            deadline="shift_ends_at",
            title=lambda h: f"{h.post.name} {h.day:%m-%d} {h.outgoing}",
            link=lambda h: reverse("desk:handover-detail", args=[h.pk]),
            list_url=_list("desk:handover-list", f"?status={HandoverStatus.OFFERED}"),
            order=80,
            hide_when_empty=True,
        )
    )
    register_task(
        TaskKind(
            code="desk.handover_refused",
            label=_("Handovers refused"),
            perm="desk.view_handover_reports",
            items=_handovers_refused,
            deadline="shift_ends_at",
            title=_handover_title,
            link=lambda h: reverse("desk:handover-detail", args=[h.pk]),
            list_url=_list("desk:handover-list", f"?status={HandoverStatus.REFUSED}"),
            order=81,
        )
    )
    register_task(
        TaskKind(
            code="desk.notice_to_approve",
            label=_("Notices to approve"),
            perm="desk.approve_notice",
            items=_notices_to_approve,
            deadline="starts_at",
            title=lambda n: n.title,
            link=lambda n: reverse("desk:notice-detail", args=[n.pk]),
            list_url=_list("desk:notice-list", f"?status={NoticeStatus.PENDING}"),
            order=82,
        )
    )
    register_task(
        TaskKind(
            code="desk.keys_out",
            label=_("Keys lent out"),
            perm="desk.add_keyloan",
            items=_keys_out,
            deadline="due_at",
            title=_loan_title,
            link=lambda loan: reverse("desk:key-detail", args=[loan.key_id]),
            list_url=_list("desk:loan-list", "?out=true"),
            order=83,
        )
    )
    register_task(
        TaskKind(
            code="desk.parcels_held",
            label=_("Parcels held too long"),
            perm="desk.change_parcel",
            items=_parcels,
            title=lambda p: f"{p.unit.room_code} {p.get_kind_display()}",
            link=lambda p: reverse("desk:parcel-detail", args=[p.pk]),
            list_url=lambda q: reverse("desk:parcel-overdue"),
            order=84,
        )
    )
