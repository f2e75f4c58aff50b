"""Postings to the append-only ledger and the balance table kept beside it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.accounts.models import User
from guanjia.core.db import advisory_lock
from guanjia.core.models import Community
from guanjia.core.money import to_fen

from ..models import KIND_BUCKET, BillingRun, Bucket, EntryKind, LedgerEntry, MonthClose

BATCH_SIZE = 2000

# The sign every kind must carry (see the convention in models.py).
POSITIVE_KINDS = frozenset({EntryKind.CHARGE, EntryKind.LATE_FEE, EntryKind.REFUND})
POSITIVE_KINDS |= {EntryKind.DEPOSIT_OUT}


@dataclass(frozen=True)
class Posting:
    """One entry to post: amounts in Decimal yuan, signed by the ledger convention."""

    unit_id: int
    fee_item_id: int
    period: dt.date
    kind: str
    amount: Decimal
    payer_id: int | None = None
    line_no: int = 1
    explanation: dict[str, Any] = field(default_factory=dict)
    memo: str = ""
    bill_ref: str = ""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def lock_month(community: Community, period: dt.date, *, exclusive: bool = False) -> None:
    """Hold a community's month until the transaction ends: postings share it, closing the
    month takes it alone. So a month closes only after the postings already running into it
    have committed, and a posting that starts after the close sees it."""
    advisory_lock(f"billing.month:{community.pk}:{period:%Y-%m}", shared=not exclusive)


def check_period(community: Community, period: dt.date) -> None:
    """Refuse a period that is not the first of a month or a month already closed (and, in
    a transaction, keep the month from being closed until it commits: `lock_month`)."""
    if period.day != 1:
        raise ValidationError(
            _("A billing period is a month: give its first day."), code="bad_period"
        )
    lock_month(community, period)
    if MonthClose.objects.filter(community=community, period=period).exists():
        raise ValidationError(
            _("%(month)s is closed: corrections post into the open month.")
            % {"month": f"{period:%Y-%m}"},
            code="period_closed",
        )


def _check_posting(posting: Posting) -> None:
    if posting.kind == EntryKind.REVERSAL or posting.kind not in KIND_BUCKET:
        raise ValidationError(_("Unknown ledger entry kind."), code="bad_kind")
    to_fen(posting.amount)
    positive = posting.kind in POSITIVE_KINDS
    if posting.amount == 0 or (posting.amount > 0) != positive:
        raise ValidationError(
            _("The amount of a %(kind)s has the wrong sign.")
            % {"kind": EntryKind(posting.kind).label},
            code="bad_sign",
        )


def _entry(community: Community, posting: Posting, by: User | None, run: BillingRun | None) -> Any:
    return LedgerEntry(
        community=community,
        unit_id=posting.unit_id,
        payer_id=posting.payer_id,
        period=posting.period,
        fee_item_id=posting.fee_item_id,
        kind=posting.kind,
        bucket=KIND_BUCKET[posting.kind],
        amount=posting.amount,
        line_no=posting.line_no,
        explanation=posting.explanation,
        memo=posting.memo,
        bill_ref=posting.bill_ref,
        billing_run=run,
        created_by=by,
    )


@transaction.atomic
def post_entries(
    *,
    community: Community,
    postings: Sequence[Posting],
    by: User | None,
    billing_run: BillingRun | None = None,
) -> list[LedgerEntry]:
    """Append entries and move the balance table with them, in one transaction.

    Every posting is checked first (kind, sign, fen, open period): one bad posting refuses
    all. Entries go in with `bulk_create` in batches, balances with one upsert per batch.
    """
    for period in {p.period for p in postings}:
        check_period(community, period)
    for posting in postings:
        _check_posting(posting)
    created: list[LedgerEntry] = []
    for start in range(0, len(postings), BATCH_SIZE):
        batch = [
            _entry(community, p, by, billing_run) for p in postings[start : start + BATCH_SIZE]
        ]
        created += LedgerEntry.objects.bulk_create(batch)
        apply_to_balances(community.pk, batch)
    return created


ENTRY_COLUMNS = (
    "community_id",
    "unit_id",
    "payer_id",
    "period",
    "fee_item_id",
    "kind",
    "bucket",
    "amount",
    "line_no",
    "explanation",
    "billing_run_id",
    "bill_ref",
    "memo",
    "created_by_id",
    "created_at",
)


@transaction.atomic
def post_entries_bulk(
    *,
    community: Community,
    postings: Sequence[Posting],
    by: User | None,
    billing_run: BillingRun | None = None,
) -> int:
    """`post_entries` for large batches (billing runs): the same checks, then the rows go in
    without model instances (PostgreSQL: one `COPY ... FROM STDIN`; SQLite: `executemany`)
    and the balances with one upsert per batch; returns the count.

    Checks, fen and explanation JSON are worked out once per distinct value: a run's lines
    share their amounts and (by identity) their explanation dicts."""
    for period in {p.period for p in postings}:
        check_period(community, period)
    pg = connection.vendor == "postgresql"
    now: Any = timezone.now()
    if not pg:
        now = connection.ops.adapt_datetimefield_value(now)
    run_id, by_id = billing_run.pk if billing_run else None, by.pk if by else None
    fen_of: dict[tuple[str, Decimal], int] = {}
    json_of: dict[int, str] = {}
    rows = []
    deltas: Deltas = {}
    for p in postings:
        fen = fen_of.get((p.kind, p.amount))
        if fen is None:
            _check_posting(p)
            fen = fen_of[(p.kind, p.amount)] = to_fen(p.amount)
        text = json_of.get(id(p.explanation))
        if text is None:
            text = json_of[id(p.explanation)] = json.dumps(p.explanation)
        bucket = KIND_BUCKET[p.kind]
        rows.append(
            (
                *(community.pk, p.unit_id, p.payer_id, p.period, p.fee_item_id, p.kind, bucket),
                *(fen, p.line_no, text, run_id, p.bill_ref, p.memo, by_id, now),
            )
        )
        _add_delta(deltas, (p.unit_id, p.fee_item_id), bucket, fen)
    if pg:  # COPY fires the constraints and the append-only triggers like INSERT does
        with connection.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        for start in range(0, len(rows), BATCH_SIZE):
            with connection.cursor() as cursor:
                cursor.executemany(INSERT_SQL, rows[start : start + BATCH_SIZE])
    _upsert_balances(community.pk, deltas)
    return len(postings)


COPY_SQL = f"COPY billing_ledgerentry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN"
INSERT_SQL = (
    f"INSERT INTO billing_ledgerentry ({', '.join(ENTRY_COLUMNS)}) "  # noqa: S608 (constant columns)
    f"VALUES ({', '.join(['%s'] * len(ENTRY_COLUMNS))})"
)


BALANCE_COLUMNS = ("billed", "paid", "waived", "written_off", "outstanding", "prepaid", "deposit")
OUTSTANDING = BALANCE_COLUMNS.index("outstanding")
Deltas = dict[tuple[int, int], list[int]]  # (unit, fee item) -> fen per BALANCE_COLUMNS


def _add_delta(deltas: Deltas, key: tuple[int, int], bucket: str, fen: int) -> None:
    row = deltas.get(key)
    if row is None:
        row = deltas[key] = [0] * len(BALANCE_COLUMNS)
    if bucket == Bucket.BILLED:
        row[0] += fen
    else:
        row[BALANCE_COLUMNS.index(bucket)] -= fen  # credits are negative amounts, positive columns
    if bucket in (Bucket.BILLED, Bucket.PAID, Bucket.WAIVED, Bucket.WRITTEN_OFF):
        row[OUTSTANDING] += fen


def balance_deltas(entries: Sequence[LedgerEntry]) -> Deltas:
    """Fen to add to each (unit, fee item) balance row for these entries."""
    deltas: Deltas = {}
    for entry in entries:
        key = (entry.unit_id, entry.fee_item_id)
        _add_delta(deltas, key, entry.bucket, to_fen(entry.amount))
    return deltas


def apply_to_balances(community_id: int, entries: Sequence[LedgerEntry]) -> None:
    _upsert_balances(community_id, balance_deltas(entries))


def _upsert_balances(community_id: int, deltas_by_key: Deltas) -> None:
    """INSERT ... ON CONFLICT DO UPDATE on both databases: PostgreSQL one statement per
    5,000 rows from `unnest` of arrays, SQLite one per 500 rows of VALUES."""
    deltas = list(deltas_by_key.items())
    columns = ", ".join(BALANCE_COLUMNS)
    updates = ", ".join(f"{c} = billing_unitbalance.{c} + excluded.{c}" for c in BALANCE_COLUMNS)
    head = f"INSERT INTO billing_unitbalance (community_id, unit_id, fee_item_id, {columns}) "
    tail = f" ON CONFLICT (unit_id, fee_item_id) DO UPDATE SET {updates}"
    if connection.vendor == "postgresql":
        arrays = ", ".join(["%s::bigint[]"] * (2 + len(BALANCE_COLUMNS)))
        for start in range(0, len(deltas), 5000):
            chunk = deltas[start : start + 5000]
            columns_of = [[k[0] for k, _r in chunk], [k[1] for k, _r in chunk]]
            columns_of += [list(column) for column in zip(*(row for _k, row in chunk), strict=True)]
            # array literals as text: psycopg's list adapter is slow for 5,000 numbers
            params: list[int | str] = [community_id]
            params += ["{" + ",".join(map(str, c)) + "}" for c in columns_of]
            with connection.cursor() as cursor:
                sql = f"{head}SELECT %s, t.* FROM unnest({arrays}) AS t{tail}"  # noqa: S608
                cursor.execute(sql, params)
        return
    row_sql = "(" + ", ".join(["%s"] * (3 + len(BALANCE_COLUMNS))) + ")"
    for start in range(0, len(deltas), 500):
        chunk = deltas[start : start + 500]
        values: list[int] = []
        for (unit_id, fee_item_id), row in chunk:
            values += [community_id, unit_id, fee_item_id, *row]
        with connection.cursor() as cursor:
            cursor.execute(f"{head}VALUES {', '.join([row_sql] * len(chunk))}{tail}", values)


def correction_period(community: Community, period: dt.date) -> dt.date:
    """Where a correction of an entry of `period` posts: that month while it is open, else
    the current month."""
    if not MonthClose.objects.filter(community=community, period=period).exists():
        return period
    return month_start(timezone.localdate())


@transaction.atomic
def reverse_entries(
    *, entries: Sequence[LedgerEntry], by: User, memo: str = ""
) -> list[LedgerEntry]:
    """Post one reversal per entry: the negated amount, in the same bucket, once only."""
    if not entries:
        return []
    community = entries[0].community
    ids = [e.pk for e in entries]
    if any(e.community_id != community.pk for e in entries):
        raise ValidationError(_("Entries of different communities."), code="mixed_communities")
    if any(e.kind == EntryKind.REVERSAL for e in entries):
        raise ValidationError(_("A reversal cannot be reversed."), code="reverse_reversal")
    if LedgerEntry.objects.filter(reverses_id__in=ids).exists():
        raise ValidationError(_("This entry is already reversed."), code="already_reversed")
    periods = {e.period: correction_period(community, e.period) for e in entries}
    for period in set(periods.values()):
        check_period(community, period)
    batch = [
        LedgerEntry(
            community=community,
            unit_id=e.unit_id,
            payer_id=e.payer_id,
            period=periods[e.period],
            fee_item_id=e.fee_item_id,
            kind=EntryKind.REVERSAL,
            bucket=e.bucket,
            amount=-e.amount,
            line_no=e.line_no,
            reverses=e,
            billing_run_id=e.billing_run_id,
            bill_ref=e.bill_ref,
            memo=memo,
            created_by=by,
        )
        for e in entries
    ]
    created = LedgerEntry.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    apply_to_balances(community.pk, batch)
    return created
