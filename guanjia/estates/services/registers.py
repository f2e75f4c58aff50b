"""Writes to the household registers: vehicles, parking spaces, pets, documents and notes."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.policies.selectors import policy

from ..models import ParkingSpace, Pet, Unit, UnitDocument, UnitNote, Vehicle
from ..models.identity import field_error, normalise_plate, squeeze, strip_blanks, validate_plate
from ..policies import DOCUMENT_MAX_MB
from ..selectors.access import require_edit

# Accepted uploads: extension -> (content type, leading bytes of such a file).
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


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
def save_vehicle(*, vehicle: Vehicle, by: Any) -> Vehicle:
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
def save_parking_space(*, space: ParkingSpace, by: Any) -> ParkingSpace:
    """Register or change a parking space and who holds it."""
    space.number = strip_blanks(space.number).upper()
    require_edit(by, f"estates.{_verb(space)}_parkingspace", space.community, _zone_of(space.unit))
    _same_community(space, "person", "unit")
    space.full_clean()
    space.save()
    return space


@transaction.atomic
def save_pet(*, pet: Pet, by: Any) -> Pet:
    pet.community = pet.unit.community
    require_edit(by, f"estates.{_verb(pet)}_pet", pet.community, _zone_of(pet.unit))
    pet.full_clean()
    pet.save()
    return pet


@transaction.atomic
def upload_unit_document(
    *, unit: Unit, kind: str, upload: UploadedFile, by: Any, title: str = ""
) -> UnitDocument:
    """Keep a PDF, JPEG or PNG in the household archive; other types and big files are refused."""
    require_edit(by, "estates.add_unitdocument", unit.community, unit.building.zone_id)
    content_type = check_upload(upload, max_mb=policy(unit.community, DOCUMENT_MAX_MB))
    name = PurePosixPath(upload.name or "file").name[-200:]
    document = UnitDocument(
        community=unit.community,
        unit=unit,
        kind=kind,
        title=squeeze(title)[:100] or name[:100],
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document.file.save(name, upload, save=False)
    document.save()
    return document


def check_upload(upload: UploadedFile, *, max_mb: int) -> str:
    """The content type of an acceptable upload; ValidationError for a wrong type or size."""
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise field_error("file", _("Only PDF, JPEG and PNG files are accepted."), "bad_file_type")
    if not upload.size or upload.size > max_mb * 1024 * 1024:
        raise field_error(
            "file",
            _("The file must not be empty nor larger than %(mb)s MB.") % {"mb": max_mb},
            "file_too_large",
        )
    content_type, magics = DOCUMENT_TYPES[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise field_error(
            "file", _("The file's content is not the type its name says."), "bad_file_type"
        )
    return content_type


@transaction.atomic
def add_unit_note(*, unit: Unit, text: str, by: Any) -> UnitNote:
    """A dated note in the household archive."""
    require_edit(by, "estates.add_unitnote", unit.community, unit.building.zone_id)
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("Write the note first."), "empty_note")
    note = UnitNote(community=unit.community, unit=unit, text=text, author=by, at=timezone.now())
    note.full_clean()
    note.save()
    return note
