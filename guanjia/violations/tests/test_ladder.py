"""The ladder of spec §11: each move, its event, and the refused moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.core.notifications.models import OutboundMessage
from guanjia.core.workflows import WorkflowError
from guanjia.estates.tests.factories import OwnershipFactory
from guanjia.violations import services
from guanjia.violations.models import (
    MeasureKind,
    ViolationNotice,
    ViolationStatus,
)

from .factories import (
    PNG,
    days_later,
    found,
    managed_unit,
    noticed,
    serving,
    structural_kind,
)

S = ViolationStatus


def am(world):
    return world.user("area_manager")


def test_dissuasion_is_recorded_with_a_measure(world):
    violation = found(world, world.a)
    services.dissuade_violation(
        violation=violation, action="已现场劝阻，住户答应清理", by=am(world)
    )
    violation.refresh_from_db()
    assert violation.status == S.DISSUADED
    assert violation.on_site_action == "已现场劝阻，住户答应清理"
    assert violation.measures.get().kind == MeasureKind.PERSUASION
    assert violation.events.last().to_status == S.DISSUADED


def test_a_notice_is_numbered_signed_and_its_deadline_is_the_policys(world):
    violation = found(world, world.a)
    notice = services.issue_notice(violation=violation, serving=serving(), by=am(world))
    violation.refresh_from_db()
    today = timezone.localdate()
    assert notice.number.startswith("ZG-")
    assert notice.deadline == today + dt.timedelta(days=7)
    assert notice.signature
    assert not notice.refused_to_sign
    assert (violation.status, violation.deadline) == (S.NOTICED, notice.deadline)
    assert violation.events.last().data["notice"] == notice.number


def test_a_refusal_to_sign_is_recorded_instead_of_a_signature(world):
    violation = found(world, world.a)
    notice = services.issue_notice(
        violation=violation,
        serving=serving(signature="", refused_to_sign=True, refusal_note="业主拒签，保安在场"),
        by=am(world),
    )
    assert notice.refused_to_sign
    assert not notice.signature
    assert notice.refusal_note == "业主拒签，保安在场"


def test_a_notice_neither_signed_nor_refused_is_refused(world):
    violation = found(world, world.a)
    with pytest.raises(ValidationError) as exc:
        services.issue_notice(violation=violation, serving=serving(signature=""), by=am(world))
    assert exc.value.error_dict["signature"][0].code == "no_signature"
    violation.refresh_from_db()
    assert violation.status == S.FOUND
    assert not ViolationNotice.objects.exists()


def test_a_notice_with_a_deadline_in_the_past_is_refused(world):
    violation = found(world, world.a)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.issue_notice(
            violation=violation, serving=serving(deadline=yesterday), by=am(world)
        )
    assert exc.value.error_dict["deadline"][0].code == "deadline_in_past"
    violation.refresh_from_db()
    assert violation.status == S.FOUND
    assert not ViolationNotice.objects.exists()


def test_a_structural_case_is_told_to_stop_at_once(world):
    violation = found(world, world.a, kind=structural_kind())
    later = timezone.localdate() + dt.timedelta(days=10)
    notice = services.issue_notice(
        violation=violation, serving=serving(deadline=later), by=am(world)
    )
    assert notice.stop_at_once
    assert notice.deadline == timezone.localdate()
    assert violation.measures.get().kind == MeasureKind.STOP_WORK


def test_a_tenants_notice_is_told_to_the_owner(world):
    unit = managed_unit(world, world.a)
    OwnershipFactory(unit=unit)
    violation = found(world, world.a, unit=unit, responsible="tenant")
    services.issue_notice(violation=violation, serving=serving(), by=am(world))
    assert OutboundMessage.objects.filter(template="violation.tenant_notice").count() == 1


def test_a_recheck_before_the_notice_is_refused(world):
    violation = found(world, world.a)
    with pytest.raises(ValidationError) as exc:
        services.recheck_violation(violation=violation, corrected=True, note="已清理", by=am(world))
    assert exc.value.code == "no_notice"
    violation.refresh_from_db()
    assert violation.status == S.FOUND
    assert violation.rechecked_on is None


def test_corrected_at_the_recheck_closes_on_time(world):
    violation = noticed(world, world.a)
    services.recheck_violation(violation=violation, corrected=True, note="已清理干净", by=am(world))
    violation.refresh_from_db()
    assert violation.status == S.CORRECTED
    assert violation.corrected_on_time is True
    assert violation.closed_on == timezone.localdate()


def test_not_corrected_before_the_deadline_is_refused(world):
    violation = noticed(world, world.a)
    with pytest.raises(ValidationError) as exc:
        services.recheck_violation(
            violation=violation, corrected=False, note="未清理", by=am(world)
        )
    assert exc.value.code == "before_deadline"
    violation.refresh_from_db()
    assert violation.status == S.NOTICED


def test_not_corrected_at_the_deadline_then_a_directors_letter_and_a_report(world):
    violation = noticed(world, world.a)
    supervisor = world.user("supervisor")
    with days_later(7):
        services.recheck_violation(
            violation=violation, corrected=False, note="仍未清理", by=am(world)
        )
        violation.refresh_from_db()
        assert violation.status == S.NOT_CORRECTED
        letter = services.escalate_violation(
            violation=violation, kind="director_letter", serving=serving(), by=supervisor
        )
        assert letter.kind == "director_letter"
        report = services.Report(
            authority="urban_management",
            reported_on=timezone.localdate(),
            contact="王科长",
            reference="城管2026-88",
        )
        services.report_to_authority(violation=violation, report=report, by=supervisor)
        services.close_transferred(violation=violation, note="城管已受理", by=supervisor)
    violation.refresh_from_db()
    assert violation.status == S.TRANSFERRED
    assert (violation.reported_to, violation.reported_ref) == ("urban_management", "城管2026-88")
    assert [e.to_status for e in violation.events.all()] == [
        S.FOUND, S.NOTICED, S.NOT_CORRECTED, S.ESCALATED, S.REPORTED, S.TRANSFERRED,
    ]  # fmt: skip


def test_late_correction_counts_as_not_on_time(world):
    violation = noticed(world, world.a)
    with days_later(8):
        services.recheck_violation(
            violation=violation, corrected=False, note="未清理", by=am(world)
        )
        services.close_corrected(violation=violation, note="终于清理", by=am(world))
    violation.refresh_from_db()
    assert violation.status == S.CORRECTED
    assert violation.corrected_on_time is False


def test_an_area_manager_cannot_escalate(world):
    violation = noticed(world, world.a)
    with days_later(7):
        services.recheck_violation(
            violation=violation, corrected=False, note="未清理", by=am(world)
        )
        with pytest.raises(PermissionDenied):
            services.escalate_violation(
                violation=violation, kind="second", serving=serving(), by=am(world)
            )
    violation.refresh_from_db()
    assert violation.status == S.NOT_CORRECTED


def test_an_area_manager_of_another_zone_cannot_work_it(world):
    from guanjia.estates.tests.factories import UnitFactory

    violation = found(
        world, world.a, unit=UnitFactory(community=world.a), by=world.user("receptionist")
    )
    with pytest.raises(PermissionDenied):
        services.dissuade_violation(violation=violation, action="劝阻", by=am(world))


def test_a_move_out_of_order_is_refused_and_nothing_changes(world):
    violation = found(world, world.a)
    with pytest.raises(WorkflowError) as exc:
        services.close_transferred(violation=violation, note="", by=world.user("supervisor"))
    assert exc.value.code == "move_not_allowed"
    violation.refresh_from_db()
    assert violation.status == S.FOUND
    assert violation.events.count() == 1


def test_a_closed_violation_takes_no_notice(world):
    violation = found(world, world.a)
    services.close_corrected(violation=violation, note="当场整改", by=am(world))
    with pytest.raises(WorkflowError) as exc:
        services.issue_notice(violation=violation, serving=serving(), by=am(world))
    assert exc.value.code == "move_not_allowed"
    assert not ViolationNotice.objects.exists()


def test_corrected_when_a_notice_is_out_needs_the_recheck(world):
    violation = noticed(world, world.a)
    with pytest.raises(ValidationError) as exc:
        services.close_corrected(violation=violation, note="已改", by=am(world))
    assert exc.value.code == "recheck_needed"


def test_a_violation_predating_the_office_is_reported_without_measures(world):
    violation = found(world, world.a, predates_office=True)
    with pytest.raises(WorkflowError) as exc:
        services.issue_notice(violation=violation, serving=serving(), by=am(world))
    assert exc.value.code == "condition"
    with pytest.raises(ValidationError) as exc2:
        services.record_measure(violation=violation, kind="phone_owner", note="", by=am(world))
    assert exc2.value.code == "predates_office"
    report = services.Report(authority="owners_committee", reported_on=timezone.localdate())
    services.report_to_authority(violation=violation, report=report, by=world.user("supervisor"))
    violation.refresh_from_db()
    assert violation.status == S.REPORTED
    assert not violation.measures.exists()


def test_a_report_dated_in_the_future_is_refused(world):
    violation = found(world, world.a)
    report = services.Report(
        authority="police", reported_on=timezone.localdate() + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.report_to_authority(violation=violation, report=report, by=world.user("director"))
    assert "reported_on" in exc.value.error_dict


def test_the_measures_offer_no_fine_and_no_service_cut():
    """Spec §11 note: an office has no power to fine residents and never cuts services."""
    words = " ".join(str(label).lower() for label in MeasureKind.labels)
    assert "fine" not in words
    assert "cut" not in words
    assert "deduct" not in words


def test_a_signature_that_is_not_a_png_is_refused(world):
    violation = found(world, world.a)
    with pytest.raises(ValidationError):
        services.issue_notice(
            violation=violation, serving=serving(signature=PNG[:40] + "@@@"), by=am(world)
        )
    assert not ViolationNotice.objects.exists()
