"""Hand out gap-free document numbers: `next_number(community=, kind=)` -> `TS-2026-0001`.

Gap-free means the counter moves in the caller's own transaction: the row stays locked until
the document is saved and committed, and a rolled-back document gives its number back. This is
why `next_number` is not `@transaction.atomic` itself and refuses to run outside a transaction.
Two documents of the same kind in the same community therefore commit one after the other;
keep the transaction that takes a number short.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from guanjia.core.models import Community

from .models import DocumentSequence
from .registry import get_kind


@dataclass(frozen=True, order=True)
class DocumentNumber:
    """A document's number: `<prefix>-<year>-<seq>`, seq zero-padded to the kind's padding
    (4 by default), growing past it when needed: TS-2026-0001, TS-2026-9999, TS-2026-10000."""

    kind: str
    year: int
    seq: int
    prefix: str = field(default="", compare=False)
    padding: int = field(default=4, compare=False)

    def __str__(self) -> str:
        return f"{self.prefix or self.kind}-{self.year}-{self.seq:0{self.padding}d}"


def next_number(*, community: Community, kind: str, year: int | None = None) -> DocumentNumber:
    """The next number of `kind` in `community` for `year` (default: this year, local time).

    Must run inside the transaction that saves the document. Safe under concurrency: the
    UPDATE locks the counter row (PostgreSQL) or the database (SQLite, IMMEDIATE transactions).
    """
    document_kind = get_kind(kind)
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "next_number() must run inside the transaction that saves the document"
        )
    year = timezone.localdate().year if year is None else year
    if not 1000 <= year <= 9999:
        raise ValueError(f"year {year} does not have four digits")
    seq = _increment(community_id=community.pk, kind=kind, year=year)
    if seq is None:  # first number of this kind and year in this community
        DocumentSequence.objects.bulk_create(
            [
                DocumentSequence(
                    company_id=community.company_id, community=community, kind=kind, year=year
                )
            ],
            ignore_conflicts=True,  # a concurrent first caller may have created it meanwhile
        )
        seq = _increment(community_id=community.pk, kind=kind, year=year)
    if seq is None:
        raise RuntimeError(f"document sequence {kind}/{year} vanished while numbering")
    return DocumentNumber(
        kind=kind, year=year, seq=seq, prefix=document_kind.prefix, padding=document_kind.padding
    )


def _increment(*, community_id: int, kind: str, year: int) -> int | None:
    """Add one to the counter and read it back in one statement; None if there is no row.

    Plain SQL because the ORM has no UPDATE ... RETURNING: one round trip per number instead of
    two. Both PostgreSQL and SQLite (3.35+) support it.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _increment_sql(),
            [connection.ops.adapt_datetimefield_value(timezone.now()), community_id, kind, year],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


@cache
def _increment_sql() -> str:
    qn = connection.ops.quote_name
    table = qn(DocumentSequence._meta.db_table)
    last = qn("last_number")
    return (
        f"UPDATE {table} SET {last} = {last} + 1, {qn('updated_at')} = %s "  # noqa: S608  # names from model metadata; values are parameters
        f"WHERE {qn('community_id')} = %s AND {qn('kind')} = %s AND {qn('year')} = %s "
        f"RETURNING {last}"
    )
