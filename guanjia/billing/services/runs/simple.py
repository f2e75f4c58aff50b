"""The one-statement path of a run on PostgreSQL: when a standard's lines need nothing but
quantity × rate for a whole month, the charges, their explanations and the balances go in
with one `INSERT ... SELECT` (the same figures `compute_lines` gives: see
tests/test_run_speed_sql.py). The units it leaves out — a fee start inside or after the
month, a vacant discount, no quantity — are exactly the units `remainder()` selects, which
the Python path (plan.py) then bills or reports, so every unit is billed once.

Used when: PostgreSQL; building area, inner area or fixed per unit; a one-month cycle; one
rate version covering the whole month; no unit exception in the month; the fee item's only
standard (every line is line 1); the community's default fee start on or before the month.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from guanjia.core.money import RoundingRule
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Ownership, Unit, UnitStatus

from ...models import BillingRun, FeeStandard, Method, PayerRule
from ..calculation import covered_months, days_in_month, fee_start, month_end, quantity_label
from .plan import delivery_dates, rate_spans, unit_exceptions

QUANTITY: dict[str, str | None] = {
    Method.BUILDING_AREA: "building_area",
    Method.INNER_AREA: "inner_area",
    Method.FIXED: None,
}
# The rounding rules of core.money.round_money, for positive amounts (rates are positive).
ROUNDED: dict[str, str] = {
    RoundingRule.HALF_UP: "ROUND(x, 2)",
    RoundingRule.DOWN: "TRUNC(x, 2)",
    RoundingRule.UP: "CEIL(x * 100) / 100",
    RoundingRule.JIAO: "ROUND(x, 1)",
}


@dataclass(frozen=True)
class SimplePlan:
    standard: FeeStandard
    month: dt.date
    rate: Decimal
    version_id: int
    fee_start: dt.date | None
    own_start: dict[int, dt.date]  # delivered units whose fees start before the month
    special: list[int]  # delivered units whose fees start later: the Python path bills them
    skip_vacant: bool  # the vacant discount applies: the Python path bills vacant units


def simple_plan(standards: list[FeeStandard], period: dt.date) -> SimplePlan | None:
    """The plan of the one-statement path, or None when the standard needs Python."""
    if connection.vendor != "postgresql" or len(standards) != 1:
        return None
    standard = standards[0]
    months = covered_months(period, standard.cycle, standard.billed_in)
    if standard.method not in QUANTITY or standard.rounding not in ROUNDED or len(months) != 1:
        return None
    month, last = months[0], month_end(months[0])
    spans = [
        s for s in rate_spans(standard) if s.starts <= last and (s.ends is None or s.ends >= month)
    ]
    if len(spans) != 1 or spans[0].starts > month or (spans[0].ends or last) < last:
        return None
    start = standard.community.delivered_on
    if (start is not None and start > month) or unit_exceptions(standard, months):
        return None
    rule = policy(standard.community, "movein.fee_start_rule", on=month)
    starts = {pk: fee_start(day, rule) for pk, day in delivery_dates(standard.community_id).items()}
    vacant_rate = policy(standard.community, "billing.vacant_discount_rate", on=period)
    return SimplePlan(
        standard,
        month,
        spans[0].rate,
        spans[0].version_id,
        start,
        {pk: day for pk, day in starts.items() if day <= month},
        sorted(pk for pk, day in starts.items() if day > month),
        bool(standard.vacant_discount and vacant_rate),
    )


def remainder(plan: SimplePlan) -> Q:
    """The units of the standard the statement leaves to the Python path."""
    column = QUANTITY[plan.standard.method]
    left = Q(pk__in=plan.special)
    if column is not None:
        left |= Q(**{f"{column}__isnull": True}) | Q(**{f"{column}__lte": 0})
    if plan.skip_vacant:
        left |= Q(status=UnitStatus.VACANT)
    return left


def _array(values: list[Any]) -> str:
    """A PostgreSQL array literal: each element double-quoted, `"` and `\\` escaped."""
    return "{" + ",".join(json.dumps(str(v), ensure_ascii=False) for v in values) + "}"


def post_simple_lines(
    plan: SimplePlan, *, run: BillingRun, by_id: int | None, period: dt.date, extend: bool
) -> tuple[int, Decimal]:
    """Insert the charges of every unit the plan covers, with their explanations, and move
    their balances, in one statement; (lines added, their total)."""
    standard = plan.standard
    column = QUANTITY[standard.method]
    quantity = f"u.{column}" if column else "CAST(1 AS numeric)"
    dim = days_in_month(plan.month)
    constant = {
        "rate": str(plan.rate),
        "rate_version": plan.version_id,
        "days": [[f"{plan.month:%Y-%m}", dim, dim]],
        "rounding": standard.rounding,
        "standard": standard.name,
    }
    suffix = f" ({quantity_label(standard.method, get_language())}) × {plan.rate} × ({dim}/{dim})"
    where = ["u.community_id = %(community)s", "NOT (u.id = ANY(%(special)s::bigint[]))"]
    if column:
        where.append(f"u.{column} > 0")
    if standard.unit_kinds:
        where.append("u.kind = ANY(%(kinds)s::text[])")
    if standard.unit_statuses:
        where.append("u.status = ANY(%(statuses)s::text[])")
    if plan.skip_vacant:
        where.append("u.status <> %(vacant)s")
    if extend:  # units the run billed before are left out
        where.append(
            "NOT EXISTS (SELECT 1 FROM billing_ledgerentry e WHERE e.billing_run_id = %(run)s "
            "AND e.kind = 'charge' AND e.unit_id = u.id)"
        )
    developer = standard.developer_id if standard.payer_rule == PayerRule.DEVELOPER_IF_UNSOLD else 0
    amount = ROUNDED[standard.rounding].replace("x", "(q * %(rate)s::numeric)")
    sql = f"""
        WITH units AS (
            SELECT u.id, {quantity} AS q,
                CASE WHEN %(developer_rule)s AND u.status = %(unsold)s THEN %(developer)s::bigint
                ELSE (SELECT o.person_id FROM {Ownership._meta.db_table} o
                      WHERE o.unit_id = u.id AND o.starts_on <= %(day)s
                      AND (o.ends_on IS NULL OR o.ends_on >= %(day)s)
                      ORDER BY o.share DESC, o.id LIMIT 1) END AS payer
            FROM {Unit._meta.db_table} u WHERE {" AND ".join(where)}
        ), lines AS (
            SELECT id, q, payer, CAST({amount} * 100 AS bigint) AS fen,
                COALESCE(to_jsonb(CAST(d.start AS text)), %(fee_start)s::jsonb) AS fee_start
            FROM units LEFT JOIN unnest(%(delivered)s::bigint[], %(starts)s::date[])
                AS d(unit_id, start) ON d.unit_id = units.id
        ), ins AS (
            INSERT INTO billing_ledgerentry (community_id, unit_id, payer_id, period,
                fee_item_id, kind, bucket, amount, line_no, explanation, billing_run_id,
                bill_ref, memo, created_by_id, created_at)
            SELECT %(community)s, id, payer, %(period)s, %(item)s, 'charge', 'billed', fen, 1,
                jsonb_build_object('formula', CAST(q AS text) || %(suffix)s,
                    'quantity', CAST(q AS text), 'fee_start', fee_start) || %(constant)s::jsonb,
                %(run)s, '', '', %(by)s, %(now)s
            FROM lines WHERE fen > 0
            RETURNING unit_id, amount
        ), balances AS (
            INSERT INTO billing_unitbalance (community_id, unit_id, fee_item_id, billed, paid,
                waived, written_off, outstanding, prepaid, deposit)
            SELECT %(community)s, unit_id, %(item)s, SUM(amount), 0, 0, 0, SUM(amount), 0, 0
            FROM ins GROUP BY unit_id
            ON CONFLICT (unit_id, fee_item_id) DO UPDATE SET
                billed = billing_unitbalance.billed + excluded.billed,
                outstanding = billing_unitbalance.outstanding + excluded.outstanding
        )
        SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM ins
    """  # noqa: S608 (table and column names are constants)
    params: dict[str, Any] = {
        "community": standard.community_id,
        "special": _array(plan.special),
        "kinds": _array(standard.unit_kinds or []),
        "statuses": _array(standard.unit_statuses or []),
        "vacant": UnitStatus.VACANT,
        "unsold": UnitStatus.UNSOLD,
        "developer_rule": developer != 0,
        "developer": developer or None,
        "day": plan.month,
        "rate": plan.rate,
        "period": period,
        "item": standard.fee_item_id,
        "suffix": suffix,
        "constant": json.dumps(constant),
        "fee_start": json.dumps(plan.fee_start.isoformat() if plan.fee_start else None),
        "delivered": _array(list(plan.own_start)),
        "starts": _array([day.isoformat() for day in plan.own_start.values()]),
        "run": run.pk,
        "by": by_id,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, fen = cursor.fetchone()
    return int(count), (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))
