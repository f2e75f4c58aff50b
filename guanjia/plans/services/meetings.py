"""The weekly meeting (例会, spec §02): recorded with its topics and decisions, attendees sign
in, action items are given to an owner with a due date and stay open (carried to every later
meeting) until closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.models import Community

from ..models import ActionItem, Attendance, Meeting, MeetingKind
from ._common import field_error, refusal, required, works_in

ADD = "plans.add_meeting"
WRITE = "plans.change_meeting"


@transaction.atomic
def record_meeting(
    *,
    community: Community,
    held_on: dt.date | None,
    topics: str,
    kind: str = MeetingKind.WEEKLY,
    review: str = "",
    decisions: str = "",
    by: User,
) -> Meeting:
    """A meeting held today or earlier; the recorder chairs it unless changed later."""
    require_perm(by, ADD, community)
    if kind not in MeetingKind.values:
        raise field_error("kind", _("Choose the kind of meeting."), "invalid")
    if held_on is None:
        raise field_error("held_on", _("Give the day of the meeting."), "required")
    if held_on > timezone.localdate():
        raise field_error(
            "held_on", _("Minutes are kept of a meeting held, not one to come."), "future"
        )
    text = required(topics, "topics", _("List the topics of the meeting."))
    return Meeting.objects.create(
        community=community,
        kind=kind,
        held_on=held_on,
        chair=by,
        topics=text,
        review=(review or "").strip(),
        decisions=(decisions or "").strip(),
        recorded_by=by,
    )


@transaction.atomic
def update_minutes(
    *, meeting: Meeting, topics: str, review: str = "", decisions: str = "", by: User
) -> Meeting:
    require_perm(by, WRITE, meeting.community)
    meeting.topics = required(topics, "topics", _("List the topics of the meeting."))
    meeting.review = (review or "").strip()
    meeting.decisions = (decisions or "").strip()
    meeting.save(update_fields=["topics", "review", "decisions", "updated_at"])
    return meeting


@transaction.atomic
def sign_in(*, meeting: Meeting, person: Any, by: User) -> Attendance:
    """One attendee on the sign-in sheet: a staff member of the community, once."""
    require_perm(by, WRITE, meeting.community)
    if person is None:
        raise field_error("person", _("Choose who signed in."), "required")
    if not works_in(person, meeting.community):
        raise field_error(
            "person", _("Only staff of this community sign in at its meeting."), "not_staff"
        )
    if meeting.attendance.filter(person=person).exists():
        raise field_error("person", _("This person has already signed in."), "duplicate")
    return Attendance.objects.create(meeting=meeting, person=person, signed_at=timezone.now())


@transaction.atomic
def add_action(
    *, meeting: Meeting, title: str, owner: Any, due_on: dt.date | None, by: User
) -> ActionItem:
    """An action item decided at the meeting: refused without an owner or a due date."""
    require_perm(by, WRITE, meeting.community)
    text = required(title, "title", _("Say what is to be done."))
    if owner is None:
        raise field_error("owner", _("An action item needs an owner."), "required")
    if not works_in(owner, meeting.community):
        raise field_error(
            "owner", _("The owner must be a staff member of this community."), "not_staff"
        )
    if due_on is None:
        raise field_error("due_on", _("Give the action item's due date."), "required")
    if due_on < meeting.held_on:
        raise field_error(
            "due_on", _("The due date cannot be before the meeting."), "before_meeting"
        )
    return ActionItem.objects.create(
        community=meeting.community, meeting=meeting, title=text, owner=owner, due_on=due_on
    )


@transaction.atomic
def close_action(*, item: ActionItem, outcome: str, by: User) -> ActionItem:
    """Closed by its owner or by the supervisor, with what was done."""
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    if locked.owner_id != by.pk and not has_perm_in(by, WRITE, locked.community_id):
        raise PermissionDenied(_("Only the action's owner or the supervisor closes it."))
    if locked.closed_on is not None:
        raise refusal(_("This action item is already closed."), "closed")
    locked.outcome = required(outcome, "outcome", _("Say what was done."))[:500]
    locked.closed_on = timezone.localdate()
    locked.closed_by = by
    locked.save(update_fields=["outcome", "closed_on", "closed_by", "updated_at"])
    for name in ("outcome", "closed_on", "closed_by_id"):
        setattr(item, name, getattr(locked, name))
    return locked
