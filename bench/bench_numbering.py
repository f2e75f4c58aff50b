"""Numbering: the cost of one gap-free document number (numbering.services.next_number)."""

from __future__ import annotations

from typing import Any

from bench.harness import Benchmark

KIND = "bench.document"
YEAR = 2026
RAW_NEXT = (
    "UPDATE numbering_documentsequence SET last_number = last_number + 1, "
    "updated_at = CURRENT_TIMESTAMP "
    "WHERE community_id = %s AND kind = %s AND year = %s RETURNING last_number"
)


def _seed() -> Any:
    from django.db import transaction

    from guanjia.core.models import Community, Company
    from guanjia.core.numbering.registry import register_kind
    from guanjia.core.numbering.services import next_number

    register_kind(KIND, "Benchmark document", "BN")
    company = Company.objects.create(name="Bench company")
    community = Community.objects.create(company=company, code="bench", name="Bench community")
    with transaction.atomic():  # the sequence row exists from here on, as in daily use
        next_number(community=community, kind=KIND, year=YEAR)
    return community


def _next(community: Any, i: int) -> None:
    """One number in its own transaction, as a document's save takes it."""
    from django.db import transaction

    from guanjia.core.numbering.services import next_number

    with transaction.atomic():
        next_number(community=community, kind=KIND, year=YEAR)


def _raw_next(community: Any, i: int) -> None:
    """The same work in plain SQL: one UPDATE ... RETURNING in its own transaction."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_NEXT, [community.pk, KIND, YEAR])
        cursor.fetchone()


BENCHMARKS = [
    Benchmark(
        name="numbering.next_1000",
        seed=_seed,
        run=_next,
        raw=_raw_next,
        n=1000,
        unit="ms",
        stat="p95",
        target=25.0,
        max_ratio=2.0,
        description="1,000 numbers in one community: p95 milliseconds per number",
    ),
]
