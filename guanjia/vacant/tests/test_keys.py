"""Keys of vacant units go through the front desk's key register (spec §13 step 2): due back
the same day, out overnight only with the supervisor's approval, overdue ones counted on the
KPIs and shown on the unit's page; the unit's timeline shows its vacancy and inspections."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from guanjia.desk import services as desk
from guanjia.desk.tests.factories import SIGN, key
from guanjia.estates.selectors import unit_timeline
from guanjia.vacant import selectors, services

from .factories import ALL_OK, vacancy, zone_unit

pytestmark = pytest.mark.django_db


def _vacant_key_out(world, *, now=None):
    unit = zone_unit(world)
    k = key(world, unit=unit)
    v = vacancy(world, unit=unit, key=k)
    loan = desk.lend_key(
        key=k,
        staff=world.user("area_manager"),
        purpose="空置房巡查",
        signature=SIGN,
        by=world.user("receptionist"),
        now=now,
    )
    return v, loan


def test_a_vacant_units_key_is_due_back_the_same_day(world):
    v, loan = _vacant_key_out(world)
    assert timezone.localdate(loan.due_at) == timezone.localdate(loan.out_at)
    page = world.client("area_manager").get(f"/vacant/{v.pk}/")
    assert "空置房巡查" in page.content.decode()


def test_a_key_out_overnight_without_approval_is_counted_late(world):
    yesterday = timezone.now() - dt.timedelta(days=1)
    _v, loan = _vacant_key_out(world, now=yesterday)
    today = timezone.localdate()
    assert selectors.kpis(world.a, today, today).keys_out_late == 1
    until = timezone.now() + dt.timedelta(hours=10)
    with pytest.raises(PermissionDenied):  # only the supervisor (or director) approves
        desk.approve_overnight(loan=loan, until=until, by=world.user("area_manager"))
    assert selectors.kpis(world.a, today, today).keys_out_late == 1
    desk.approve_overnight(loan=loan, until=until, by=world.user("supervisor"))
    assert selectors.kpis(world.a, today, today).keys_out_late == 0


def test_only_keys_of_vacant_units_count(world):
    other = key(world, unit=zone_unit(world))
    desk.lend_key(
        key=other,
        staff=world.user("area_manager"),
        purpose="维修",
        signature=SIGN,
        by=world.user("receptionist"),
        now=timezone.now() - dt.timedelta(days=1),
    )
    today = timezone.localdate()
    assert selectors.kpis(world.a, today, today).keys_out_late == 0


def test_the_unit_timeline_shows_the_vacancy_and_its_inspections(world):
    v = vacancy(world)
    services.record_inspection(vacancy=v, checklist=ALL_OK, by=world.user("area_manager"))
    titles = [e.title for e in unit_timeline(v.unit) if e.kind == "vacant"]
    assert len(titles) == 2
    assert any("Vacant-unit inspection" in t for t in titles)
