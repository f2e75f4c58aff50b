"""Sessions: scheduled, signed in on a phone by the attendee only, the trainer's sheet, moved
or cancelled with a reason, held."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.workflows import WorkflowError
from guanjia.training import services
from guanjia.training.models import TrainingAttendance, TrainingSession

from .factories import plan, session

pytestmark = pytest.mark.django_db


def test_a_session_invites_the_community_staff(world):
    made = session(world, world.a)
    assert made.status == "scheduled"
    assert [a.employee for a in made.attendances.all()] == [world.user("receptionist")]


def test_a_session_of_a_stranger_or_without_anyone_is_refused(world):
    stranger = staff("receptionist", world.b)
    with pytest.raises(ValidationError) as caught:
        session(world, world.a, invited=[stranger])
    assert caught.value.error_dict["invited"][0].code == "not_staff"
    with pytest.raises(ValidationError):
        session(world, world.a, invited=[])
    with pytest.raises(ValidationError):
        session(world, world.a, hours="0.3")
    assert not TrainingSession.objects.exists()


def test_a_session_of_a_draft_plan_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        session(world, world.a, plan_row=plan(world, world.a))
    assert caught.value.error_dict["plan"][0].code == "not_approved"


def test_the_attendee_signs_in_themself(world):
    made = session(world, world.a)
    me = world.user("receptionist")
    row = services.sign_in(session=made, employee=me, by=me)
    assert (row.method, row.recorded_by) == ("phone", me)
    assert row.signed_at is not None


def test_signing_in_for_someone_else_is_refused(world):
    made = session(world, world.a)
    with pytest.raises(PermissionDenied):
        services.sign_in(
            session=made, employee=world.user("receptionist"), by=world.user("cashier")
        )
    assert not TrainingAttendance.objects.filter(signed_at__isnull=False).exists()


def test_signing_in_twice_or_on_another_day_is_refused(world):
    me = world.user("receptionist")
    made = session(world, world.a)
    services.sign_in(session=made, employee=me, by=me)
    with pytest.raises(ValidationError) as caught:
        services.sign_in(session=made, employee=me, by=me)
    assert caught.value.error_dict["session"][0].code == "already_signed"
    later = session(world, world.a, starts_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(ValidationError) as caught:
        services.sign_in(session=later, employee=me, by=me)
    assert caught.value.error_dict["session"][0].code == "not_today"


def test_a_colleague_not_invited_signs_in_as_a_walk_in(world):
    made = session(world, world.a)
    cashier = world.user("cashier")
    row = services.sign_in(session=made, employee=cashier, by=cashier)
    assert row.invited is False


def test_the_trainer_records_the_signed_sheet(world):
    me = world.user("receptionist")
    made = session(world, world.a)
    assert services.record_sheet(session=made, present=[me], by=world.user("supervisor")) == 1
    row = made.attendances.get(employee=me)
    assert (row.method, row.recorded_by) == ("sheet", world.user("supervisor"))
    assert made.events.filter(action="sheet_recorded").exists()


def test_a_colleague_may_not_record_the_sheet(world):
    made = session(world, world.a)
    with pytest.raises(PermissionDenied):
        services.record_sheet(
            session=made, present=[world.user("receptionist")], by=world.user("cashier")
        )


def test_a_moved_session_keeps_its_reason_and_the_old_time(world):
    made = session(world, world.a)
    new = timezone.now() + dt.timedelta(days=3)
    services.move_session(session=made, starts_at=new, reason="台风", by=world.user("supervisor"))
    made.refresh_from_db()
    event = made.events.get(action="moved")
    assert (made.reason, event.note) == ("台风", "台风")
    assert event.data["from"]


def test_moving_or_cancelling_needs_a_reason(world):
    made = session(world, world.a)
    with pytest.raises(ValidationError):
        services.move_session(
            session=made, starts_at=timezone.now(), reason=" ", by=world.user("supervisor")
        )
    with pytest.raises(ValidationError):
        services.cancel_session(session=made, reason="", by=world.user("supervisor"))
    made.refresh_from_db()
    assert made.status == "scheduled"


def test_a_cancelled_session_takes_no_sign_in_and_is_not_held(world):
    made = session(world, world.a)
    services.cancel_session(session=made, reason="工作繁忙", by=world.user("supervisor"))
    me = world.user("receptionist")
    with pytest.raises(ValidationError):
        services.sign_in(session=made, employee=me, by=me)
    with pytest.raises(WorkflowError) as caught:
        services.hold_session(session=made, by=world.user("supervisor"))
    assert caught.value.code == "move_not_allowed"


def test_a_session_is_held_on_its_day_not_before(world):
    later = session(world, world.a, starts_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.hold_session(session=later, by=world.user("supervisor"))
    today = session(world, world.a)
    services.hold_session(session=today, by=world.user("supervisor"))
    today.refresh_from_db()
    assert today.status == "held"


def test_material_is_a_procedure_of_the_manual_or_a_file(world):
    made = session(world, world.a)
    boss = world.user("supervisor")
    item = services.add_material(session=made, manual_code="QW-21-07", by=boss)
    assert item.title == "Staff appearance, language and service standards"
    with pytest.raises(ValidationError):
        services.add_material(session=made, manual_code="QW-99-01", by=boss)
    with pytest.raises(ValidationError):
        services.add_material(session=made, by=boss)
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00not a pdf", "application/pdf")
    with pytest.raises(ValidationError):
        services.add_material(session=made, upload=fake, by=boss)
    assert made.materials.count() == 1


def test_the_scanned_sheet_is_kept(world):
    made = session(world, world.a)
    pdf = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    scan = services.upload_sheet(session=made, upload=pdf, by=world.user("supervisor"))
    assert scan.original_name == "签到表.pdf"


def test_hours_must_be_in_halves(world):
    with pytest.raises(ValidationError):
        session(world, world.a, hours="1.3")
    assert Decimal("1.5")
