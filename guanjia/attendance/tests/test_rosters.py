"""Rosters per post, shift swaps approved by the supervisor, the desk's relief check."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.attendance import services
from guanjia.attendance.models import RosterEntry, ShiftSwap, SwapStatus
from guanjia.core.workflows import WorkflowDenied, WorkflowError
from guanjia.desk import services as desk
from guanjia.desk.models import Handover
from guanjia.desk.tests.factories import post_and_shift

from .factories import worker

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)


def _code(exc):
    return next(iter(exc.value.error_dict.values()))[0].code


def _plan(world, person, first, last=None, **kw):
    post, shift = post_and_shift(world)
    return services.plan_roster(
        post=post, shift=shift, employee=person, first=first, last=last or first,
        by=world.user("supervisor"), **kw,
    )  # fmt: skip


def test_a_week_of_weekdays_is_rostered_once(world):
    person = worker(world)
    monday = TODAY - dt.timedelta(days=TODAY.weekday()) + dt.timedelta(days=7)
    made = _plan(world, person, monday, monday + dt.timedelta(days=6), weekdays=frozenset({0, 2}))
    assert [e.day.weekday() for e in made] == [0, 2]
    again = _plan(world, person, monday, monday + dt.timedelta(days=6))
    assert len(again) == 5  # the two already rostered are kept, not doubled
    assert RosterEntry.objects.filter(employee=person).count() == 7


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"last": TODAY - dt.timedelta(days=1)}, "last", "invalid"),
        ({"last": TODAY + dt.timedelta(days=70)}, "last", "too_long"),
    ],
)
def test_bad_periods_are_refused(world, change, field, code):
    post, shift = post_and_shift(world)
    args = {"first": TODAY, "last": TODAY, **change}
    with pytest.raises(ValidationError) as exc:
        services.plan_roster(
            post=post, shift=shift, employee=worker(world), by=world.user("supervisor"), **args
        )
    assert field in exc.value.error_dict
    assert _code(exc) == code
    assert not RosterEntry.objects.exists()


def test_staff_of_another_community_and_clashing_shifts_are_refused(world):
    from guanjia.accounts.tests.factories import staff

    post, shift = post_and_shift(world)
    outsider = staff("receptionist", world.b)
    with pytest.raises(ValidationError) as exc:
        services.plan_roster(
            post=post, shift=shift, employee=outsider, first=TODAY, last=TODAY,
            by=world.user("supervisor"),
        )  # fmt: skip
    assert _code(exc) == "not_staff"
    person = worker(world)
    _plan(world, person, TODAY)
    overlapping = desk.add_shift(
        post=post, name="中班", starts=dt.time(12), ends=dt.time(22), by=world.user("supervisor")
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_roster(
            post=post, shift=overlapping, employee=person, first=TODAY, last=TODAY,
            by=world.user("supervisor"),
        )  # fmt: skip
    assert _code(exc) == "clash"


def test_a_receptionist_cannot_roster(world):
    post, shift = post_and_shift(world)
    with pytest.raises(PermissionDenied):
        services.plan_roster(
            post=post, shift=shift, employee=worker(world), first=TODAY, last=TODAY,
            by=world.user("receptionist"),
        )  # fmt: skip


def _cover(world, requester, substitute, day=TOMORROW):
    (entry,) = _plan(world, requester, day)
    return services.request_swap(
        entry=entry, kind="cover", substitute=substitute, explanation="家里有事", by=requester
    )


def test_a_cover_approved_by_the_supervisor_moves_the_shift(world):
    me, colleague = worker(world), worker(world, "李四", "A002")
    _plan(world, colleague, TOMORROW + dt.timedelta(days=1))  # on the post this month
    swap = _cover(world, me, colleague)
    assert swap.status == SwapStatus.REQUESTED
    services.decide_swap(swap=swap, approve=True, by=world.user("supervisor"))
    entry = RosterEntry.objects.get(pk=swap.entry_id)
    assert (entry.employee_id, entry.swapped_from_id) == (colleague.pk, me.pk)
    assert list(swap.events.values_list("action", flat=True)) == [
        "created", "requested", "approved",
    ]  # fmt: skip


def test_a_swap_exchanges_both_shifts(world):
    me, colleague = worker(world), worker(world, "李四", "A002")
    (mine,) = _plan(world, me, TOMORROW)
    (theirs,) = _plan(world, colleague, TOMORROW + dt.timedelta(days=1))
    swap = services.request_swap(
        entry=mine, kind="swap", substitute=colleague, other_entry=theirs,
        explanation="调班", by=me,
    )  # fmt: skip
    services.decide_swap(swap=swap, approve=True, by=world.user("supervisor"))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.employee_id, theirs.employee_id) == (colleague.pk, me.pk)


def test_a_swap_with_someone_not_on_that_post_is_refused(world):
    me, stranger = worker(world), worker(world, "王五", "A003")
    with pytest.raises(ValidationError) as exc:
        _cover(world, me, stranger)
    assert _code(exc) == "not_on_post"
    assert not ShiftSwap.objects.exists()


def test_the_requester_cannot_approve_their_own_swap(world):
    boss, colleague = world.user("supervisor"), worker(world, "李四", "A002")
    _plan(world, colleague, TOMORROW + dt.timedelta(days=1))
    swap = _cover(world, boss, colleague)
    with pytest.raises(WorkflowDenied) as exc:
        services.decide_swap(swap=swap, approve=True, by=boss)
    assert exc.value.code == "own_request"
    swap.refresh_from_db()
    assert swap.status == SwapStatus.REQUESTED


def test_a_rejection_needs_a_reason_and_a_second_decision_is_refused(world):
    me, colleague = worker(world), worker(world, "李四", "A002")
    _plan(world, colleague, TOMORROW + dt.timedelta(days=1))
    swap = _cover(world, me, colleague)
    with pytest.raises(WorkflowError) as exc:
        services.decide_swap(swap=swap, approve=False, by=world.user("supervisor"))
    assert exc.value.code == "reason_required"
    services.decide_swap(swap=swap, approve=False, reason="人手不足", by=world.user("supervisor"))
    with pytest.raises(WorkflowError) as exc:
        services.decide_swap(swap=swap, approve=True, by=world.user("director"))
    assert exc.value.code == "already_decided"
    assert RosterEntry.objects.get(pk=swap.entry_id).employee_id == me.pk


def test_a_swap_of_someone_elses_shift_or_a_past_one_is_refused(world):
    me, colleague = worker(world), worker(world, "李四", "A002")
    (entry,) = _plan(world, colleague, TOMORROW)
    with pytest.raises(ValidationError) as exc:
        services.request_swap(entry=entry, kind="cover", substitute=colleague,
                              explanation="x", by=me)  # fmt: skip
    assert _code(exc) == "not_yours"
    (past,) = _plan(world, me, TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.request_swap(entry=past, kind="cover", substitute=colleague,
                              explanation="x", by=me)  # fmt: skip
    assert _code(exc) == "past"


# --- The desk's relief check --------------------------------------------------------------


def _open(world, incoming):
    post, shift = post_and_shift(world)
    night = desk.add_shift(
        post=post, name="夜班", starts=dt.time(20), ends=dt.time(8), by=world.user("supervisor")
    )
    return post, shift, night


def test_the_handover_refuses_a_relief_not_on_the_roster(world):
    outgoing, rostered_person, other = (
        worker(world), worker(world, "李四", "A002"), worker(world, "王五", "A003"),
    )  # fmt: skip
    post, day_shift, night = _open(world, rostered_person)
    services.plan_roster(post=post, shift=night, employee=rostered_person, first=TODAY,
                         last=TODAY, by=world.user("supervisor"))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        desk.open_handover(post=post, shift=day_shift, incoming=other, by=outgoing, day=TODAY)
    assert _code(exc) == "not_rostered"
    assert not Handover.objects.exists()
    desk.open_handover(post=post, shift=day_shift, incoming=rostered_person, by=outgoing, day=TODAY)


def test_the_handover_accepts_a_relief_by_an_approved_swap(world):
    outgoing, rostered_person, cover = (
        worker(world), worker(world, "李四", "A002"), worker(world, "王五", "A003"),
    )  # fmt: skip
    post, day_shift, night = _open(world, rostered_person)
    (entry,) = services.plan_roster(
        post=post, shift=night, employee=rostered_person, first=TODAY, last=TODAY,
        by=world.user("supervisor"),
    )  # fmt: skip
    services.plan_roster(post=post, shift=night, employee=cover, first=TOMORROW,
                         last=TOMORROW, by=world.user("supervisor"))  # fmt: skip
    swap = services.request_swap(entry=entry, kind="cover", substitute=cover,
                                 explanation="病了", by=rostered_person)  # fmt: skip
    services.decide_swap(swap=swap, approve=True, by=world.user("supervisor"))
    desk.open_handover(post=post, shift=day_shift, incoming=cover, by=outgoing, day=TODAY)


def test_a_post_without_a_roster_that_day_is_not_checked(world):
    post, day_shift = post_and_shift(world)
    desk.open_handover(post=post, shift=day_shift, incoming=worker(world, "李四", "A002"),
                       by=worker(world), day=TODAY)  # fmt: skip
