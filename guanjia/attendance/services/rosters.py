"""Rosters and shift swaps (spec §22, §06): the supervisor rosters people on the shifts of
the posts; a swap (调班) or a cover (顶班) is asked by the rostered person and approved by the
supervisor beforehand; the front desk's handover accepts only a rostered relief."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.desk.models import Post, Shift

from ..models import RosterEntry, ShiftSwap, SwapKind, SwapStatus
from ._common import check_month_open, field_error, month_end, month_start, required, works_here

PLAN = "attendance.add_rosterentry"
MAX_PLAN_DAYS = 62  # a roster is planned by week or month: two months at most at once


def _overlaps(shift: Shift, day: dt.date, other: RosterEntry) -> bool:
    start, end = shift.window(day)
    other_start, other_end = other.shift.window(other.day)
    return start < other_end and other_start < end


def _clash(employee: User, shift: Shift, day: dt.date, exclude: list[int]) -> bool:
    near = (
        RosterEntry.objects.filter(
            employee=employee, day__range=(day - dt.timedelta(days=1), day + dt.timedelta(days=1))
        )
        .exclude(pk__in=exclude)
        .select_related("shift")
    )
    return any(_overlaps(shift, day, other) for other in near)


@transaction.atomic
def plan_roster(
    *,
    post: Post,
    shift: Shift,
    employee: User,
    first: dt.date,
    last: dt.date,
    by: User,
    weekdays: frozenset[int] | None = None,
) -> list[RosterEntry]:
    """Put `employee` on `shift` of `post` every day from `first` to `last` (only on the
    given weekdays, 0 = Monday, when `weekdays` is given). Days already rostered so are
    kept; a day on which the person works another shift at that time is refused."""
    community = post.community
    require_perm(by, PLAN, community)
    if shift.post_id != post.pk:
        raise field_error("shift", _("Choose a shift of this post."), "invalid")
    if not post.is_active:
        raise field_error("post", _("This post is not in use."), "inactive")
    if last < first:
        raise field_error("last", _("The last day cannot be before the first."), "invalid")
    if (last - first).days >= MAX_PLAN_DAYS:
        raise field_error(
            "last",
            _("Roster at most %(days)d days at once.") % {"days": MAX_PLAN_DAYS},
            "too_long",
        )
    if not works_here(employee, community):
        raise field_error("employee", _("Choose active staff of this community."), "not_staff")
    days = [
        first + dt.timedelta(days=n)
        for n in range((last - first).days + 1)
        if weekdays is None or (first + dt.timedelta(days=n)).weekday() in weekdays
    ]
    if not days:
        raise field_error("weekdays", _("No day of the period is chosen."), "empty")
    check_month_open(community.pk, days, by, "first")
    existing = set(
        RosterEntry.objects.filter(employee=employee, shift=shift, day__in=days).values_list(
            "day", flat=True
        )
    )
    created: list[RosterEntry] = []
    for day in days:
        if day in existing:
            continue
        if _clash(employee, shift, day, []):
            raise field_error(
                "employee",
                _("%(name)s already works at that time on %(day)s.")
                % {"name": employee, "day": day.isoformat()},
                "clash",
            )
        created.append(
            RosterEntry(community=community, post=post, shift=shift, day=day, employee=employee)
        )
    RosterEntry.objects.bulk_create(created)
    return created


@transaction.atomic
def remove_entry(*, entry: RosterEntry, by: User) -> None:
    """Take a person off a day's shift (before the day; never an entry a swap names)."""
    require_perm(by, "attendance.delete_rosterentry", entry.community_id)
    if entry.day < timezone.localdate():
        raise field_error("entry", _("A past day of the roster stays as it was."), "past")
    check_month_open(entry.community_id, [entry.day], by, "entry")
    named = ShiftSwap.objects.filter(entry=entry) | ShiftSwap.objects.filter(other_entry=entry)
    if named.exists():
        raise field_error("entry", _("A shift swap names this shift: it stays."), "swapped")
    entry.delete()


def on_post(employee: User, post_id: int, day: dt.date) -> bool:
    """Whether `employee` works on that post in that month (is one of its team)."""
    return RosterEntry.objects.filter(
        employee=employee, post_id=post_id, day__range=(month_start(day), month_end(day))
    ).exists()


@transaction.atomic
def request_swap(
    *,
    entry: RosterEntry,
    kind: str,
    substitute: User,
    explanation: str,
    by: User,
    other_entry: RosterEntry | None = None,
) -> ShiftSwap:
    """The rostered person asks beforehand that `substitute` covers `entry` (顶班) or swaps it
    for the substitute's `other_entry` on the same post (调班)."""
    community_id = entry.community_id
    require_perm(by, "attendance.add_shiftswap", community_id)
    if by.pk != entry.employee_id:
        raise field_error("entry", _("Ask a swap only of your own shift."), "not_yours")
    text = required(explanation, "explanation", _("Say why."))
    if kind not in SwapKind.values:
        raise field_error("kind", _("Choose swap or cover."), "invalid")
    if entry.day < timezone.localdate():
        raise field_error("entry", _("A swap is approved before the shift, not after."), "past")
    if substitute.pk == by.pk:
        raise field_error("substitute", _("The substitute is someone else."), "same_person")
    if not works_here(substitute, community_id) or not on_post(
        substitute, entry.post_id, entry.day
    ):
        raise field_error(
            "substitute",
            _("%(name)s is not on the roster of %(post)s this month: choose someone of that post.")
            % {"name": substitute, "post": entry.post},
            "not_on_post",
        )
    exclude = [entry.pk]
    if kind == SwapKind.SWAP:
        if other_entry is None:
            raise field_error(
                "other_entry", _("Choose the shift you take in exchange."), "required"
            )
        if other_entry.employee_id != substitute.pk or other_entry.post_id != entry.post_id:
            raise field_error(
                "other_entry",
                _("The shift taken in exchange is the substitute's, on the same post."),
                "invalid",
            )
        if other_entry.day < timezone.localdate():
            raise field_error("other_entry", _("That shift is past."), "past")
        exclude.append(other_entry.pk)
        if _clash(by, other_entry.shift, other_entry.day, exclude):
            raise field_error("other_entry", _("You already work at that time that day."), "clash")
    else:
        other_entry = None
    if _clash(substitute, entry.shift, entry.day, exclude):
        raise field_error(
            "substitute",
            _("%(name)s already works at that time that day.") % {"name": substitute},
            "clash",
        )
    check_month_open(community_id, [entry.day], by, "entry")
    pending = ShiftSwap.objects.filter(entry=entry, status=SwapStatus.REQUESTED)
    if pending.exists():
        raise field_error("entry", _("A swap of this shift already awaits a decision."), "pending")
    swap = ShiftSwap.objects.create(
        community_id=community_id,
        kind=kind,
        entry=entry,
        employee=by,
        substitute=substitute,
        other_entry=other_entry,
        explanation=text[:500],
    )
    workflows.record_creation(swap, by=by)
    workflows.request_approval(swap, by=by, note=text[:500])
    return swap


@transaction.atomic
def decide_swap(*, swap: ShiftSwap, approve: bool, by: User, reason: str = "") -> ShiftSwap:
    """The supervisor approves (the roster changes) or rejects (with a reason)."""
    locked = workflows.lock(swap)
    if approve:
        check_month_open(locked.community_id, [locked.entry.day], by, "swap")
    workflows.decide(locked, approve, by=by, reason=reason)
    if not approve:
        return locked
    entry = RosterEntry.objects.select_for_update().get(pk=locked.entry_id)
    if entry.employee_id != locked.employee_id:
        raise field_error("swap", _("The roster changed since the request."), "stale")
    try:
        with transaction.atomic():
            entry.swapped_from_id, entry.employee_id = entry.employee_id, locked.substitute_id
            entry.save(update_fields=["employee", "swapped_from", "updated_at"])
            if locked.other_entry_id:
                other = RosterEntry.objects.select_for_update().get(pk=locked.other_entry_id)
                other.swapped_from_id, other.employee_id = other.employee_id, locked.employee_id
                other.save(update_fields=["employee", "swapped_from", "updated_at"])
    except IntegrityError:
        raise field_error(
            "swap", _("The substitute is already on that shift that day."), "clash"
        ) from None
    return locked


def relief_refusal(post: Post, shift: Shift, day: dt.date, incoming: User) -> str | None:
    """The desk's relief check: when the post is rostered for the next shift, the incoming
    person must be on it (by the roster or an approved swap)."""
    following = Shift.objects.filter(post_id=post.pk, starts=shift.ends).first() or shift
    _start, end = shift.window(day)
    relief_day = timezone.localtime(end).date()  # the relief happens when this shift ends
    rostered = RosterEntry.objects.filter(post_id=post.pk, day=relief_day)
    if not rostered.exists():
        return None  # this post is not rostered that day: nothing to check
    on_shift = rostered.filter(shift=following)
    names = on_shift if on_shift.exists() else rostered
    if names.filter(employee_id=incoming.pk).exists():
        return None
    return _(
        "%(name)s is not on the roster of %(post)s for the next shift and has no approved swap."
    ) % {"name": incoming, "post": post}
