"""One-off charges that other apps post to a unit's account (a paid repair, later a lost key
card or a renovation deposit): the one billing service they call, so none of them reads
billing's models or re-implements billing's rules.

A charge posts once per unit and reference, into the month of its day or, when billing
has closed that month, the first later open month (corrections post into the open month).
Its fee item is found by code and created the first time. Each step that reads before it
writes holds an advisory lock first, so two requests at the same moment cannot both create
the fee item or both post the charge (PostgreSQL; SQLite has one writer at a time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from guanjia.accounts.models import User
from guanjia.core.db import advisory_lock
from guanjia.core.models import Community, Company

from ..models import FeeCategory, FeeItem, LedgerEntry, MonthClose
from .ledger import Posting, lock_month, post_entries
from .standards import create_fee_item


@dataclass(frozen=True)
class OneOffCharge:
    """A charge another app asks billing to post: what, on which unit, for which reason."""

    unit_id: int
    amount: Decimal  # yuan, positive
    fee_code: str  # the company's fee item, created with `fee_name` when missing
    fee_name: str
    reference: str  # "<app>:<id>": posted once per unit and reference
    day: dt.date  # the day it is owed; its month unless closed
    memo: str = ""
    explanation: dict[str, Any] = field(default_factory=dict)


def one_off_fee_item(
    *, company: Company, code: str, name: str, by: User, category: str = FeeCategory.ONE_OFF
) -> FeeItem:
    """The company's fee item `code` outside any standard (a one-off charge, a deposit's
    type), created with `name` and `category` the first time it is used."""
    advisory_lock(f"billing.fee_item:{company.pk}:{code}")
    found = FeeItem.objects.filter(company=company, code=code).first()
    if found is not None:
        return found
    return create_fee_item(company=company, code=code, name=name, category=category, by=by)


def open_period(community: Community, day: dt.date) -> dt.date:
    """The month of `day`, or the first later month billing has not closed; held open (not
    closable) until the transaction ends."""
    period = day.replace(day=1)
    while True:
        lock_month(community, period)
        if not MonthClose.objects.filter(community=community, period=period).exists():
            return period
        period = (period + dt.timedelta(days=32)).replace(day=1)


@transaction.atomic
def post_one_off_charge(
    *, community: Community, charge: OneOffCharge, by: User
) -> LedgerEntry | None:
    """Post `charge` to its unit's account once; None when its reference is already posted
    (a retried job, a second click). A bad amount is refused like any posting."""
    advisory_lock(f"billing.charge:{community.pk}:{charge.reference}")
    posted = LedgerEntry.objects.filter(
        community=community, unit_id=charge.unit_id, bill_ref=charge.reference
    )
    if posted.exists():
        return None
    item = one_off_fee_item(
        company=community.company, code=charge.fee_code, name=charge.fee_name, by=by
    )
    posting = Posting(
        unit_id=charge.unit_id,
        fee_item_id=item.pk,
        period=open_period(community, charge.day),
        kind="charge",
        amount=charge.amount,
        memo=charge.memo,
        bill_ref=charge.reference,
        explanation=charge.explanation,
    )
    (entry,) = post_entries(community=community, postings=[posting], by=by)
    return entry
