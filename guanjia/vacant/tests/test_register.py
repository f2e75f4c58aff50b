"""The register (spec §13 steps 1 and 8): units enter from their status or on the owner's
request, leave when the owner moves in, renovates, rents or sells; the unit status follows."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.desk.tests.factories import key
from guanjia.estates.models import Unit, UnitStatus
from guanjia.estates.services import change_unit_status
from guanjia.estates.tests.factories import UnitFactory
from guanjia.vacant import services
from guanjia.vacant.models import (
    CareTask,
    Category,
    ExitReason,
    Source,
    VacancyStatus,
    VacantUnit,
    VacantUnitEvent,
)

from .factories import disguised, jpeg, supervisor, vacancy, zone_unit

pytestmark = pytest.mark.django_db


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_a_delivered_unit_not_in_use_enters_and_becomes_vacant(world):
    unit = zone_unit(world, status=UnitStatus.DELIVERED)
    v = vacancy(world, unit=unit, water="off", power="on", notes="总阀已关")
    unit.refresh_from_db()
    assert unit.status == UnitStatus.VACANT
    assert (v.category, v.source, v.status, v.power) == (
        Category.UNOCCUPIED,
        Source.OFFICE,
        VacancyStatus.VACANT,
        "on",
    )
    event = VacantUnitEvent.objects.get(vacant_unit=v)
    assert (event.action, event.to_status, event.actor) == (
        "registered",
        "vacant",
        world.user("supervisor"),
    )


def test_an_unsold_unit_keeps_its_status(world):
    unit = zone_unit(world, status=UnitStatus.UNSOLD)
    vacancy(world, unit=unit, category=Category.UNSOLD)
    unit.refresh_from_db()
    assert unit.status == UnitStatus.UNSOLD


@pytest.mark.parametrize(
    ("status", "category"),
    [
        (UnitStatus.OCCUPIED, Category.UNOCCUPIED),
        (UnitStatus.DELIVERED, Category.UNSOLD),
        (UnitStatus.UNSOLD, Category.NOT_MOVED_IN),
        (UnitStatus.RENOVATING, Category.LONG_ABSENCE),
    ],
)
def test_a_category_that_does_not_fit_the_unit_status_is_refused(world, status, category):
    unit = zone_unit(world, status=status)
    with pytest.raises(ValidationError) as exc:
        vacancy(world, unit=unit, category=category)
    assert _codes(exc) == {"category": ["status_mismatch"]}
    assert not VacantUnit.objects.exists()


def test_a_unit_already_in_the_register_is_refused(world):
    v = vacancy(world)
    with pytest.raises(ValidationError) as exc:
        vacancy(world, unit=v.unit)
    assert _codes(exc) == {"unit": ["already_vacant"]}
    assert VacantUnit.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "code", "kwargs"),
    [
        ("since", "future", {"since": timezone.localdate() + dt.timedelta(days=2)}),
        ("category", "invalid", {"category": "empty"}),
        ("water", "invalid", {"water": "half"}),
        ("power", "invalid", {"power": ""}),
    ],
)
def test_bad_register_fields_are_refused(world, field, code, kwargs):
    with pytest.raises(ValidationError) as exc:
        vacancy(world, **kwargs)
    assert _codes(exc) == {field: [code]}
    assert not VacantUnit.objects.exists()


def test_a_unit_or_key_of_elsewhere_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        vacancy(world, unit=UnitFactory(community=world.b, status=UnitStatus.DELIVERED))
    assert _codes(exc) == {"unit": ["other_community"]}
    other_key = key(world)
    with pytest.raises(ValidationError) as exc:
        vacancy(world, key=other_key)
    assert _codes(exc) == {"key": ["other_unit"]}
    assert not VacantUnit.objects.exists()


def test_the_key_of_the_unit_is_recorded(world):
    unit = zone_unit(world)
    k = key(world, unit=unit)
    assert vacancy(world, unit=unit, key=k).key == k


def _absence(world, **kw):
    unit = zone_unit(world, status=UnitStatus.OCCUPIED)
    papers = {
        "requested_by": "张三",
        "authorisation": jpeg("授权书.jpg"),
        "entry_scope": "检查漏水、开窗通风",
        "liability_waiver": True,
    }
    return vacancy(world, unit=unit, category=Category.LONG_ABSENCE, **{**papers, **kw})


def test_an_owners_long_absence_records_the_three_papers(world):
    v = _absence(world)
    assert v.source == Source.OWNER_REQUEST
    assert (v.requested_by, v.entry_scope, v.liability_waiver) == (
        "张三",
        "检查漏水、开窗通风",
        True,
    )
    assert v.authorisation_name == "授权书.jpg"
    assert v.authorisation.name.startswith("vacant/authorisations/")
    v.unit.refresh_from_db()
    assert v.unit.status == UnitStatus.OCCUPIED  # absent, not vacant for billing


@pytest.mark.parametrize(
    ("field", "code", "kwargs"),
    [
        ("requested_by", "required", {"requested_by": " "}),
        ("entry_scope", "required", {"entry_scope": ""}),
        ("liability_waiver", "required", {"liability_waiver": False}),
        ("authorisation", "required", {"authorisation": None}),
        ("authorisation", "file_content_mismatch", {"authorisation": disguised()}),
    ],
)
def test_a_long_absence_without_its_papers_is_refused(world, field, code, kwargs):
    with pytest.raises(ValidationError) as exc:
        _absence(world, **kwargs)
    assert _codes(exc) == {field: [code]}
    assert not VacantUnit.objects.exists()


def test_moving_in_leaves_the_register_cancels_the_tasks_and_occupies_the_unit(world):
    v = vacancy(world, since=timezone.localdate() - dt.timedelta(days=20))
    services.generate_tasks(community=world.a, by=supervisor(world))
    assert CareTask.objects.open().filter(vacant_unit=v).exists()
    services.leave_vacancy(vacancy=v, reason=ExitReason.MOVED_IN, by=supervisor(world))
    v.refresh_from_db()
    assert (v.status, v.exit_reason, v.left_on) == ("left", "moved_in", timezone.localdate())
    assert not CareTask.objects.open().filter(vacant_unit=v).exists()
    assert Unit.objects.get(pk=v.unit_id).status == UnitStatus.OCCUPIED
    assert v.events.last().action == "left"


def test_renovation_moves_the_unit_to_renovating(world):
    v = vacancy(world)
    services.leave_vacancy(vacancy=v, reason=ExitReason.RENOVATING, by=supervisor(world))
    assert Unit.objects.get(pk=v.unit_id).status == UnitStatus.RENOVATING


def test_an_unsold_unit_leaves_when_sold(world):
    v = vacancy(world, unit=zone_unit(world, status=UnitStatus.UNSOLD), category=Category.UNSOLD)
    services.leave_vacancy(vacancy=v, reason=ExitReason.SOLD, by=supervisor(world))
    assert Unit.objects.get(pk=v.unit_id).status == UnitStatus.SOLD_NOT_NOTIFIED


@pytest.mark.parametrize(
    ("reason", "on", "code", "field"),
    [
        (ExitReason.SOLD, None, "reason_mismatch", "reason"),
        ("gone", None, "invalid", "reason"),
        (ExitReason.MOVED_IN, timezone.localdate() + dt.timedelta(days=1), "invalid", "on"),
    ],
)
def test_a_bad_exit_is_refused_and_nothing_changes(world, reason, on, code, field):
    v = vacancy(world)
    with pytest.raises(ValidationError) as exc:
        services.leave_vacancy(vacancy=v, reason=reason, on=on, by=supervisor(world))
    assert _codes(exc) == {field: [code]}
    v.refresh_from_db()
    assert v.status == VacancyStatus.VACANT
    assert Unit.objects.get(pk=v.unit_id).status == UnitStatus.VACANT


def test_leaving_twice_is_refused(world):
    v = vacancy(world)
    services.leave_vacancy(vacancy=v, reason=ExitReason.MOVED_IN, by=supervisor(world))
    with pytest.raises(ValidationError) as exc:
        services.leave_vacancy(vacancy=v, reason=ExitReason.RENTED, by=supervisor(world))
    assert _codes(exc) == {"reason": ["not_vacant"]}


def test_the_register_is_fed_from_unit_status_once(world):
    statuses = [UnitStatus.UNSOLD, UnitStatus.NOTIFIED, UnitStatus.VACANT, UnitStatus.OCCUPIED]
    units = [zone_unit(world, status=s) for s in statuses]
    zone_unit(world, world.b, status=UnitStatus.UNSOLD)
    assert services.sync_from_units(community=world.a, by=supervisor(world)) == 3
    assert services.sync_from_units(community=world.a, by=supervisor(world)) == 0
    got = dict(VacantUnit.objects.values_list("unit_id", "category"))
    assert got == {
        units[0].pk: Category.UNSOLD,
        units[1].pk: Category.NOT_MOVED_IN,
        units[2].pk: Category.UNOCCUPIED,
    }
    assert VacantUnitEvent.objects.count() == 3
    assert set(VacantUnit.objects.values_list("source", flat=True)) == {Source.UNIT_STATUS}
    assert set(VacantUnit.objects.values_list("since", flat=True)) == {timezone.localdate()}


def test_a_unit_entered_from_its_status_is_vacant_since_its_status_changed(world):
    unit = zone_unit(world, status=UnitStatus.DELIVERED)
    with time_machine.travel(dt.datetime(2024, 5, 6, 10, tzinfo=dt.UTC), tick=False):
        change_unit_status(unit=unit, to=UnitStatus.VACANT, by=supervisor(world))
    services.sync_from_units(community=world.a, by=supervisor(world))
    assert VacantUnit.objects.get(unit=unit).since == dt.date(2024, 5, 6)


def test_a_role_without_the_permission_is_refused(world):
    with pytest.raises(PermissionDenied):
        vacancy(world, by=world.user("technician"))
    with pytest.raises(PermissionDenied):
        services.sync_from_units(community=world.a, by=world.user("cashier"))


def test_an_area_manager_registers_in_their_own_zone_only(world):
    manager = world.user("area_manager")
    own = zone_unit(world, manager=manager)
    assert vacancy(world, unit=own, by=manager).unit == own
    other = zone_unit(world)
    with pytest.raises(PermissionDenied):
        vacancy(world, unit=other, by=manager)
    assert not VacantUnit.objects.filter(unit=other).exists()
    assert Unit.objects.get(pk=other.pk).status == UnitStatus.DELIVERED


def test_the_key_water_and_power_are_updated(world):
    v = vacancy(world)
    k = key(world, unit=v.unit)
    v = services.update_vacancy(
        vacancy=v, key=k, water="on", power="off", notes="看房前开水", by=supervisor(world)
    )
    assert (v.key, v.water, v.notes) == (k, "on", "看房前开水")
    with pytest.raises(ValidationError):
        services.update_vacancy(
            vacancy=v, key=key(world), water="on", power="off", by=supervisor(world)
        )
