"""Delivery batches: opened with the preconditions ticked by who checked them; the notices
only once all three are ticked and the buyer list is in; units NOTIFIED through estates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.core.workflows import WorkflowError
from guanjia.estates.models import UnitStatus
from guanjia.estates.tests.factories import BuildingFactory

from .. import services
from ..models import BatchStatus, DeliveryBatch, DeliveryBatchEvent, DeliveryStatus
from .factories import batch, listed, sold_unit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _open(world, **kw):
    args = {
        "name": "一期第一批",
        "notice_date": TODAY,
        "counter_from": TODAY,
        "counter_to": TODAY + dt.timedelta(days=10),
        "counter_hours": "09:00-17:00",
        **kw,
    }
    return services.open_batch(community=world.a, by=world.user("director"), **args)


def test_a_batch_keeps_who_checked_each_precondition(world):
    b = _open(world, checked=["takeover"])
    assert b.takeover_checked_by == world.user("director")
    assert b.services_checked_by is None
    assert not b.ready
    b = services.tick_precondition(batch=b, code="services", by=world.user("supervisor"))
    assert b.services_checked_by == world.user("supervisor")
    assert DeliveryBatchEvent.objects.filter(batch=b, action="checked").count() == 1


@pytest.mark.parametrize(
    ("kw", "field", "code"),
    [
        ({"name": "  "}, "name", "required"),
        ({"counter_hours": ""}, "counter_hours", "required"),
        ({"counter_to": TODAY - dt.timedelta(days=1)}, "counter_to", "ends_before"),
        ({"counter_from": TODAY - dt.timedelta(days=1)}, "counter_from", "before_notice"),
        ({"checked": ["nonsense"]}, "checked", "invalid"),
    ],
)
def test_a_bad_batch_is_refused_and_nothing_saved(world, kw, field, code):
    with pytest.raises(ValidationError) as exc:
        _open(world, **kw)
    assert [e.code for e in exc.value.error_dict[field]] == [code]
    assert not DeliveryBatch.objects.exists()


def test_another_communitys_building_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _open(world, buildings=[BuildingFactory(community=world.b)])
    assert "buildings" in exc.value.error_dict


def test_only_the_planners_open_a_batch(world):
    with pytest.raises(PermissionDenied):
        services.open_batch(
            community=world.a, name="x", notice_date=TODAY, counter_from=TODAY,
            counter_to=TODAY, counter_hours="9-5", by=world.user("receptionist"),
        )  # fmt: skip


def test_a_precondition_ticked_twice_or_unknown_is_refused(world):
    b = batch(world)
    with pytest.raises(ValidationError) as exc:
        services.tick_precondition(batch=b, code="takeover", by=world.user("director"))
    assert exc.value.error_dict["code"][0].code == "already"
    with pytest.raises(ValidationError):
        services.tick_precondition(batch=b, code="x", by=world.user("director"))


def test_notices_wait_for_all_three_preconditions(world):
    d = listed(world, b=batch(world, checked=["takeover", "contract"]))
    with pytest.raises(WorkflowError) as exc:
        services.send_notices(batch=d.batch, by=world.user("supervisor"))
    assert exc.value.code == "condition"
    d.refresh_from_db()
    assert d.status == DeliveryStatus.LISTED
    assert d.unit.status == UnitStatus.SOLD_NOT_NOTIFIED


def test_notices_need_the_buyer_list(world):
    b = batch(world)
    with pytest.raises(ValidationError) as exc:
        services.send_notices(batch=b, by=world.user("supervisor"))
    assert exc.value.error_dict["batch"][0].code == "empty"
    b.refresh_from_db()
    assert b.status == BatchStatus.OPEN


def test_the_notices_notify_every_unit_through_estates(world):
    from guanjia.estates.models import UnitEvent

    d = listed(world, unit=None)
    unsold = listed(world, b=d.batch, unit=sold_unit(world.a, status=UnitStatus.UNSOLD))
    services.send_notices(batch=d.batch, by=world.user("supervisor"))
    for row in (d, unsold):
        row.refresh_from_db()
        row.unit.refresh_from_db()
        assert row.status == DeliveryStatus.NOTIFIED
        assert row.unit.status == UnitStatus.NOTIFIED
    assert UnitEvent.objects.filter(unit=unsold.unit).count() == 2  # sold, then notified
    d.batch.refresh_from_db()
    assert d.batch.status == BatchStatus.NOTIFIED
    with pytest.raises(ValidationError) as exc:
        listed(world, b=d.batch)
    assert exc.value.code == "not_open"


def test_a_closed_batch_stays_closed(world):
    d = listed(world)
    services.send_notices(batch=d.batch, by=world.user("supervisor"))
    b = services.close_batch(batch=d.batch, by=world.user("director"))
    assert b.status == BatchStatus.CLOSED
    with pytest.raises(WorkflowError) as exc:
        services.close_batch(batch=b, by=world.user("director"))
    assert exc.value.code == "move_not_allowed"


def test_the_director_who_may_not_change_units_does_not_send_the_notices(world):
    from guanjia.core.workflows import WorkflowDenied

    d = listed(world)
    with pytest.raises(WorkflowDenied):
        services.send_notices(batch=d.batch, by=world.user("director"))
    d.refresh_from_db()
    assert d.status == DeliveryStatus.LISTED
