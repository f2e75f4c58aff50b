"""Writes to the household registers: vehicles, parking spaces, pets, documents and notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.files.checks import CheckedUpload, check_upload
from guanjia.core.files.types import JPEG, PDF, PNG
from guanjia.core.policies.selectors import policy

from ..models import ParkingSpace, Pet, Unit, UnitDocument, UnitNote, Vehicle
from ..models.identity import field_error, normalise_plate, squeeze, strip_blanks, validate_plate
from ..policies import DOCUMENT_MAX_MB
from ..selectors.access import require_edit

if TYPE_CHECKING:
    from guanjia.core.access import User

# The household archive keeps scans and photos of papers.
DOCUMENT_TYPES = (PDF, JPEG, PNG)


def _zone_of(unit: Unit | None) -> int | None:
    return unit.building.zone_id if unit is not None else None


def _same_community(obj: Any, *fields: str) -> None:
    for name in fields:
        other = getattr(obj, name)
        if other is not None and other.community_id != obj.community_id:
            raise field_error(name, _("Choose one of this community's entries."), "other_community")


def _verb(obj: Any) -> str:
    return "change" if obj.pk else "add"


@transaction.atomic
def save_vehicle(*, vehicle: Vehicle, by: User) -> Vehicle:
    """Register or change a vehicle under its normalised plate."""
    vehicle.plate = normalise_plate(vehicle.plate)
    require_edit(by, f"estates.{_verb(vehicle)}_vehicle", vehicle.community, _zone_of(vehicle.unit))
    if vehicle.pk:  # moved to another household: the one it leaves is checked too
        before = Vehicle.objects.select_related("unit__building").get(pk=vehicle.pk)
        if before.unit_id != vehicle.unit_id:
            require_edit(by, "estates.change_vehicle", before.community, _zone_of(before.unit))
    validate_plate_field(vehicle.plate)
    vehicle.plate_tail = vehicle.plate[1:]
    vehicle.model, vehicle.colour = squeeze(vehicle.model), squeeze(vehicle.colour)
    _same_community(vehicle, "person", "unit")
    vehicle.full_clean()
    vehicle.save()
    return vehicle


def validate_plate_field(plate: str) -> None:
    try:
        validate_plate(plate)
    except ValidationError as exc:
        raise ValidationError({"plate": exc.error_list}) from exc


@transaction.atomic
def save_parking_space(*, space: ParkingSpace, by: User) -> ParkingSpace:
    """Register or change a parking space and who holds it."""
    space.number = strip_blanks(space.number).upper()
    require_edit(by, f"estates.{_verb(space)}_parkingspace", space.community, _zone_of(space.unit))
    _same_community(space, "person", "unit")
    space.full_clean()
    space.save()
    return space


@transaction.atomic
def save_pet(*, pet: Pet, by: User) -> Pet:
    pet.community = pet.unit.community
    require_edit(by, f"estates.{_verb(pet)}_pet", pet.community, _zone_of(pet.unit))
    pet.full_clean()
    pet.save()
    return pet


@transaction.atomic
def upload_unit_document(
    *, unit: Unit, kind: str, upload: UploadedFile, by: User, title: str = ""
) -> UnitDocument:
    """Keep a PDF, JPEG or PNG in the household archive; other types and big files are refused."""
    require_edit(by, "estates.add_unitdocument", unit.community, unit.building.zone_id)
    checked = check_document(upload, max_mb=policy(unit.community, DOCUMENT_MAX_MB))
    document = UnitDocument(
        community=unit.community,
        unit=unit,
        kind=kind,
        title=squeeze(title)[:100] or checked.original_name[:100],
        file=checked.file,
        original_name=checked.original_name,
        content_type=checked.type.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document.save()
    return document


def check_document(upload: UploadedFile, *, max_mb: int) -> CheckedUpload:
    """An acceptable document, checked (core.files); ValidationError for a wrong type or size."""
    if not upload.size or upload.size > max_mb * 1024 * 1024:
        raise field_error(
            "file",
            _("The file must not be empty nor larger than %(mb)s MB.") % {"mb": max_mb},
            "file_too_large",
        )
    return check_upload(upload, DOCUMENT_TYPES, field="file")


@transaction.atomic
def add_unit_note(*, unit: Unit, text: str, by: User) -> UnitNote:
    """A dated note in the household archive."""
    require_edit(by, "estates.add_unitnote", unit.community, unit.building.zone_id)
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("Write the note first."), "empty_note")
    note = UnitNote(community=unit.community, unit=unit, text=text, author=by, at=timezone.now())
    note.full_clean()
    note.save()
    return note
