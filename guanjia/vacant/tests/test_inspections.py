"""The inspection record (spec §13 steps 3 and 7): the checklist, photos, a problem opening a
repair in one step and telling the owner, a running meter flagged, a unit not vacant refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.core.notifications.models import OutboundMessage
from guanjia.estates.models import UnitStatus
from guanjia.estates.tests.factories import OwnershipFactory, PersonFactory
from guanjia.tickets.models import RepairOrder, RepairStatus
from guanjia.vacant import services
from guanjia.vacant.models import CareTask, ExitReason, Inspection, InspectionPhoto, TaskKind

from .factories import ALL_OK, disguised, jpeg, supervisor, vacancy, zone_unit

pytestmark = pytest.mark.django_db


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def _leaking():
    return services.Checklist(**{**ALL_OK.__dict__, "no_leaks": False})


def _due(v, kind, days_ago=0):
    return CareTask.objects.create(
        community=v.community,
        vacant_unit=v,
        unit=v.unit,
        kind=kind,
        due_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def test_an_inspection_with_everything_in_order_completes_the_tasks_due(world):
    v = vacancy(world)
    inspect, storm, vent = (
        _due(v, TaskKind.INSPECT, 2),
        _due(v, TaskKind.STORM),
        _due(v, "ventilate"),
    )
    later = _due(v, TaskKind.INSPECT, -10)
    manager = world.user("area_manager")
    done = services.record_inspection(vacancy=v, checklist=ALL_OK, photos=[jpeg()], by=manager)
    assert (done.inspector, done.task, done.repair, done.has_problem) == (
        manager,
        inspect,
        None,
        False,
    )
    for task in (inspect, storm, vent):
        task.refresh_from_db()
        assert task.done_by == manager
    later.refresh_from_db()
    assert later.done_at is None
    assert InspectionPhoto.objects.get(inspection=done).image.name.startswith("vacant/")


def test_a_problem_opens_a_repair_in_one_step_and_tells_the_owner(
    world, django_capture_on_commit_callbacks
):
    unit = zone_unit(world)
    OwnershipFactory(unit=unit, person=PersonFactory(community=world.a, mobile="13800138000"))
    v = vacancy(world, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.record_inspection(
            vacancy=v,
            checklist=_leaking(),
            problems="卫生间天花板渗水（楼上漏水）",
            open_repair=True,
            repair_category="walls",
            by=world.user("area_manager"),
        )
    repair = RepairOrder.objects.get()
    assert done.repair == repair
    assert (repair.unit, repair.category, repair.status) == (unit, "walls", RepairStatus.REGISTERED)
    assert "卫生间天花板渗水" in repair.description
    assert done.owner_told
    sms = OutboundMessage.objects.get(template="vacant.problem_found")
    assert sms.to == "13800138000"
    assert repair.number in sms.text


def test_a_meter_running_in_an_empty_unit_is_flagged(world):
    v = vacancy(world)
    running = services.Checklist(**{**ALL_OK.__dict__, "meters_still": False})
    done = services.record_inspection(
        vacancy=v, checklist=running, problems="电表在走", by=world.user("area_manager")
    )
    assert done.meter_running
    assert done.has_problem
    page = world.client("supervisor").get("/vacant/inspections/?meter_running=true")
    assert [i.pk for i in page.context["inspections"]] == [done.pk]


@pytest.mark.parametrize(
    ("field", "code", "kwargs"),
    [
        ("problems", "required", {"checklist": _leaking(), "problems": " "}),
        ("open_repair", "invalid", {"open_repair": True, "repair_category": "walls"}),
        (
            "repair_category",
            "required",
            {"checklist": _leaking(), "problems": "漏水", "open_repair": True},
        ),
        ("photos", "file_content_mismatch", {"photos": [disguised()]}),
        ("photos", "too_many", {"photos": [jpeg() for _ in range(7)]}),
    ],
)
def test_a_bad_inspection_is_refused_and_nothing_is_saved(world, field, code, kwargs):
    v = vacancy(world)
    task = _due(v, TaskKind.INSPECT)
    body = {"checklist": ALL_OK, **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(vacancy=v, by=world.user("area_manager"), **body)
    assert _codes(exc) == {field: [code]}
    assert not Inspection.objects.exists()
    assert not RepairOrder.objects.exists()
    task.refresh_from_db()
    assert task.done_at is None


def test_a_unit_that_is_not_vacant_is_not_inspected(world):
    v = vacancy(world)
    services.leave_vacancy(vacancy=v, reason=ExitReason.MOVED_IN, by=supervisor(world))
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(vacancy=v, checklist=ALL_OK, by=world.user("area_manager"))
    assert _codes(exc) == {"unit": ["not_vacant"]}
    with pytest.raises(ValidationError) as exc:
        services.open_vacancy(zone_unit(world, status=UnitStatus.OCCUPIED))
    assert _codes(exc) == {"unit": ["not_vacant"]}
    assert not Inspection.objects.exists()


def test_a_role_without_the_permission_does_not_inspect(world):
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            vacancy=vacancy(world), checklist=ALL_OK, by=world.user("receptionist")
        )


def test_a_viewing_needs_consent_and_a_companion(world):
    v = vacancy(world)
    staff = world.user("area_manager")
    body = {
        "visitor_name": "李买家",
        "consent_by": "某某地产",
        "consent": jpeg("同意书.jpg"),
        "accompanied_by": staff,
    }
    for field, bad in (("consent", None), ("accompanied_by", None), ("consent_by", "")):
        with pytest.raises(ValidationError) as exc:
            services.record_viewing(vacancy=v, by=staff, **{**body, field: bad})
        assert set(_codes(exc)) == {field}
    outsider = world.user("cashier")
    with pytest.raises(ValidationError) as exc:
        services.record_viewing(vacancy=v, by=staff, **{**body, "accompanied_by": outsider})
    assert set(_codes(exc)) == {"accompanied_by"}
    viewing = services.record_viewing(vacancy=v, by=staff, **body)
    assert (viewing.consent_name, viewing.accompanied_by) == ("同意书.jpg", staff)
