"""Payments and collection: a month's dunning notices for 2,000 units as one PDF, and the
collection-rate page's figures over 1,000,000 ledger lines, beside the plain work.

Both scale by environment for a quick run on a shared machine:
`BENCH_PAYMENTS_NOTICE_UNITS` (default 2,000) and `BENCH_PAYMENTS_LEDGER_LINES` (default
1,000,000), e.g. `BENCH_PAYMENTS_NOTICE_UNITS=20 BENCH_PAYMENTS_LEDGER_LINES=20000 make bench
BENCH=payments`."""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
from dataclasses import dataclass
from typing import Any

from bench.harness import Benchmark

NOTICE_UNITS = int(os.environ.get("BENCH_PAYMENTS_NOTICE_UNITS", "2000"))
LEDGER_LINES = int(os.environ.get("BENCH_PAYMENTS_LEDGER_LINES", "1000000"))
KPI_UNITS = max(LEDGER_LINES // 100, 10)  # 100 lines a unit: ten years of monthly bills
PEAK_RSS_MB = 500
DAY = dt.date(2024, 3, 20)


def log(message: str) -> None:
    sys.stderr.write(f"bench[payments]: {message}\n")


def _execute(sql: str, params: list[Any] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@dataclass
class Fixture:
    community: Any
    building: Any
    user: Any
    item: Any


def _community(code: str, units: int) -> Fixture:
    """One building of `units` units (each with an owner), a cashier, a service fee item."""
    from django.utils import timezone

    from guanjia.accounts.models import User
    from guanjia.billing.models import FeeItem
    from guanjia.core.models import Community, Company
    from guanjia.estates.models import Building, Ownership, Person, Unit, Zone

    company = Company.objects.first() or Company.objects.create(name="基准物业")
    community = Community.objects.create(company=company, code=code, name=f"收费基准-{code}")
    zone = Zone.objects.create(community=community, name="一区")
    building = Building.objects.create(community=community, zone=zone, number="1", floors_above=99)
    now = timezone.now()
    Unit.objects.bulk_create(
        [
            Unit(
                community=community,
                building=building,
                room_number=f"{i // 20 + 1}{i % 20 + 1:02d}",
                floor=i // 20 + 1,
                building_area="89.50",
                room_code=f"1-{i // 20 + 1}{i % 20 + 1:02d}",
                sort_key=f"1-{i // 20 + 1:04d}{i % 20 + 1:02d}",
                created_at=now,
            )
            for i in range(units)
        ],
        batch_size=2000,
    )
    unit_ids = list(Unit.objects.filter(community=community).values_list("pk", flat=True))
    people = Person.objects.bulk_create(
        [Person(community=community, name=f"业主{n}") for n in range(len(unit_ids))],
        batch_size=2000,
    )
    Ownership.objects.bulk_create(
        [
            Ownership(community=community, unit_id=u, person=p, starts_on=dt.date(2010, 1, 1))
            for u, p in zip(unit_ids, people, strict=True)
        ],
        batch_size=2000,
    )
    user = User.objects.create(username=f"bench-pay-{code}", full_name="收费员", company=company)
    item = FeeItem.objects.filter(company=company, code="pay-bench").first() or (
        FeeItem.objects.create(
            company=company, code="pay-bench", name="物业服务费", category="service"
        )
    )
    return Fixture(community, building, user, item)


def _charges(fixture: Fixture, months: int) -> None:
    """`months` monthly charges for every unit of the community, and half of them paid (bill
    ref and posting month as a payment at the counter writes them); balances rebuilt."""
    from django.db import connection, transaction
    from django.utils import timezone

    pg = connection.vendor == "postgresql"
    now = timezone.now() if pg else connection.ops.adapt_datetimefield_value(timezone.now())

    def month(back: int) -> dt.date:
        index = 2024 * 12 + 2 - back  # March 2024, then back
        return dt.date(index // 12, index % 12 + 1, 1)

    with transaction.atomic():
        if pg:
            _execute("SET LOCAL session_replication_role = replica")
        for m in range(months):
            _execute(
                "INSERT INTO billing_ledgerentry (community_id, unit_id, period, fee_item_id, "
                "kind, bucket, amount, line_no, explanation, bill_ref, memo, created_by_id, "
                "created_at) SELECT u.community_id, u.id, %s, %s, 'charge', 'billed', 22375, 1, "
                "'{}', '', '', %s, %s FROM estates_unit u WHERE u.community_id = %s",
                [month(m), fixture.item.pk, fixture.user.pk, now, fixture.community.pk],
            )
            if m % 2:  # paid the month after it was billed
                _execute(
                    "INSERT INTO billing_ledgerentry (community_id, unit_id, period, "
                    "fee_item_id, kind, bucket, amount, line_no, explanation, bill_ref, memo, "
                    "created_by_id, created_at) SELECT u.community_id, u.id, %s, %s, 'payment', "
                    "'paid', -22375, 1, '{}', %s, '', %s, %s FROM estates_unit u "
                    "WHERE u.community_id = %s",
                    [
                        month(m - 1),
                        fixture.item.pk,
                        f"bill:{month(m):%Y-%m}",
                        fixture.user.pk,
                        now,
                        fixture.community.pk,
                    ],
                )
        _execute(
            "INSERT INTO billing_unitbalance (community_id, unit_id, fee_item_id, billed, paid, "
            "waived, written_off, outstanding, prepaid, deposit) SELECT MIN(community_id), "
            "unit_id, fee_item_id, SUM(CASE WHEN bucket = 'billed' THEN amount ELSE 0 END), "
            "-SUM(CASE WHEN bucket = 'paid' THEN amount ELSE 0 END), 0, 0, SUM(amount), 0, 0 "
            "FROM billing_ledgerentry WHERE community_id = %s GROUP BY unit_id, fee_item_id",
            [fixture.community.pk],
        )
        if pg:
            _execute("SET LOCAL session_replication_role = DEFAULT")
    if pg:
        _execute("ANALYZE")


# --- payments.notices_2000 ----------------------------------------------------------------------


def _notices_seed() -> Fixture:
    fixture = _community("notices", NOTICE_UNITS)
    _charges(fixture, 3)
    log(f"seeded {NOTICE_UNITS} units owing three months")
    return fixture


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _notices(fixture: Fixture, i: int) -> None:
    """The month's fee notices prepared (one aggregate read, one bulk insert) and the
    building's PDF rendered, as the job does."""
    from guanjia.cashier.models import DunningNotice
    from guanjia.cashier.services import prepare_fee_notices
    from guanjia.cashier.services.notices import notices_pdf

    DunningNotice.objects.filter(community=fixture.community).delete()
    made = prepare_fee_notices(fixture.community, DAY)
    assert made == NOTICE_UNITS, made
    notices = list(
        DunningNotice.objects.filter(community=fixture.community)
        .select_related("unit__building", "unit__entrance")
        .order_by("unit__sort_key")
    )
    pdf = notices_pdf(notices, fixture.community)
    log(f"payments.notices: {len(pdf) / 1e6:.1f} MB PDF, peak RSS {_peak_rss_mb():.0f} MB")
    if _peak_rss_mb() > PEAK_RSS_MB:
        raise RuntimeError(f"peak memory {_peak_rss_mb():.0f} MB is above {PEAK_RSS_MB} MB")


def _notices_raw(fixture: Fixture, i: int) -> None:
    """WeasyPrint writing the same notices as plain HTML from one SQL read, no Guanjia code."""
    from django.db import connection
    from weasyprint import HTML

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.room_code, SUM(e.amount) FROM billing_ledgerentry e JOIN estates_unit u "
            "ON u.id = e.unit_id WHERE e.community_id = %s GROUP BY u.room_code, u.sort_key "
            "ORDER BY u.sort_key",
            [fixture.community.pk],
        )
        rows = cursor.fetchall()
    body = "".join(
        f'<section style="page-break-after: always"><h2>缴费通知单</h2><p>{room}</p>'
        f"<table><tr><td>物业服务费</td><td>{fen / 100:.2f}</td></tr></table></section>"
        for room, fen in rows
    )
    HTML(string=f"<html><body>{body}</body></html>").write_pdf()


# --- payments.collection_kpis_1m ------------------------------------------------------------------


def _kpis_seed() -> Fixture:
    fixture = _community("kpis", KPI_UNITS)
    months = max(LEDGER_LINES // KPI_UNITS * 2 // 3, 1)  # charges and half as many payments
    _charges(fixture, months)
    log(f"seeded {KPI_UNITS} units and about {LEDGER_LINES} ledger lines")
    return fixture


def _kpis(fixture: Fixture, i: int) -> None:
    from guanjia.cashier.selectors.collection import collection_report

    collection_report(fixture.community, dt.date(2024, 1, 1), dt.date(2024, 3, 1))


def _kpis_raw(fixture: Fixture, i: int) -> None:
    """The three money rates' sums in one plain SQL scan (the page's largest part)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(CASE WHEN bucket = 'billed' AND period >= %s THEN amount END), "
            "SUM(CASE WHEN bucket = 'paid' AND bill_ref >= 'bill:2024-01' THEN amount END), "
            "SUM(CASE WHEN period < %s THEN amount END), "
            "SUM(CASE WHEN bucket = 'paid' AND bill_ref < 'bill:2024-01' AND period >= %s "
            "THEN amount END) FROM billing_ledgerentry WHERE community_id = %s "
            "AND period <= %s",
            [
                dt.date(2024, 1, 1),
                dt.date(2024, 1, 1),
                dt.date(2024, 1, 1),
                fixture.community.pk,
                dt.date(2024, 3, 1),
            ],
        )
        cursor.fetchall()


BENCHMARKS = [
    Benchmark(
        name="payments.notices_2000",
        seed=_notices_seed,
        run=_notices,
        raw=_notices_raw,
        n=NOTICE_UNITS,
        unit="ms",
        stat="max",
        repeat=1,
        warmup=0,
        target=360_000.0,
        description="a month's fee notices (缴费通知单) for 2,000 units prepared and rendered as "
        "one PDF (letterhead, Chinese fonts); fails above 500 MB peak RSS",
    ),
    Benchmark(
        name="payments.collection_kpis_1m",
        seed=_kpis_seed,
        run=_kpis,
        raw=_kpis_raw,
        n=LEDGER_LINES,
        unit="ms",
        stat="p95",
        repeat=20,
        warmup=2,
        target=500.0,
        description="the collection-rate page's figures (rates by community, zone and "
        "building, households, annual, ageing, top debtors, payments, deposits, prepaid) over "
        "1,000,000 ledger lines",
    ),
]
