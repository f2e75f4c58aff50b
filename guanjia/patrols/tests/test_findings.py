"""Findings become actions in one step and are followed until the action closes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.patrols import services
from guanjia.patrols.actions import ActionOutcome, FindingAction, actions, register_action
from guanjia.patrols.models import Finding, FindingEvent, FindingStatus, Patrol
from guanjia.tickets import services as tickets
from guanjia.tickets.models import Channel, RepairOrder, RepairStatus

from .factories import started


def _finding(world, text="三楼楼道灯不亮"):
    p = started(world)
    return services.add_finding(
        patrol=p, description=text, location="3栋3楼", by=world.user("area_manager")
    )


def test_a_finding_becomes_a_repair_order_and_closes_when_the_repair_does(world):
    finding = _finding(world)
    am = world.user("area_manager")
    services.take_action(
        finding=finding,
        kind="repair",
        by=am,
        data={"category": "electrical", "urgency": "ordinary"},
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACTION
    order = RepairOrder.objects.get(pk=finding.action_id)
    assert finding.action_ref == order.number
    assert order.request.channel == Channel.PATROL
    assert "三楼楼道灯不亮" in order.description
    assert services.follow_actions() == 0  # the repair is still open
    tickets.cancel_repair(order=order, note="重复报修", by=world.user("supervisor"))
    assert services.follow_actions() == 1
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    assert finding.closed_on
    assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.CANCELLED


def test_fixed_on_the_spot_closes_at_once_and_needs_a_note(world):
    finding = _finding(world)
    am = world.user("area_manager")
    with pytest.raises(ValidationError) as exc:
        services.take_action(finding=finding, kind="fixed", by=am, data={"note": ""})
    assert "note" in exc.value.error_dict
    services.take_action(finding=finding, kind="fixed", by=am, data={"note": "已关好消防门"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    event = FindingEvent.objects.get(finding=finding, action="fixed")
    assert event.note == "已关好消防门"
    assert event.actor == am


def test_a_note_to_cleaning_is_closed_by_hand(world):
    finding = _finding(world)
    am = world.user("area_manager")
    services.take_action(finding=finding, kind="cleaning", by=am, data={"note": "请清理垃圾"})
    with pytest.raises(ValidationError):
        services.close_finding(finding=finding, note=" ", by=am)
    services.close_finding(finding=finding, note="保洁已清理", by=am)
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.CLOSED


def test_an_action_twice_or_an_unknown_action_or_a_bad_repair_is_refused(world):
    finding = _finding(world)
    am = world.user("area_manager")
    with pytest.raises(ValidationError) as exc:
        services.take_action(finding=finding, kind="teleport", by=am, data={})
    assert "kind" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.take_action(finding=finding, kind="repair", by=am, data={"category": "magic"})
    assert "category" in exc.value.error_dict
    assert not RepairOrder.objects.exists()
    services.take_action(finding=finding, kind="fixed", by=am, data={"note": "好了"})
    with pytest.raises(ValidationError) as exc:
        services.take_action(finding=finding, kind="fixed", by=am, data={"note": "好了"})
    assert exc.value.code == "already_actioned"


def test_an_action_needs_its_permission(world):
    finding = _finding(world)
    with pytest.raises(PermissionDenied):
        services.take_action(
            finding=finding,
            kind="repair",
            by=world.user("cashier"),
            data={"category": "electrical", "urgency": "ordinary"},
        )
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_another_app_registers_its_own_action(world):
    seen = []

    def handler(finding, by, data):
        seen.append(finding.pk)
        return ActionOutcome(reference="V-1", object_id=1)

    register_action(
        FindingAction(
            kind="test_other", label="Other", permission="patrols.change_finding", handler=handler
        )
    )
    assert "test_other" in [a.kind for a in actions()]
    finding = _finding(world)
    services.take_action(finding=finding, kind="test_other", by=world.user("area_manager"), data={})
    assert seen == [finding.pk]
    assert Finding.objects.get(pk=finding.pk).action_ref == "V-1"


def test_the_kpis_count_done_of_planned_findings_and_closure(world):
    from guanjia.patrols.kpis import patrol_kpis

    f = _finding(world)
    services.take_action(
        finding=f, kind="fixed", by=world.user("area_manager"), data={"note": "已处理"}
    )
    Patrol.objects.filter(pk=f.patrol_id).update(status="done")  # submitted (set-up)
    day = f.found_on
    rows = patrol_kpis(world.a, day, day)
    zone_row, total = rows[0], rows[-1]
    assert zone_row.planned == 1
    assert zone_row.done == 1
    assert zone_row.completion == 1
    assert zone_row.findings == 1
    assert zone_row.closed == 1
    assert zone_row.closure == 1
    assert zone_row.days_to_close == 0
    assert total.findings == 1
    by_patroller = patrol_kpis(world.a, day, day, by="patroller")
    assert by_patroller[0].findings == 1


def test_the_workbench_lists_my_patrols_today_and_the_open_findings(world):
    from django.utils import timezone

    from guanjia.core.workbench import TaskQuery
    from guanjia.patrols.workbench import KINDS

    f = _finding(world)
    today, findings = KINDS
    mine = TaskQuery(user=world.user("area_manager"), community=world.a, now=timezone.now())
    assert list(today.items(mine)) == [f.patrol]
    assert list(findings.items(mine)) == [f]
    elsewhere = TaskQuery(user=world.user("area_manager"), community=world.b, now=timezone.now())
    assert not today.items(elsewhere).exists()
    assert not findings.items(elsewhere).exists()


def test_a_finding_becomes_a_resident_violation_followed_to_its_close(world):
    from guanjia.estates.tests.factories import UnitFactory
    from guanjia.violations.models import Violation, ViolationType

    am = world.user("area_manager")
    unit = UnitFactory(community=world.a)
    finding = services.add_finding(
        patrol=started(world), description="阳台违章搭建雨棚", location="3栋", unit=unit, by=am
    )
    kind = ViolationType.objects.create(community=world.a, name="阳台搭建", group="renovation")
    with pytest.raises(ValidationError) as exc:
        services.take_action(finding=finding, kind="violation", by=am, data={})
    assert "violation_kind" in exc.value.error_dict
    assert not Violation.objects.exists()
    services.take_action(
        finding=finding,
        kind="violation",
        by=am,
        data={"violation_kind": str(kind.pk), "responsible": "owner"},
    )
    finding.refresh_from_db()
    violation = Violation.objects.get(pk=finding.action_id)
    assert (finding.status, finding.action_ref) == (FindingStatus.ACTION, violation.number)
    assert (violation.unit, violation.source, violation.description) == (
        unit,
        "patrol",
        "阳台违章搭建雨棚",
    )
    assert services.follow_actions() == 0  # the violation is still open
    Violation.objects.filter(pk=violation.pk).update(status="corrected")
    assert services.follow_actions() == 1
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


def test_a_finding_without_a_unit_cannot_become_a_violation(world):
    from guanjia.violations.models import Violation, ViolationType

    finding = _finding(world)
    kind = ViolationType.objects.create(community=world.a, name="阳台搭建", group="renovation")
    with pytest.raises(ValidationError):
        services.take_action(
            finding=finding,
            kind="violation",
            by=world.user("area_manager"),
            data={"violation_kind": str(kind.pk)},
        )
    assert not Violation.objects.exists()
