"""People, ownership, occupancy, registers and personal data: rules and bad input."""

import datetime as dt
import mimetypes
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guanjia.estates import services
from guanjia.estates.models import (
    IdType,
    Occupancy,
    Ownership,
    Person,
    PersonalDataAccess,
    Relation,
    UnitDocument,
    UnitEvent,
    UnitNote,
    Vehicle,
)
from guanjia.estates.models.identity import decrypt_pii, lookup_hash, resident_id_check_digit
from guanjia.estates.services import OwnerShare

from .factories import OccupancyFactory, OwnershipFactory, PersonFactory, UnitFactory

VALID_ID = "44010619900101123" + resident_id_check_digit("44010619900101123")
D = dt.date


def _codes(exc, field):
    return [e.code for e in exc.value.error_dict[field]]


def _person(world, **kw):
    return Person(community=world.a, **{"name": "曾志强", **kw})


def test_a_person_is_stored_with_search_keys_and_an_encrypted_id(world):
    person = services.save_person(
        person=_person(world, mobile="+86 139 1234 5678", id_type=IdType.RESIDENT_ID),
        by=world.user("receptionist"),
        id_number=VALID_ID.lower(),
    )
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials) == ("zengzhiqiang", "zzq")
    assert (person.mobile, person.phone_last4) == ("13912345678", "5678")
    assert VALID_ID not in person.id_number_cipher
    assert decrypt_pii(person.id_number_cipher) == VALID_ID
    assert person.id_number_hash == lookup_hash(VALID_ID)
    assert person.id_number_masked == VALID_ID[:4] + "*" * 10 + VALID_ID[-4:]


def test_an_id_number_with_a_bad_checksum_is_refused_and_nothing_is_saved(world):
    bad = VALID_ID[:17] + ("1" if VALID_ID[17] != "1" else "2")
    with pytest.raises(ValidationError) as exc:
        services.save_person(
            person=_person(world, id_type=IdType.RESIDENT_ID),
            by=world.user("receptionist"),
            id_number=bad,
        )
    assert "bad_id_checksum" in _codes(exc, "id_number")
    assert not Person.objects.exists()


def test_an_id_number_without_its_type_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.save_person(
            person=_person(world), by=world.user("receptionist"), id_number=VALID_ID
        )
    assert "id_type_missing" in _codes(exc, "id_number")


def test_the_same_id_number_twice_in_a_community_is_refused(world):
    for _ in range(2):
        person = _person(world, id_type=IdType.RESIDENT_ID)
        if Person.objects.exists():
            with pytest.raises(ValidationError, match="already registered"):
                services.save_person(
                    person=person, by=world.user("receptionist"), id_number=VALID_ID
                )
        else:
            services.save_person(person=person, by=world.user("receptionist"), id_number=VALID_ID)
    assert Person.objects.count() == 1


@pytest.mark.parametrize("field", ["mobile", "other_phone", "emergency_phone"])
def test_a_phone_that_is_not_chinese_is_refused(world, field):
    with pytest.raises(ValidationError) as exc:
        services.save_person(
            person=_person(world, **{field: "12345"}), by=world.user("receptionist")
        )
    assert "bad_phone" in _codes(exc, field)
    assert not Person.objects.exists()


def test_a_person_without_the_permission_is_not_saved(world):
    with pytest.raises(PermissionDenied):
        services.save_person(person=_person(world), by=world.user("cashier"))


# --- Ownership ------------------------------------------------------------------------------


def test_a_sale_ends_the_current_owners_and_starts_the_buyers_keeping_history(world):
    first = OwnershipFactory(unit=UnitFactory(community=world.a), starts_on=D(2015, 1, 1))
    unit = first.unit
    a, b = (
        PersonFactory(community=world.a, name="单国栋"),
        PersonFactory(community=world.a, name="区美玲"),
    )
    created = services.transfer_ownership(
        unit=unit,
        owners=[OwnerShare(a, Decimal("60.5")), OwnerShare(b, Decimal("39.50"))],
        on=D(2024, 5, 1),
        by=world.user("receptionist"),
        contract_ref="HT-2024-01",
    )
    first.refresh_from_db()
    assert first.ends_on == D(2024, 4, 30)
    assert [(o.person, o.share, o.starts_on) for o in created] == [
        (a, Decimal("60.5"), D(2024, 5, 1)),
        (b, Decimal("39.50"), D(2024, 5, 1)),
    ]
    assert unit.ownerships.count() == 3
    assert UnitEvent.objects.get(unit=unit).kind == "owners"


def test_shares_that_do_not_add_up_to_100_are_refused(world):
    unit = UnitFactory(community=world.a)
    a, b = PersonFactory(community=world.a), PersonFactory(community=world.a)
    with pytest.raises(ValidationError) as exc:
        services.transfer_ownership(
            unit=unit,
            owners=[OwnerShare(a, Decimal(50)), OwnerShare(b, Decimal(45))],
            on=D(2024, 1, 1),
            by=world.user("receptionist"),
        )
    assert exc.value.code == "shares_not_100"
    assert "95" in exc.value.messages[0]
    assert not Ownership.objects.exists()


def test_an_ownership_overlapping_an_earlier_one_of_the_same_person_is_refused(world):
    past = OwnershipFactory(
        unit=UnitFactory(community=world.a), starts_on=D(2010, 1, 1), ends_on=D(2030, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.transfer_ownership(
            unit=past.unit,
            owners=[OwnerShare(past.person, Decimal(100))],
            on=D(2024, 1, 1),
            by=world.user("receptionist"),
        )
    assert exc.value.code == "overlapping_ownership"
    assert Ownership.objects.count() == 1


def test_new_owners_cannot_start_before_the_current_ones(world):
    current = OwnershipFactory(unit=UnitFactory(community=world.a), starts_on=D(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.transfer_ownership(
            unit=current.unit,
            owners=[OwnerShare(PersonFactory(community=world.a), Decimal(100))],
            on=D(2024, 6, 1),
            by=world.user("receptionist"),
        )
    assert exc.value.code == "overlapping_ownership"
    current.refresh_from_db()
    assert current.ends_on is None


def test_an_owner_of_another_community_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.transfer_ownership(
            unit=UnitFactory(community=world.a),
            owners=[OwnerShare(PersonFactory(community=world.b), Decimal(100))],
            on=D(2024, 1, 1),
            by=world.user("receptionist"),
        )
    assert exc.value.code == "other_community"


# --- Occupancy ------------------------------------------------------------------------------


def _occupancy(world, unit, **kw):
    person = kw.pop("person", None) or PersonFactory(community=world.a)
    return Occupancy(
        unit=unit, person=person, **{"relation": Relation.FAMILY, "starts_on": D(2024, 1, 1), **kw}
    )


def test_a_tenant_without_the_owners_consent_is_refused(world):
    unit = UnitFactory(community=world.a)
    with pytest.raises(ValidationError) as exc:
        services.save_occupancy(
            occupancy=_occupancy(
                world,
                unit,
                relation=Relation.TENANT,
                lease_starts_on=D(2024, 1, 1),
                lease_ends_on=D(2025, 1, 1),
            ),
            by=world.user("receptionist"),
        )
    assert _codes(exc, "consent_ref") == ["tenant_without_consent"]
    assert not Occupancy.objects.exists()


def test_a_tenant_with_lease_and_consent_is_registered_with_an_event(world):
    unit = UnitFactory(community=world.a)
    occupancy = services.save_occupancy(
        occupancy=_occupancy(
            world,
            unit,
            relation=Relation.TENANT,
            lease_starts_on=D(2024, 1, 1),
            lease_ends_on=D(2025, 12, 31),
            consent_ref=" ZL-01 ",
        ),
        by=world.user("receptionist"),
    )
    assert occupancy.consent_ref == "ZL-01"
    assert UnitEvent.objects.get(unit=unit).kind == "moved_in"


def test_the_same_person_living_twice_in_overlapping_periods_is_refused(world):
    existing = OccupancyFactory(unit=UnitFactory(community=world.a), starts_on=D(2020, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.save_occupancy(
            occupancy=_occupancy(world, existing.unit, person=existing.person),
            by=world.user("receptionist"),
        )
    assert exc.value.code == "overlapping_occupancy"


def test_a_new_primary_contact_replaces_the_old_one(world):
    old = OccupancyFactory(unit=UnitFactory(community=world.a), is_primary_contact=True)
    services.save_occupancy(
        occupancy=_occupancy(world, old.unit, is_primary_contact=True),
        by=world.user("receptionist"),
    )
    old.refresh_from_db()
    assert not old.is_primary_contact
    assert old.unit.occupancies.filter(is_primary_contact=True).count() == 1


def test_a_move_out_ends_the_occupancy_and_not_before_it_started(world):
    occupancy = OccupancyFactory(unit=UnitFactory(community=world.a), starts_on=D(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.end_occupancy(occupancy=occupancy, on=D(2023, 1, 1), by=world.user("receptionist"))
    assert exc.value.code == "ends_before_start"
    services.end_occupancy(occupancy=occupancy, on=D(2024, 6, 1), by=world.user("receptionist"))
    occupancy.refresh_from_db()
    assert occupancy.ends_on == D(2024, 6, 1)
    with pytest.raises(ValidationError) as exc:
        services.end_occupancy(occupancy=occupancy, on=D(2024, 7, 1), by=world.user("receptionist"))
    assert exc.value.code == "already_ended"


# --- Registers ------------------------------------------------------------------------------


def test_a_plate_is_normalised_and_a_bad_or_duplicate_plate_is_refused(world):
    unit = UnitFactory(community=world.a)
    vehicle = services.save_vehicle(
        vehicle=Vehicle(community=world.a, unit=unit, plate=" 粤ａ·12345 "),
        by=world.user("receptionist"),
    )
    assert (vehicle.plate, vehicle.plate_tail) == ("粤A12345", "A12345")
    with pytest.raises(ValidationError) as exc:
        services.save_vehicle(
            vehicle=Vehicle(community=world.a, plate="粤A12345"), by=world.user("receptionist")
        )
    assert "already registered" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.save_vehicle(
            vehicle=Vehicle(community=world.a, plate="12345"), by=world.user("receptionist")
        )
    assert _codes(exc, "plate") == ["bad_plate"]
    assert Vehicle.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("contract.exe", b"MZ\x90\x00", "bad_file_type"),
        ("contract.pdf", b"MZ\x90\x00 not a pdf", "file_content_mismatch"),
        ("photo.png", b"", "file_too_large"),
        ("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1), "file_too_large"),
    ],
)
def test_an_upload_of_the_wrong_type_or_size_is_refused(world, name, content, code, settings):
    from guanjia.core.policies.models import PolicyValue  # noqa: F401  # the policy table exists

    unit = UnitFactory(community=world.a)
    declared = mimetypes.guess_type(name)[0] or "application/octet-stream"
    upload = SimpleUploadedFile(name, content, content_type=declared)
    from unittest import mock

    with (
        mock.patch("guanjia.estates.services.registers.policy", return_value=1),
        pytest.raises(ValidationError) as exc,
    ):
        services.upload_unit_document(
            unit=unit, kind="contract", upload=upload, by=world.user("receptionist")
        )
    assert _codes(exc, "file") == [code]
    assert not UnitDocument.objects.exists()


def test_a_pdf_is_filed_under_an_unguessable_name(world, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    unit = UnitFactory(community=world.a)
    document = services.upload_unit_document(
        unit=unit,
        kind="contract",
        upload=SimpleUploadedFile("购房合同.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        by=world.user("receptionist"),
    )
    assert document.original_name == "购房合同.pdf"
    assert document.title == "购房合同.pdf"
    assert document.content_type == "application/pdf"
    assert re.fullmatch(r"estates/documents/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", document.file.name)


def test_an_empty_note_is_refused(world):
    with pytest.raises(ValidationError):
        services.add_unit_note(
            unit=UnitFactory(community=world.a), text="  ", by=world.user("receptionist")
        )
    assert not UnitNote.objects.exists()


# --- Personal data --------------------------------------------------------------------------


def test_revealing_a_phone_returns_it_and_logs_who_whose_which_and_why(world):
    person = PersonFactory(community=world.a, mobile="13812345678")
    value = services.reveal_personal_data(
        person=person, field="mobile", reason="回访报修", by=world.user("receptionist")
    )
    assert value == "13812345678"
    log = PersonalDataAccess.objects.get()
    assert (log.person, log.field, log.reason, log.accessed_by) == (
        person,
        "mobile",
        "回访报修",
        world.user("receptionist"),
    )
    assert "13812345678" not in str(log.__dict__)


def test_revealing_an_id_number_decrypts_it(world):
    person = _person(world, id_type=IdType.RESIDENT_ID)
    services.save_person(person=person, by=world.user("receptionist"), id_number=VALID_ID)
    assert (
        services.reveal_personal_data(
            person=person, field="id_number", reason="办理产权变更", by=world.user("receptionist")
        )
        == VALID_ID
    )


def test_a_reveal_without_a_reason_is_refused_and_not_logged(world):
    person = PersonFactory(community=world.a)
    with pytest.raises(ValidationError) as exc:
        services.reveal_personal_data(
            person=person, field="mobile", reason=" ", by=world.user("receptionist")
        )
    assert _codes(exc, "reason") == ["reason_required"]
    assert not PersonalDataAccess.objects.exists()


def test_a_reveal_without_the_permission_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.reveal_personal_data(
            person=PersonFactory(community=world.a),
            field="mobile",
            reason="查询",
            by=world.user("security"),
        )
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "\u200b\u200d\ufeff", "invisible_name"),
        ("name", "曾\u202e强志", "control_characters"),
        ("emergency_name", "李\u2067四", "control_characters"),
    ],
)
def test_a_name_of_invisible_or_direction_characters_is_refused(world, field, value, code):
    with pytest.raises(ValidationError) as exc:
        services.save_person(person=_person(world, **{field: value}), by=world.user("receptionist"))
    assert code in _codes(exc, field)
    assert not Person.objects.exists()


def test_zero_width_characters_pasted_into_a_name_are_dropped(world):
    person = services.save_person(
        person=_person(world, name="曾\u200b志强"), by=world.user("receptionist")
    )
    assert person.name == "曾志强"
