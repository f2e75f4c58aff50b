"""Deemed delivery: a NOTIFIED unit whose notice period (`movein.deemed_delivery_days` after
the notice date) is over is deemed delivered by the daily job, once; not when the switch is
off, not for a unit delivered or refused."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from guanjia.core.policies.services import set_policy
from guanjia.estates.models import UnitEvent, UnitStatus

from .. import services
from ..models import DeliveryStatus
from .factories import batch, notified

pytestmark = pytest.mark.django_db
D = DeliveryStatus


def _old_notice(world, days_ago):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return notified(world, b=batch(world, notice_date=day, counter_from=day, counter_to=day))


def test_the_job_deems_delivered_once_the_period_is_over(world):
    due = _old_notice(world, 31)
    not_yet = _old_notice(world, 30)
    refused = _old_notice(world, 40)
    services.refuse_delivery(delivery=refused, reason="质量争议", by=world.user("receptionist"))
    assert services.deemed_delivery_daily() == 1
    for row in (due, not_yet, refused):
        row.refresh_from_db()
        row.unit.refresh_from_db()
    assert due.status == D.DEEMED
    assert due.unit.status == UnitStatus.DEEMED_DELIVERED
    assert due.delivered_on == timezone.localdate()
    assert not_yet.status == D.NOTIFIED
    assert refused.status == D.REFUSED
    assert services.deemed_delivery_daily() == 0  # the same day: once
    assert (
        UnitEvent.objects.filter(unit=due.unit, to_status=UnitStatus.DEEMED_DELIVERED).count() == 1
    )


def test_the_switch_off_deems_nothing(world):
    with time_machine.travel(timezone.now() - dt.timedelta(days=2), tick=False):
        set_policy(
            key="movein.deemed_delivery_enabled", value=False, community=world.a,
            reason="合同约定", by=world.user("finance"),
        )  # fmt: skip
    d = _old_notice(world, 60)
    assert services.apply_deemed_delivery(world.a) == 0
    d.refresh_from_db()
    assert d.status == D.NOTIFIED


def test_a_deemed_unit_still_comes_to_the_counter_and_is_delivered(world):
    from .factories import SIGN, receipt_for

    d = _old_notice(world, 31)
    services.apply_deemed_delivery(world.a)
    d.refresh_from_db()
    rec = world.user("receptionist")
    d = services.verify_buyer(
        delivery=d, verified_as="agent", id_number="", attorney_ref="委托书1", by=rec
    )
    services.register_household(delivery=d, by=rec)
    services.record_fees(
        delivery=d, receipt_no=receipt_for(world, d.unit).number, prepaid_months=1, by=rec
    )
    services.sign_documents(delivery=d, signature=SIGN, by=rec)
    sheet = services.start_inspection(delivery=d, by=rec)
    services.sign_inspection(
        inspection=sheet, owner_signature=SIGN, inspector_signature=SIGN, by=rec
    )
    d = services.hand_over_keys(delivery=d, count=2, description="钥匙", signature=SIGN, by=rec)
    assert d.status == D.DELIVERED
