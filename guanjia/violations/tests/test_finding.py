"""A violation found (spec §11 step 1): the interface patrols and renovation call."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guanjia.core.notifications.models import OutboundMessage
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory
from guanjia.violations import services
from guanjia.violations.models import Violation, ViolationPhoto, ViolationStatus

from .factories import actor, found, kind, managed_unit

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdacd`\xf8_\x0f\x00\x02\x87\x01\x80\xeb\x47\xba\x92"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_violation_found_is_numbered_with_its_photo_and_event(world):
    photo = SimpleUploadedFile("楼道.png", PNG_BYTES, content_type="image/png")
    violation = found(world, world.a, photos=[photo])
    assert violation.status == ViolationStatus.FOUND
    assert violation.number.startswith("WZ-")
    event = violation.events.get()
    assert (event.action, event.actor) == ("found", world.user("area_manager"))
    assert ViolationPhoto.objects.get(violation=violation).original_name == "楼道.png"


def test_any_staff_member_may_report_one_outside_their_zone(world):
    """All staff must report violations they see (§11): the receptionist too, anywhere."""
    violation = found(
        world,
        world.a,
        unit=UnitFactory(community=world.a),
        by=world.user("receptionist"),
        source="staff",
    )
    assert violation.found_by == world.user("receptionist")


def test_a_finding_without_description_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as exc:
        found(world, world.a, description="   ")
    assert exc.value.message_dict == {"description": ["Describe the violation."]} or (
        exc.value.error_dict["description"][0].code == "required"
    )
    assert not Violation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("responsible", "neighbour"), ("source", "rumour")],
)
def test_an_unknown_choice_is_refused(world, field, value):
    with pytest.raises(ValidationError) as exc:
        found(world, world.a, **{field: value})
    assert field in exc.value.error_dict
    assert not Violation.objects.exists()


def test_a_unit_of_another_community_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        found(world, world.a, unit=UnitFactory(community=world.b))
    assert exc.value.error_dict["unit"][0].code == "other_community"


def test_another_communitys_own_type_is_refused(world):
    other = services.add_type(
        community=world.b,
        group="behaviour",
        name="乙小区特有",
        by=actor(world, world.b, "supervisor"),
    )
    with pytest.raises(ValidationError) as exc:
        found(world, world.a, kind=other)
    assert exc.value.error_dict["kind"][0].code == "invalid"


def test_a_disguised_photo_is_refused_and_nothing_is_saved(world):
    fake = SimpleUploadedFile("photo.png", b"MZ not a picture", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        found(world, world.a, photos=[fake])
    assert "photos" in exc.value.error_dict
    assert not Violation.objects.exists()


def test_a_role_without_the_permission_cannot_report(world):
    with pytest.raises(PermissionDenied):
        found(world, world.a, by=world.user("cashier"))


def test_a_tenants_violation_is_told_to_the_owner(world, django_capture_on_commit_callbacks):
    unit = managed_unit(world, world.a)
    owner = OwnershipFactory(unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        violation = found(world, world.a, unit=unit, responsible="tenant", person_name="李四")
    message = OutboundMessage.objects.get(template="violation.tenant_found")
    assert message.to == owner.person.mobile
    assert violation.number in message.text


def test_an_owners_violation_sends_no_owner_message(world):
    unit = managed_unit(world, world.a)
    OwnershipFactory(unit=unit)
    found(world, world.a, unit=unit, responsible="owner")
    assert not OutboundMessage.objects.filter(template__startswith="violation.").exists()


def test_the_shared_list_holds_the_spec_types(world):
    assert kind().community is None
    assert kind("拆改承重墙、结构").structural
