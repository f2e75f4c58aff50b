"""Visits no ticket owes: the yearly routine plan per zone, visits planned by hand (special
services, the supervisor's own, against the monthly quota) and the minimum gap."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.estates.models import UnitStatus
from guanjia.visits import services
from guanjia.visits.models import RoutinePlan, Visit, VisitEvent, VisitKind
from guanjia.visits.services.planning import supervisor_quota

from .factories import answers, households, set_policy

MARCH = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _plan(world, units, year=2026):
    zone = units[0].building.zone
    return services.create_routine_plan(
        community=world.a, zone=zone, year=year, note="", by=world.user("supervisor")
    )


@time_machine.travel(MARCH, tick=False)
def test_the_plan_spreads_the_zone_s_households_over_the_months(world):
    units = households(world.a, 12)
    units[0].status = UnitStatus.VACANT  # not a household
    units[0].save(update_fields=["status"])
    plan = _plan(world, units)
    counts = services.generate_for_community(world.a)
    # 11 households x 100 % = 11 a year; by the end of March: ceil(11 x 3 / 12) = 3
    assert counts["routine"] == 3
    visits = Visit.objects.filter(plan=plan)
    assert {v.kind for v in visits} == {VisitKind.ROUTINE}
    assert {v.due_on for v in visits} == {dt.date(2026, 3, 31)}
    assert units[0].pk not in {v.unit_id for v in visits}
    assert all(v.person_name == "张三" and v.phone for v in visits)
    assert services.generate_for_community(world.a)["routine"] == 0  # a second run adds nothing
    progress = services.plan_progress(plan, dt.date(2026, 3, 10))
    assert (progress.households, progress.target, progress.owed_by_now, progress.planned) == (
        11,
        11,
        3,
        3,
    )


@time_machine.travel(MARCH, tick=False)
def test_the_plan_follows_the_rate_and_skips_households_within_the_gap(world):
    set_policy(world, world.a, "visit.routine_rate_year", "0.5")
    units = households(world.a, 8)
    services.plan_visit(
        community=world.a,
        planned=services.Planned(VisitKind.SPECIAL, units[0], dt.date(2026, 3, 20), "保洁合同中期"),
        by=world.user("supervisor"),
    )
    _plan(world, units)
    services.generate_for_community(world.a)
    routine = Visit.objects.filter(kind=VisitKind.ROUTINE)
    assert routine.count() == 1  # ceil(ceil(8 x 0.5) x 3 / 12)
    assert routine.get().unit_id != units[0].pk  # it has a visit open


def test_a_plan_is_one_per_zone_and_year_of_this_community(world):
    units = households(world.a, 1)
    year = timezone.localdate().year
    _plan(world, units, year)
    with pytest.raises(ValidationError) as err:
        _plan(world, units, year)
    assert "zone" in err.value.message_dict
    other = households(world.b, 1)
    with pytest.raises(ValidationError) as err:
        _plan(world, other, year)
    assert "zone" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _plan(world, units, year + 5)
    assert "year" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_routine_plan(
            community=world.a,
            zone=units[0].building.zone,
            year=year + 1,
            note="",
            by=world.user("receptionist"),
        )
    assert RoutinePlan.objects.count() == 1


def test_the_supervisor_plans_their_own_visit_and_it_counts_against_the_quota(world):
    units = households(world.a, 2)
    boss = world.user("supervisor")
    today = timezone.localdate()
    visit = services.plan_visit(
        community=world.a,
        planned=services.Planned(VisitKind.SUPERVISOR, units[0], today),
        by=boss,
    )
    assert visit.assignee == boss
    assert VisitEvent.objects.get(visit=visit).action == "planned"
    assert supervisor_quota(boss, world.a, today) == (0, 5)
    services.record_visit(visit=visit, answers=answers(), by=boss)
    assert supervisor_quota(boss, world.a, today) == (1, 5)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "complaint"}, "kind"),
        ({"due_on": dt.date(2020, 1, 1)}, "due_on"),
        ({"purpose": ""}, "purpose"),
        ({"unit": "other"}, "unit"),
    ],
)
def test_a_wrong_planned_visit_is_refused_and_nothing_saved(world, change, field):
    units = households(world.a, 1)
    values = {
        "kind": VisitKind.SPECIAL,
        "unit": units[0],
        "due_on": timezone.localdate(),
        "purpose": "家政合同结束",
    }
    values.update(change)
    if values["unit"] == "other":
        values["unit"] = households(world.b, 1)[0]
    with pytest.raises(ValidationError) as err:
        services.plan_visit(
            community=world.a, planned=services.Planned(**values), by=world.user("supervisor")
        )
    assert field in err.value.message_dict
    assert not Visit.objects.exists()


def test_a_household_visited_within_the_gap_is_not_visited_again(world):
    units = households(world.a, 1)
    boss = world.user("supervisor")
    today = timezone.localdate()
    first = services.plan_visit(
        community=world.a, planned=services.Planned(VisitKind.SUPERVISOR, units[0], today), by=boss
    )
    with pytest.raises(ValidationError) as err:
        services.plan_visit(
            community=world.a,
            planned=services.Planned(VisitKind.SPECIAL, units[0], today, "绿化"),
            by=boss,
        )
    assert "3" in err.value.message_dict["unit"][0]
    services.record_visit(visit=first, answers=answers(), by=boss)
    with pytest.raises(ValidationError):  # made today: still within the 3 days
        services.plan_visit(
            community=world.a,
            planned=services.Planned(VisitKind.SPECIAL, units[0], today, "绿化"),
            by=boss,
        )
    set_policy(world, world.a, "visit.min_gap_days", 0)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        services.plan_visit(
            community=world.a,
            planned=services.Planned(
                VisitKind.SPECIAL, units[0], today + dt.timedelta(days=1), "绿化"
            ),
            by=boss,
        )
    assert Visit.objects.count() == 2
