"""Monthly plans and the patrols they generate on working days (spec §12, §03)."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.patrols import services
from guanjia.patrols.models import Patrol, PatrolEvent, PatrolPlan
from guanjia.patrols.services.plans import full_inspection_rota, working_days

from .factories import checkpoint, first_day_next_month, zone


def _plan(world, z, **kw):
    return services.write_plan(
        community=world.a,
        data=services.PlanData(zone=z, month=first_day_next_month(), **kw),
        by=world.user("supervisor"),
    )


def test_a_plan_from_a_template_takes_the_zones_checkpoints_of_its_types(world):
    z = zone(world, world.a)
    gate, fire = checkpoint(world, z, "gate"), checkpoint(world, z, "fire")
    checkpoint(world, z, "lift")
    template = services.save_template(
        community=world.a,
        name="日常",
        kinds=["gate", "fire"],
        focus="消防通道",
        per_day=None,
        by=world.user("supervisor"),
    )
    plan = _plan(world, z, template=template)
    assert [s.checkpoint for s in plan.stops.all()] == [fire, gate]
    assert plan.per_day == 1  # the policy patrol.zone_per_day
    assert plan.full_inspection_days == 30
    assert plan.focus == "消防通道"


def test_generation_makes_one_patrol_per_working_day_and_a_second_run_adds_nothing(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    plan = _plan(world, z)
    month = plan.month
    days = working_days(world.a, month)
    added = services.generate_month(community=world.a, month=month, by=world.user("supervisor"))
    assert added == len(days)
    assert 18 <= added <= 23
    assert set(Patrol.objects.values_list("day", flat=True)) == set(days)
    assert all(d.isoweekday() <= 7 for d in days)
    assert PatrolEvent.objects.filter(action="planned").count() == added
    assert Patrol.objects.filter(patroller=world.user("area_manager")).count() == added
    again = services.generate_month(community=world.a, month=month, by=world.user("supervisor"))
    assert again == 0
    assert Patrol.objects.count() == added


def test_the_acting_manager_gets_the_patrols_of_the_days_the_manager_is_away(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    plan = _plan(world, z)
    days = working_days(world.a, plan.month)
    acting = staff("area_manager", world.a, company=world.company)
    z.acting_manager, z.acting_from, z.acting_to = acting, days[2], days[4]
    z.save()
    services.generate_month(community=world.a, month=plan.month, by=world.user("supervisor"))
    covered = set(Patrol.objects.filter(patroller=acting).values_list("day", flat=True))
    assert covered == {d for d in days if days[2] <= d <= days[4]}


def test_two_patrols_a_day_make_two_rounds(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    plan = _plan(world, z, per_day=2)
    added = services.generate_month(community=world.a, month=plan.month, by=None)
    assert added == 2 * len(working_days(world.a, plan.month))


def test_each_building_is_fully_inspected_within_the_policy_days():
    days = [dt.date(2027, 3, 1) + dt.timedelta(days=i) for i in range(31)]
    rota = full_inspection_rota([1, 2, 3, 4, 5], days, every=2)
    for building in [1, 2, 3, 4, 5]:
        seen = sorted(d for d, bs in rota.items() if building in bs)
        gaps = [(b - a).days for a, b in itertools.pairwise(seen)]
        assert seen
        assert max(gaps) <= 2


def test_floors_and_roofs_are_on_the_route_only_on_their_buildings_day(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    roof = checkpoint(world, z, "roof")
    plan = _plan(world, z)
    services.generate_month(community=world.a, month=plan.month, by=None)
    with_roof = [p for p in Patrol.objects.all() if roof.building_id in p.full_buildings]
    without = [p for p in Patrol.objects.all() if roof.building_id not in p.full_buildings]
    assert with_roof
    assert roof in services.route(with_roof[0])
    assert all(roof not in services.route(p) for p in without)


def test_a_plan_for_a_past_month_or_a_second_plan_or_an_empty_zone_is_refused(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    past = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    with pytest.raises(ValidationError) as exc:
        services.write_plan(
            community=world.a,
            data=services.PlanData(zone=z, month=past),
            by=world.user("supervisor"),
        )
    assert "month" in exc.value.error_dict
    _plan(world, z)
    with pytest.raises(ValidationError) as exc:
        _plan(world, z)
    assert "month" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _plan(world, zone(world, world.a))
    assert "zone" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _plan(world, z, per_day=11)
    assert "per_day" in exc.value.error_dict
    assert PatrolPlan.objects.count() == 1


def test_only_the_supervisor_writes_plans(world):
    z = zone(world, world.a)
    checkpoint(world, z, "gate")
    with pytest.raises(PermissionDenied):
        services.write_plan(
            community=world.a,
            data=services.PlanData(zone=z, month=first_day_next_month()),
            by=world.user("area_manager"),
        )


def test_the_nightly_job_generates_every_plans_month_once(world):
    from guanjia.patrols.services.plans import generate_next_months

    for _ in range(2):
        z = zone(world, world.a)
        checkpoint(world, z, "gate")
        _plan(world, z)
    added = generate_next_months()
    assert added == Patrol.objects.count() > 0
    assert generate_next_months() == 0
