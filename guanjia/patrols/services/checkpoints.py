"""Checkpoints, their signed QR labels and the §12 checklist per checkpoint type."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.estates.models import Building, Zone

from ..models import ChecklistItem, Checkpoint, CheckpointKind

MANAGE = "patrols.add_checkpoint"
SALT = "guanjia.patrols.checkpoint"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a label

# The §12 checklist, seeded once per community and type (then edited by the office). The
# texts are stored in the office's language when seeded.
DEFAULT_CHECKLIST: dict[str, tuple[str, ...]] = {
    CheckpointKind.BUILDING: (
        gettext_noop("Doors locked, access control working, no suspicious persons or vendors"),
        gettext_noop("Corridor and stair lights, doors, windows and glass intact"),
        gettext_noop("Walls and ceilings: no peeling, cracks or leaks"),
        gettext_noop("Handrails, mailboxes, notice boards and intercom in order"),
        gettext_noop("Cleaning quality of the common parts"),
        gettext_noop("Renovation sites and violations seen, vacant units from outside"),
    ),
    CheckpointKind.FLOOR: (
        gettext_noop("Corridor and stair lights, doors, windows and glass intact"),
        gettext_noop("Walls and ceilings: no peeling, cracks or leaks"),
        gettext_noop("Escape route unobstructed, fire door closed, exit sign lit"),
        gettext_noop("Cleaning quality of the common parts"),
    ),
    CheckpointKind.ROOF: (
        gettext_noop("Roof exit door openable from inside, never locked"),
        gettext_noop("Parapets and lightning rods intact"),
        gettext_noop("Roof drains clear"),
        gettext_noop("No illegal use of the roof"),
    ),
    CheckpointKind.FIRE: (
        gettext_noop("Hydrant: label and parts complete"),
        gettext_noop("Extinguishers: pressure in the green, not expired"),
        gettext_noop("Fire doors closed, exit signs lit"),
    ),
    CheckpointKind.LIFT: (
        gettext_noop("Lift runs without abnormal noise or vibration"),
        gettext_noop("Car lights, buttons and alarm working, certificate displayed"),
    ),
    CheckpointKind.METER: (
        gettext_noop("No meter running in an empty unit"),
        gettext_noop("No sign of electricity theft or tampering"),
    ),
    CheckpointKind.GATE: (
        gettext_noop("Gate and barrier working, guard on duty"),
        gettext_noop("Landscaping and cleaning quality around the gate"),
    ),
}


def seed_checklist(community: Community) -> int:
    """The default checklist of every type the community does not have yet; returns the
    lines added (a second call adds nothing)."""
    present = set(
        ChecklistItem.objects.in_community(community).values_list("kind", flat=True).distinct()
    )
    rows = [
        ChecklistItem(community=community, kind=kind, text=_(text)[:120], position=i)
        for kind, texts in DEFAULT_CHECKLIST.items()
        if kind not in present
        for i, text in enumerate(texts, start=1)
    ]
    ChecklistItem.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


@dataclass(frozen=True)
class CheckpointData:
    zone: Zone
    kind: str
    name: str
    building: Building | None = None


def _check(community: Community, data: CheckpointData) -> None:
    errors: dict[str, str] = {}
    if data.zone.community_id != community.pk:
        errors["zone"] = _("There is no such record in this community.")
    if data.kind not in CheckpointKind.values:
        errors["kind"] = _("Choose the type of checkpoint.")
    if not data.name.strip():
        errors["name"] = _("Name the checkpoint.")
    elif len(data.name.strip()) > 60:
        errors["name"] = _("The name is too long.")
    if data.building is not None and data.building.zone_id != data.zone.pk:
        errors["building"] = _("This building is not in the zone.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_checkpoint(*, community: Community, data: CheckpointData, by: User) -> Checkpoint:
    """A new checkpoint of a zone with a fresh label code; the community's checklist is
    seeded the first time."""
    require_perm(by, MANAGE, community)
    _check(community, data)
    seed_checklist(community)
    if Checkpoint.objects.filter(zone=data.zone, name=data.name.strip()).exists():
        raise ValidationError({"name": _("This zone already has a checkpoint of this name.")})
    checkpoint = Checkpoint(
        community=community,
        zone=data.zone,
        building=data.building,
        kind=data.kind,
        name=data.name.strip(),
        code=_new_code(),
    )
    try:
        with transaction.atomic():
            checkpoint.save()
    except IntegrityError:  # the one-in-a-trillion code collision: draw again
        checkpoint.code = _new_code()
        checkpoint.save()
    return checkpoint


@transaction.atomic
def replace_label(*, checkpoint: Checkpoint, by: User) -> Checkpoint:
    """A lost or damaged label: a new code and version; the old label is refused at scan."""
    require_perm(by, MANAGE, checkpoint.community)
    locked = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    locked.code = _new_code()
    locked.label_version += 1
    locked.save(update_fields=["code", "label_version", "updated_at"])
    return locked


@transaction.atomic
def set_checkpoint_active(*, checkpoint: Checkpoint, active: bool, by: User) -> Checkpoint:
    require_perm(by, MANAGE, checkpoint.community)
    checkpoint.is_active = active
    checkpoint.save(update_fields=["is_active", "updated_at"])
    return checkpoint


def label_token(checkpoint: Checkpoint) -> str:
    """What the QR code carries: the checkpoint, its zone and community, signed."""
    payload = {
        "p": checkpoint.pk,
        "z": checkpoint.zone_id,
        "c": checkpoint.community_id,
        "v": checkpoint.label_version,
    }
    return signing.dumps(payload, salt=SALT, compress=False)


@dataclass(frozen=True)
class ScannedLabel:
    checkpoint: Checkpoint
    typed: bool


def _refuse(message: str, code: str) -> ValidationError:
    """A refusal of the scanned label, on the code field, with its code."""
    return ValidationError({"code": ValidationError(message, code=code)})


def read_label(value: str, *, community: Community, zone: Zone) -> ScannedLabel:
    """The checkpoint a scanned QR (or a typed code) names, refused when forged, replaced,
    or of another zone or community."""
    text = (value or "").strip()
    if not text:
        raise _refuse(_("Scan the label or type its code."), "empty")
    if len(text) > 300:
        raise _refuse(_("This label is not genuine."), "forged")
    typed = ":" not in text
    if typed:
        found = Checkpoint.objects.filter(code=text.upper().replace(" ", "")).first()
        if found is None:
            raise _refuse(_("No checkpoint has this code."), "unknown")
        version = found.label_version
    else:
        try:
            payload = signing.loads(text, salt=SALT)
            pk, version = int(payload["p"]), int(payload["v"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise _refuse(_("This label is not genuine."), "forged") from None
        found = Checkpoint.objects.filter(pk=pk).first()
        if found is None:
            raise _refuse(_("This label is not genuine."), "forged")
    if found.community_id != community.pk:
        raise _refuse(_("This label belongs to another community."), "other_community")
    if found.zone_id != zone.pk:
        raise _refuse(_("This label belongs to another zone."), "other_zone")
    if version != found.label_version or not found.is_active:
        raise _refuse(_("This label was replaced or withdrawn: scan the current one."), "replaced")
    return ScannedLabel(checkpoint=found, typed=typed)


@transaction.atomic
def save_checklist_item(
    *, community: Community, kind: str, text: str, by: User, item: ChecklistItem | None = None
) -> ChecklistItem:
    """Add a line to a type's checklist, or reword one."""
    require_perm(by, MANAGE, community)
    if kind not in CheckpointKind.values:
        raise ValidationError({"kind": _("Choose the type of checkpoint.")})
    clean = text.strip()
    if not clean:
        raise ValidationError({"text": _("Say what is checked.")})
    if len(clean) > 120:
        raise ValidationError({"text": _("The line is too long.")})
    if item is not None and item.community_id != community.pk:
        raise ValidationError(_("There is no such record in this community."))
    clash = ChecklistItem.objects.filter(community=community, kind=kind, text=clean)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"text": _("This checklist already has this line.")})
    if item is None:
        last = ChecklistItem.objects.filter(community=community, kind=kind).count()
        item = ChecklistItem(community=community, kind=kind, position=last + 1)
    item.kind, item.text = kind, clean
    item.save()
    return item


@transaction.atomic
def set_item_active(*, item: ChecklistItem, active: bool, by: User) -> ChecklistItem:
    require_perm(by, MANAGE, item.community)
    item.is_active = active
    item.save(update_fields=["is_active", "updated_at"])
    return item
