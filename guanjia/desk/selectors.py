"""Reads of the front desk: what a handover lists (the desk's own sections), the
supervisor's overdue keys and held mail, the handover reports and the console."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.handover import ItemDraft, Section, SectionContext, register_section
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.tickets.selectors.handover import (
    OpenTicket,
    complaints_awaiting_reply,
    due_before,
    repairs_dispatched_not_done,
)

from .models import Handover, HandoverStatus, Instruction, KeyLoan, Parcel


def _local(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%m-%d %H:%M}" if value else ""


def _tickets(rows: list[OpenTicket], total: int, limit: int) -> list[ItemDraft]:
    items = [
        ItemDraft(
            summary=f"{t.number} {t.summary}",
            ref=t.number,
            detail=f"{t.status} · {_('due')} {_local(t.due)}" if t.due else t.status,
        )
        for t in rows
    ]
    if total > len(rows):
        items.append(ItemDraft(summary=_("and %(count)s more") % {"count": total - len(rows)}))
    return items


def tickets_due(ctx: SectionContext) -> list[ItemDraft]:
    found = due_before(ctx.community, ctx.next_shift_end, limit=ctx.limit)
    return _tickets(found.rows, found.total, ctx.limit)


def repairs_open(ctx: SectionContext) -> list[ItemDraft]:
    found = repairs_dispatched_not_done(ctx.community, limit=ctx.limit)
    return _tickets(found.rows, found.total, ctx.limit)


def complaints_waiting(ctx: SectionContext) -> list[ItemDraft]:
    found = complaints_awaiting_reply(ctx.community, limit=ctx.limit)
    return _tickets(found.rows, found.total, ctx.limit)


def keys_out_items(ctx: SectionContext) -> list[ItemDraft]:
    loans = KeyLoan.objects.out().filter(community=ctx.community).select_related("key__unit")
    rows = list(loans.order_by("due_at", "pk")[: ctx.limit])
    total = loans.count() if len(rows) == ctx.limit else len(rows)
    items = [
        ItemDraft(
            summary=f"{loan.key.cabinet_slot} {loan.key.unit.room_code} → {loan.borrower_name}",
            ref=loan.key.cabinet_slot,
            detail=f"{_('due')} {_local(loan.due_at)}"
            + (f" · {_('Overdue')}" if loan.due_at < timezone.now() else ""),
        )
        for loan in rows
    ]
    if total > len(rows):
        items.append(ItemDraft(summary=_("and %(count)s more") % {"count": total - len(rows)}))
    return items


def parcels_held_items(ctx: SectionContext) -> list[ItemDraft]:
    held = Parcel.objects.held().filter(community=ctx.community)
    total = held.count()
    items = [ItemDraft(summary=_("%(count)s items held in all") % {"count": total}, ref=str(total))]
    for parcel in held.select_related("unit").order_by("received_at", "pk")[: ctx.limit]:
        items.append(
            ItemDraft(
                summary=f"{parcel.unit.room_code} {parcel.addressee} · {parcel.get_kind_display()}",
                ref=parcel.shelf,
                detail=f"{parcel.carrier} {_local(parcel.received_at)}",
            )
        )
    return items


def instructions_items(ctx: SectionContext) -> list[ItemDraft]:
    rows = Instruction.objects.filter(
        community=ctx.community, valid_until__gte=timezone.localdate()
    ).filter(post__isnull=True) | Instruction.objects.filter(
        community=ctx.community,
        valid_until__gte=timezone.localdate(),
        post__kind=ctx.post_kind,
    )
    return [
        ItemDraft(summary=i.text[:200], detail=f"{i.given_by} · {_('until')} {i.valid_until}")
        for i in rows.select_related("given_by").order_by("-pk")[: ctx.limit]
    ]


def shift_events_items(ctx: SectionContext) -> list[ItemDraft]:
    """What happened at the desk during the shift: keys out and back, mail in and out."""
    window = (ctx.shift_start, ctx.shift_end)
    lent = KeyLoan.objects.filter(community=ctx.community, out_at__range=window).count()
    back = KeyLoan.objects.filter(community=ctx.community, returned_at__range=window).count()
    came = Parcel.objects.filter(community=ctx.community, received_at__range=window).count()
    went = Parcel.objects.filter(community=ctx.community, collected_at__range=window).count()
    return [
        ItemDraft(
            summary=_("Keys lent: %(out)s, returned: %(back)s") % {"out": lent, "back": back}
        ),
        ItemDraft(
            summary=_("Mail received: %(came)s, collected: %(went)s") % {"came": came, "went": went}
        ),
    ]


def register_desk_sections() -> None:
    for section in (
        Section(
            "tickets_due",
            gettext_lazy("Open tickets due by the end of the next shift"),
            tickets_due,
            10,
        ),
        Section("repairs", gettext_lazy("Repairs dispatched, not finished"), repairs_open, 20),
        Section("complaints", gettext_lazy("Complaints awaiting a reply"), complaints_waiting, 30),
        Section("keys_out", gettext_lazy("Keys out"), keys_out_items, 40),
        Section("parcels", gettext_lazy("Mail and parcels held"), parcels_held_items, 50),
        Section(
            "instructions", gettext_lazy("Instructions from superiors"), instructions_items, 60
        ),
        Section("events", gettext_lazy("The shift's events"), shift_events_items, 70),
    ):
        register_section(section)


def current_instructions(community: Community) -> QuerySet[Instruction]:
    return (
        Instruction.objects.filter(community=community, valid_until__gte=timezone.localdate())
        .select_related("post", "given_by")
        .order_by("-pk")
    )


# --- Lists ---------------------------------------------------------------------------------


def overdue_loans(community: Community, now: dt.datetime | None = None) -> QuerySet[KeyLoan]:
    return KeyLoan.objects.overdue(now).filter(community=community).select_related("key__unit")


def parcels_held_too_long(community: Community, now: dt.datetime | None = None) -> QuerySet[Parcel]:
    days = policy(community, "parcel.hold_days")
    before = (now or timezone.now()) - dt.timedelta(days=days)
    return (
        Parcel.objects.held_since_before(before).filter(community=community).select_related("unit")
    )


@dataclass(frozen=True)
class Console:
    keys_out: list[KeyLoan]
    keys_out_count: int
    parcels_held: list[Parcel]
    parcels_held_count: int
    handover: Handover | None


def console(community: Community, user: object, *, limit: int = 10) -> Console:
    """The receptionist's page: keys out, parcels held, the current handover."""
    loans = KeyLoan.objects.out().filter(community=community)
    held = Parcel.objects.held().filter(community=community)
    current = (
        Handover.objects.filter(community=community)
        .exclude(status=HandoverStatus.CLOSED)
        .select_related("post", "shift", "outgoing", "incoming")
        .order_by("-shift_ends_at", "-pk")
        .first()
    )
    return Console(
        keys_out=list(loans.select_related("key__unit").order_by("due_at", "pk")[:limit]),
        keys_out_count=loans.count(),
        parcels_held=list(held.select_related("unit").order_by("received_at", "pk")[:limit]),
        parcels_held_count=held.count(),
        handover=current,
    )
