"""Reads of the ledger: the invariants `manage.py check_ledger` verifies, and arrears."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, Sum

from guanjia.core.models import Community
from guanjia.core.money import to_fen

from ..models import Bucket, EntryKind, LedgerEntry, UnitBalance

COLUMNS = ("billed", "paid", "waived", "written_off", "outstanding", "prepaid", "deposit")
Sums = dict[str, int]


@dataclass(frozen=True)
class LedgerProblem:
    """One broken invariant: where, and what differs."""

    where: str
    problem: str


def _sums_from_rows(rows: list[tuple[str, int]]) -> Sums:
    sums = dict.fromkeys(COLUMNS, 0)
    for bucket, fen in rows:
        if bucket == Bucket.BILLED:
            sums["billed"] += fen
        else:
            sums[bucket] -= fen
        if bucket in (Bucket.BILLED, Bucket.PAID, Bucket.WAIVED, Bucket.WRITTEN_OFF):
            sums["outstanding"] += fen
    return sums


def entry_sums(community: Community | None = None) -> dict[tuple[int, int], Sums]:
    """Balance columns computed from the entries, per (unit, fee item), in fen."""
    entries = LedgerEntry.objects.all()
    if community is not None:
        entries = entries.filter(community=community)
    rows: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    for unit_id, fee_item_id, bucket, total in (
        entries.values("unit_id", "fee_item_id", "bucket")
        .annotate(total=Sum("amount"))
        .values_list("unit_id", "fee_item_id", "bucket", "total")
        .order_by()
    ):
        rows[(unit_id, fee_item_id)].append((bucket, to_fen(total)))
    return {key: _sums_from_rows(value) for key, value in rows.items()}


def _balance_problems(community: Community | None) -> list[LedgerProblem]:
    expected = entry_sums(community)
    balances = UnitBalance.objects.all()
    if community is not None:
        balances = balances.filter(community=community)
    problems: list[LedgerProblem] = []
    seen: set[tuple[int, int]] = set()
    for balance in balances.order_by("pk"):
        key = (balance.unit_id, balance.fee_item_id)
        seen.add(key)
        actual = {c: to_fen(getattr(balance, c)) for c in COLUMNS}
        want = expected.get(key, dict.fromkeys(COLUMNS, 0))
        if actual != want:
            problems.append(
                LedgerProblem(f"unit {key[0]} item {key[1]}", f"balance {actual} != {want}")
            )
        if actual["billed"] != (
            actual["paid"] + actual["outstanding"] + actual["waived"] + actual["written_off"]
        ):
            problems.append(LedgerProblem(f"unit {key[0]} item {key[1]}", "billed != parts"))
    problems += [
        LedgerProblem(f"unit {key[0]} item {key[1]}", "entries without a balance row")
        for key, sums in expected.items()
        if key not in seen and any(sums.values())
    ]
    return problems


def _scope_problems(community: Community | None) -> list[LedgerProblem]:
    """Entries and balances belong to their unit's community."""
    entries = LedgerEntry.objects.exclude(community_id=F("unit__community_id"))
    balances = UnitBalance.objects.exclude(community_id=F("unit__community_id"))
    if community is not None:
        entries, balances = (
            entries.filter(community=community),
            balances.filter(community=community),
        )
    return [
        LedgerProblem(f"entry {pk}", "community differs from the unit's")
        for pk in entries.values_list("pk", flat=True)
    ] + [
        LedgerProblem(f"balance {pk}", "community differs from the unit's")
        for pk in balances.values_list("pk", flat=True)
    ]


def _reversal_problems(community: Community | None) -> list[LedgerProblem]:
    """Each reversal negates one existing non-reversal entry of the same unit and bucket."""
    reversals = LedgerEntry.objects.filter(kind=EntryKind.REVERSAL)
    if community is not None:
        reversals = reversals.filter(community=community)
    bad = reversals.filter(
        Q(reverses__isnull=True)
        | Q(reverses__kind=EntryKind.REVERSAL)
        | ~Q(reverses__unit_id=F("unit_id"))
        | ~Q(reverses__fee_item_id=F("fee_item_id"))
        | ~Q(reverses__bucket=F("bucket"))
        | ~Q(amount=-F("reverses__amount"))
    )
    return [
        LedgerProblem(f"reversal {pk}", "does not exactly reverse its original")
        for pk in bad.values_list("pk", flat=True)
    ]


def _period_problems(community: Community | None) -> list[LedgerProblem]:
    """Per community and period: billed = paid + outstanding + waived + written off."""
    entries = LedgerEntry.objects.all()
    if community is not None:
        entries = entries.filter(community=community)
    rows: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
    for community_id, month, bucket, total in (
        entries.values("community_id", "period", "bucket")
        .annotate(total=Sum("amount"))
        .values_list("community_id", "period", "bucket", "total")
        .order_by()
    ):
        rows[(community_id, f"{month:%Y-%m}")].append((bucket, to_fen(total)))
    problems = []
    for (community_id, period), values in rows.items():
        s = _sums_from_rows(values)
        if s["billed"] != s["paid"] + s["outstanding"] + s["waived"] + s["written_off"]:
            problems.append(LedgerProblem(f"community {community_id} {period}", "unbalanced"))
    return problems


def ledger_problems(community: Community | None = None) -> list[LedgerProblem]:
    """Every broken ledger invariant (none on a healthy database)."""
    return (
        _balance_problems(community)
        + _scope_problems(community)
        + _reversal_problems(community)
        + _period_problems(community)
    )
