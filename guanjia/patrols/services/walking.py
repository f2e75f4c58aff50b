"""Walking a patrol on a phone (spec §12): start, scan each checkpoint, OK or issue per
checklist line, photos, residents met, submit. Every step is saved at once, so a reload or a
lost connection resumes where the patrol was."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.checks import check_upload
from guanjia.core.files.types import PICTURES
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit

from ..models import (
    FULL_INSPECTION_KINDS,
    ChecklistItem,
    Checkpoint,
    CheckpointKind,
    CheckpointResult,
    Finding,
    FindingPhoto,
    ItemResult,
    Patrol,
    PatrolStatus,
    ResidentTalk,
    walks_patrol,
)
from .checkpoints import read_label, seed_checklist

WALK = "patrols.walk_patrol"
SPECIAL_KINDS = (CheckpointKind.ROOF, CheckpointKind.BUILDING, CheckpointKind.METER)


def _lock(patrol: Patrol) -> Patrol:
    locked: Patrol = workflows.lock(patrol)
    return locked


def _walker(patrol: Patrol, by: User) -> None:
    """Only the patrol's patroller, or the zone's acting manager, walks it."""
    require_perm(by, WALK, patrol.community)
    if not walks_patrol(by, patrol, timezone.localdate()) and not walks_patrol(by, patrol):
        raise PermissionDenied(_("Only this patrol's patroller or the acting manager walks it."))


def _in_progress(patrol: Patrol) -> None:
    if patrol.status != PatrolStatus.IN_PROGRESS:
        raise ValidationError(
            _("This patrol is “%(status)s”: start it first, or it is already over.")
            % {"status": patrol.get_status_display()},
            code="not_in_progress",
        )


def route(patrol: Patrol) -> list[Checkpoint]:
    """The checkpoints this patrol walks: the plan's route (floors and roofs only of the
    buildings fully inspected that day), or the zone's storm route for a special patrol."""
    if patrol.plan_id is None:
        return list(
            Checkpoint.objects.filter(
                zone_id=patrol.zone_id, is_active=True, kind__in=SPECIAL_KINDS
            )
            .select_related("building")
            .order_by("kind", "name")
        )
    stops = (
        patrol.plan.stops.select_related("checkpoint__building")  # type: ignore[union-attr]
        .filter(checkpoint__is_active=True)
        .order_by("position")
    )
    full = set(patrol.full_buildings or [])
    return [
        stop.checkpoint
        for stop in stops
        if stop.checkpoint.kind not in FULL_INSPECTION_KINDS or stop.checkpoint.building_id in full
    ]


@transaction.atomic
def start_patrol(*, patrol: Patrol, by: User) -> Patrol:
    locked = _lock(patrol)
    _walker(locked, by)
    if locked.day > timezone.localdate():
        raise ValidationError(_("This patrol is planned for a later day."), code="too_early")
    workflows.transition(
        locked, PatrolStatus.IN_PROGRESS, by=by, action="started", started_at=timezone.now()
    )
    return locked


@transaction.atomic
def scan_checkpoint(*, patrol: Patrol, code: str, by: User) -> CheckpointResult:
    """Proof of presence: the label of a checkpoint of this patrol's zone, once a patrol."""
    locked = _lock(patrol)
    _walker(locked, by)
    _in_progress(locked)
    label = read_label(code, community=locked.community, zone=locked.zone)
    known = CheckpointResult.objects.filter(patrol=locked, checkpoint=label.checkpoint).first()
    if known is not None:
        return known  # a second scan (a reload, a double tap) is the same proof
    now = timezone.now()
    return CheckpointResult.objects.create(
        community=locked.community,
        patrol=locked,
        checkpoint=label.checkpoint,
        zone=locked.zone,
        day=locked.day,
        scanned_at=now,
        typed=label.typed,
    )


def checklist(community: Community, kind: str) -> list[ChecklistItem]:
    seed_checklist(community)
    return list(ChecklistItem.objects.filter(community=community, kind=kind, is_active=True))


@transaction.atomic
def record_items(
    *,
    result: CheckpointResult,
    answers: Mapping[int, bool],
    issues: Mapping[int, str],
    by: User,
) -> CheckpointResult:
    """The checklist of one scanned checkpoint: OK or issue per line. Each issue needs a
    description and becomes a finding (once: recording again updates, never doubles)."""
    patrol = _lock(result.patrol)
    _walker(patrol, by)
    _in_progress(patrol)
    items = {item.pk: item for item in checklist(patrol.community, result.checkpoint.kind)}
    errors: dict[str, str] = {}
    for pk in answers:
        if pk not in items:
            errors["items"] = _("This line is not on the checkpoint's checklist.")
    for pk, ok in answers.items():
        if not ok and not (issues.get(pk) or "").strip():
            errors[f"issue_{pk}"] = _("Describe the issue found.")
        if len(issues.get(pk) or "") > 2000:
            errors[f"issue_{pk}"] = _("The description is too long.")
    if not answers or set(items) - set(answers):
        errors["items"] = _("Mark each line OK or issue.")
    if errors:
        raise ValidationError(errors)
    for pk, ok in answers.items():
        ItemResult.objects.update_or_create(result=result, item_id=pk, defaults={"ok": ok})
        if not ok:
            text = issues[pk].strip()
            existing = Finding.objects.filter(
                patrol=patrol, checkpoint=result.checkpoint, item_id=pk
            )
            if existing.exists():
                existing.filter(status="open").update(description=text)
            else:
                finding = Finding.objects.create(
                    community=patrol.community,
                    patrol=patrol,
                    zone=patrol.zone,
                    checkpoint=result.checkpoint,
                    item=items[pk],
                    description=text,
                    location=str(result.checkpoint)[:100],
                    found_on=patrol.day,
                    found_by=by,
                )
                workflows.record_creation(finding, by=by, action="found")
    result.issues = result.items.filter(ok=False).count()
    result.save(update_fields=["issues"])
    return result


@transaction.atomic
def add_finding(
    *,
    patrol: Patrol,
    description: str,
    by: User,
    location: str = "",
    unit: Unit | None = None,
    checkpoint: Checkpoint | None = None,
) -> Finding:
    """An issue seen on the way, off the checklist (a violation, a vacant unit's leak)."""
    locked = _lock(patrol)
    _walker(locked, by)
    _in_progress(locked)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the issue found.")
    elif len(description) > 2000:
        errors["description"] = _("The description is too long.")
    if len(location) > 100:
        errors["location"] = _("The location is too long.")
    if unit is not None and unit.community_id != locked.community_id:
        errors["unit"] = _("There is no such record in this community.")
    if checkpoint is not None and checkpoint.zone_id != locked.zone_id:
        errors["checkpoint"] = _("This checkpoint is not in the patrol's zone.")
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(
        community=locked.community,
        patrol=locked,
        zone=locked.zone,
        checkpoint=checkpoint,
        unit=unit,
        description=description.strip(),
        location=location.strip(),
        found_on=locked.day,
        found_by=by,
    )
    workflows.record_creation(finding, by=by, action="found")
    return finding


@transaction.atomic
def add_photo(*, finding: Finding, upload: UploadedFile, by: User) -> FindingPhoto:
    """A photo of a finding, by its patroller while the patrol is under way, or by whoever
    follows the finding."""
    if finding.patrol is not None and finding.patrol.is_open:
        _walker(finding.patrol, by)
    else:
        require_perm(by, "patrols.change_finding", finding.community)
    limit = policy(finding.community, "patrol.photo_max_mb") * 1024 * 1024
    if getattr(upload, "size", 0) > limit:
        raise ValidationError(
            {"image": _("The photo is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}}
        )
    checked = check_upload(upload, PICTURES, field="image")
    return FindingPhoto.objects.create(
        finding=finding, image=checked.file, original_name=(upload.name or "")[:200]
    )


@transaction.atomic
def add_talk(
    *, patrol: Patrol, said: str, by: User, name: str = "", unit: Unit | None = None
) -> ResidentTalk:
    locked = _lock(patrol)
    _walker(locked, by)
    _in_progress(locked)
    errors: dict[str, str] = {}
    if not said.strip():
        errors["said"] = _("Write what the resident said.")
    elif len(said) > 1000:
        errors["said"] = _("The text is too long.")
    if len(name) > 50:
        errors["name"] = _("The name is too long.")
    if unit is not None and unit.community_id != locked.community_id:
        errors["unit"] = _("There is no such record in this community.")
    if errors:
        raise ValidationError(errors)
    return ResidentTalk.objects.create(
        patrol=locked, said=said.strip(), name=name.strip(), unit=unit
    )


@transaction.atomic
def submit_patrol(*, patrol: Patrol, by: User, note: str = "") -> Patrol:
    """Done: the checkpoints not scanned stay visible as such on the record."""
    locked = _lock(patrol)
    _walker(locked, by)
    if locked.status == PatrolStatus.DONE:
        raise ValidationError(_("This patrol is already submitted."), code="already_submitted")
    _in_progress(locked)
    if len(note) > 2000:
        raise ValidationError({"note": _("The note is too long.")})
    if not locked.results.exists():
        raise ValidationError(
            _("Scan at least one checkpoint before submitting."), code="nothing_scanned"
        )
    scanned = set(locked.results.values_list("checkpoint_id", flat=True))
    missing = [cp.name for cp in route(locked) if cp.pk not in scanned]
    workflows.transition(
        locked,
        PatrolStatus.DONE,
        by=by,
        action="submitted",
        note=note.strip()[:500],
        data={"not_scanned": missing[:100]},
        submitted_at=timezone.now(),
        remarks=note.strip(),
    )
    return locked
