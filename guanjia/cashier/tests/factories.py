"""Builders of a unit's account for the cashier's tests: charges posted through billing's
ledger service (as a billing run would), a cashier with an open day."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from guanjia.billing.models import EntryKind, FeeItem
from guanjia.billing.services import Posting, post_entries
from guanjia.billing.tests.factories import FeeItemFactory
from guanjia.cashier.models import CashierSession, Payment
from guanjia.cashier.services import PaymentRequest, open_session_of, take_payment
from guanjia.cashier.services.sessions import open_session
from guanjia.core.models import Community
from guanjia.estates.models import Unit
from guanjia.estates.tests.factories import OwnershipFactory, PersonFactory, UnitFactory


def item(community: Community, code: str, name: str, priority: int = 100) -> FeeItem:
    found = FeeItem.objects.filter(company=community.company, code=code).first()
    return found or FeeItemFactory(
        company=community.company, code=code, name=name, priority=priority
    )


def owned_unit(community: Community, owner: str = "王业主") -> Unit:
    unit = UnitFactory(community=community)
    OwnershipFactory(unit=unit, person=PersonFactory(community=community, name=owner))
    return unit


def charge(unit: Unit, fee: FeeItem, month: dt.date, amount: str, by) -> None:
    post_entries(
        community=unit.community,
        by=by,
        postings=[
            Posting(
                unit_id=unit.pk,
                fee_item_id=fee.pk,
                period=month,
                kind=EntryKind.CHARGE,
                amount=Decimal(amount),
            )
        ],
    )


def day_of(cashier, community: Community, float_amount: str = "200.00") -> CashierSession:
    return open_session_of(community, cashier) or open_session(
        community=community, float_amount=Decimal(float_amount), by=cashier
    )


def pay(unit: Unit, amount: str, by, method: str = "cash", key: str = "", **kw) -> Payment:
    day_of(by, unit.community)
    if method != "cash":
        kw.setdefault("reference", "REF123456")
    request = PaymentRequest(
        unit=unit,
        amount=Decimal(amount),
        method=method,
        idempotency_key=key or uuid.uuid4().hex,
        **kw,
    )
    return take_payment(request=request, by=by)


def code_of(error) -> str:
    """The code of a service's refusal, whether it names a field or not."""
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.code
