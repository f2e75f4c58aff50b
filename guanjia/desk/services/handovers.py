"""Shift handover (交接班, spec §06): the outgoing person opens a handover pre-filled by the
registered sections, adds notes and signs it over; the incoming person checks every line,
records discrepancies, and accepts (relieved: the time, and how late) or refuses (the
supervisors are told); only then may the outgoing person close the shift."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.files.signatures import signature_file
from guanjia.core.handover import SectionContext, sections_for
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy

from ..models import (
    Finding,
    Handover,
    HandoverItem,
    HandoverStatus,
    Instruction,
    Post,
    PostKind,
    Shift,
)
from ._common import field_error, required, same_community

H = HandoverStatus
PERM = "desk.add_handover"

# Checks an app above the desk registers (attendance: the roster and approved swaps): each
# gets (post, shift, day, incoming) and answers a refusal message, or None to let it pass.
ReliefCheck = Callable[[Post, Shift, dt.date, User], str | None]
_RELIEF_CHECKS: list[ReliefCheck] = []


def register_relief_check(check: ReliefCheck) -> None:
    """Refuse a relief (the incoming person of a handover) by the rule of another app."""
    if check not in _RELIEF_CHECKS:
        _RELIEF_CHECKS.append(check)


@transaction.atomic
def add_post(*, community: Community, name: str, kind: str, by: User) -> Post:
    require_perm(by, "desk.add_post", community)
    text = required(name, "name", _("Give the post a name."))
    if kind not in PostKind.values:
        raise field_error("kind", _("Choose the kind of post."), "invalid")
    if Post.objects.filter(community=community, name=text).exists():
        raise field_error("name", _("This community already has a post of this name."), "unique")
    return Post.objects.create(community=community, name=text, kind=kind)


@transaction.atomic
def add_shift(*, post: Post, name: str, starts: dt.time, ends: dt.time, by: User) -> Shift:
    require_perm(by, "desk.add_post", post.community_id)
    text = required(name, "name", _("Give the shift a name."))
    if starts == ends:
        raise field_error("ends", _("A shift ends at another time than it starts."), "invalid")
    if Shift.objects.filter(post=post, starts=starts).exists():
        raise field_error("starts", _("This post already has a shift starting then."), "unique")
    return Shift.objects.create(
        community_id=post.community_id, post=post, name=text, starts=starts, ends=ends
    )


@transaction.atomic
def add_instruction(
    *, community: Community, text: str, valid_until: dt.date, by: User, post: Post | None = None
) -> Instruction:
    """A superior's instruction, listed in every handover of the post until it expires."""
    require_perm(by, "desk.add_instruction", community)
    same_community(post, community.pk, "post", _("Choose a post of this community."))
    body = required(text, "text", _("Write the instruction."))
    if valid_until < timezone.localdate():
        raise field_error("valid_until", _("The instruction must still be valid today."), "past")
    return Instruction.objects.create(
        community=community, post=post, text=body, valid_until=valid_until, given_by=by
    )


def next_shift_end(shift: Shift, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """When the shift after this one ends: the post's shift starting at this one's end, or
    a shift as long as this one."""
    following = Shift.objects.filter(post_id=shift.post_id, starts=shift.ends).first()
    if following is None:
        return end + (end - start)
    _s, following_end = following.window(timezone.localtime(end).date())
    return following_end


def _context(handover: Handover, shift: Shift, community: Community) -> SectionContext:
    start, end = shift.window(handover.day)
    return SectionContext(
        community=community,
        post_kind=handover.post.kind,
        shift_start=start,
        shift_end=end,
        next_shift_end=next_shift_end(shift, start, end),
        limit=policy(community, "handover.section_lines"),
    )


@transaction.atomic
def open_handover(
    *, post: Post, shift: Shift, incoming: User, by: User, day: dt.date | None = None
) -> Handover:
    """The outgoing person (`by`) opens the handover of their shift to `incoming`: every
    registered section for the post's kind is copied in, line by line."""
    community = post.community
    require_perm(by, PERM, community)
    if shift.post_id != post.pk:
        raise field_error("shift", _("Choose a shift of this post."), "invalid")
    if not post.is_active:
        raise field_error("post", _("This post is not in use."), "inactive")
    if incoming.pk == by.pk:
        raise field_error("incoming", _("The incoming person is someone else."), "same_person")
    if not incoming.is_active or not has_perm_in(incoming, PERM, community):
        raise field_error(
            "incoming", _("The incoming person must be staff who take over this post."), "invalid"
        )
    day = day or timezone.localdate()
    for check in _RELIEF_CHECKS:
        refusal = check(post, shift, day, incoming)
        if refusal:
            raise field_error("incoming", refusal, "not_rostered")
    _start, end = shift.window(day)
    handover = Handover(
        community=community,
        post=post,
        shift=shift,
        day=day,
        shift_ends_at=end,
        outgoing=by,
        incoming=incoming,
    )
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError:
        raise field_error(
            "shift", _("This shift of this post is already being handed over."), "exists"
        ) from None
    workflows.record_creation(handover, by=by)
    context = _context(handover, shift, community)
    items: list[HandoverItem] = []
    # The handover is a record of the office, like the paper form it replaces: its lines are
    # written once, in the office's language, whatever the language of the person opening it.
    with translation.override(settings.LANGUAGE_CODE):
        drafts = [(section, list(section.collect(context))) for section in sections_for(post.kind)]
    for section, collected in drafts:
        for position, draft in enumerate(collected):
            items.append(
                HandoverItem(
                    community=community,
                    handover=handover,
                    section=section.code,
                    position=len(items) + position,
                    ref=draft.ref[:40],
                    summary=draft.summary[:200],
                    detail=draft.detail[:200],
                )
            )
    HandoverItem.objects.bulk_create(items)
    return handover


def _outgoing(handover: Handover, by: User) -> None:
    require_perm(by, PERM, handover.community_id)
    if by.pk != handover.outgoing_id:
        raise PermissionDenied(_("Only the outgoing person writes this handover."))


def _incoming(handover: Handover, by: User) -> None:
    require_perm(by, PERM, handover.community_id)
    if by.pk != handover.incoming_id:
        raise PermissionDenied(_("You are not the incoming person for this handover."))


@transaction.atomic
def save_notes(*, handover: Handover, notes: str, equipment: str = "", by: User) -> Handover:
    _outgoing(handover, by)
    locked = workflows.lock(handover)
    if locked.status not in (H.OPEN, H.REFUSED):
        raise field_error("notes", _("The handover is signed over: notes are fixed."), "signed")
    locked.notes, locked.equipment = notes.strip()[:4000], equipment.strip()[:500]
    locked.save(update_fields=["notes", "equipment", "updated_at"])
    return locked


@transaction.atomic
def offer_handover(*, handover: Handover, signature: str, by: User, note: str = "") -> Handover:
    """The outgoing person signs the handover over to the incoming person."""
    _outgoing(handover, by)
    content = signature_file(signature)
    locked = workflows.lock(handover)
    locked.outgoing_signature.save("signature.png", content, save=False)
    workflows.transition(
        locked,
        H.OFFERED,
        by=by,
        note=note,
        outgoing_signature=locked.outgoing_signature.name,
        offered_at=timezone.now(),
    )
    return locked


def _record_findings(
    handover: Handover, findings: Mapping[int, tuple[str, str]], *, complete: bool
) -> int:
    """Each line's finding (ok / discrepancy with a note); returns the discrepancies."""
    items = list(handover.items.all())
    known = {item.pk for item in items}
    unknown = set(findings) - known
    if unknown:
        raise field_error(
            "items", _("A line that is not in this handover was checked."), "unknown_item"
        )
    errors = []
    for item in items:
        finding, note = findings.get(item.pk, ("", ""))
        if finding not in Finding.values:
            raise field_error("items", _("Unknown finding."), "invalid")
        if complete and not finding:
            errors.append(item.summary)
        if finding == Finding.DISCREPANCY and not note.strip():
            raise field_error(
                "items",
                _("Describe the discrepancy of “%(item)s”.") % {"item": item.summary},
                "note_required",
            )
        item.finding, item.finding_note = finding, note.strip()[:500]
    if errors:
        raise field_error(
            "items",
            _("Check every line before signing: %(items)s") % {"items": "; ".join(errors[:5])},
            "unchecked",
        )
    HandoverItem.objects.bulk_update(items, ["finding", "finding_note"])
    return sum(1 for item in items if item.finding == Finding.DISCREPANCY)


@transaction.atomic
def accept_handover(
    *,
    handover: Handover,
    findings: Mapping[int, tuple[str, str]],
    signature: str,
    by: User,
    now: dt.datetime | None = None,
) -> Handover:
    """The incoming person checked every line (discrepancies noted) and signs: relieved.
    A relief after the shift's end (and the grace) is recorded as late, in minutes."""
    _incoming(handover, by)
    locked = workflows.lock(handover)
    workflows.check_transition(locked, H.ACCEPTED, by=by)
    content = signature_file(signature)
    discrepancies = _record_findings(locked, findings, complete=True)
    now = now or timezone.now()
    grace = dt.timedelta(minutes=policy(locked.community, "handover.late_grace_min"))
    late = (
        max(0, int((now - locked.shift_ends_at - grace).total_seconds() // 60))
        if now > locked.shift_ends_at + grace
        else 0
    )
    locked.incoming_signature.save("signature.png", content, save=False)
    workflows.transition(
        locked,
        H.ACCEPTED,
        by=by,
        note=_("%(count)s discrepancies") % {"count": discrepancies} if discrepancies else "",
        data={"discrepancies": discrepancies, "late_minutes": late},
        incoming_signature=locked.incoming_signature.name,
        relieved_at=now,
        late_minutes=late,
        discrepancy_count=discrepancies,
    )
    return locked


@transaction.atomic
def refuse_handover(
    *,
    handover: Handover,
    reason: str,
    by: User,
    findings: Mapping[int, tuple[str, str]] | None = None,
) -> Handover:
    """The incoming person refuses to take over: why, and the supervisors are told."""
    _incoming(handover, by)
    text = required(reason, "reason", _("Say why you refuse to take over."))
    locked = workflows.lock(handover)
    workflows.check_transition(locked, H.REFUSED, by=by)
    discrepancies = _record_findings(locked, findings or {}, complete=False)
    workflows.transition(
        locked,
        H.REFUSED,
        by=by,
        note=text[:500],
        refusal_reason=text[:500],
        discrepancy_count=discrepancies,
    )
    return locked


@transaction.atomic
def close_shift(*, handover: Handover, by: User) -> Handover:
    """The outgoing person leaves: only once the incoming person has accepted."""
    _outgoing(handover, by)
    locked = workflows.lock(handover)
    if locked.status != H.ACCEPTED:
        raise field_error(
            "status",
            _("Nobody has relieved you yet: stay until the incoming person accepts the handover."),
            "not_relieved",
        )
    workflows.transition(locked, H.CLOSED, by=by, closed_at=timezone.now())
    return locked
