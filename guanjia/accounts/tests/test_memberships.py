"""Memberships: roles in a community or company-wide, acting periods, ending, never deleting."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.accounts.models import Membership, User
from guanjia.accounts.services import (
    RoleGrant,
    add_membership,
    deactivate_staff,
    end_membership,
)
from guanjia.accounts.tests.factories import staff
from guanjia.core.access import has_perm_in
from guanjia.core.tests.factories import CommunityFactory

TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _add(world, user, role, community=None, **terms):
    terms.setdefault("starts_on", TODAY)
    return add_membership(
        user=user, grant=RoleGrant(role, community, **terms), by=world.user("admin")
    )


def _error(exc: pytest.ExceptionInfo) -> tuple[str, str]:
    field, errors = next(iter(exc.value.error_dict.items()))
    return field, errors[0].code


@pytest.fixture
def clerk(world):
    return staff("receptionist", world.a, company=world.company)


def test_a_community_role_is_added_and_grants_its_permissions_there(world, clerk):
    membership = _add(world, clerk, "cashier", world.a, note="收费窗口")
    assert (membership.role.name, membership.community, membership.starts_on) == (
        "cashier",
        world.a,
        TODAY,
    )
    assert membership.history.first().history_user == world.user("admin")


def test_a_company_role_is_added_without_a_community(world, clerk):
    membership = _add(world, clerk, "finance")
    assert membership.community is None


def test_a_community_role_without_a_community_is_refused(world, clerk):
    with pytest.raises(ValidationError) as exc:
        _add(world, clerk, "cashier")
    assert _error(exc) == ("community", "community_required")
    assert exc.value.error_dict["community"][0].messages == [
        "Cashier is held in a community: choose one."
    ]


def test_a_company_role_with_a_community_is_refused(world, clerk):
    with pytest.raises(ValidationError) as exc:
        _add(world, clerk, "finance", world.a)
    assert _error(exc) == ("community", "company_role_with_community")
    assert clerk.memberships.count() == 1


def test_an_end_before_the_start_is_refused(world, clerk):
    with pytest.raises(ValidationError) as exc:
        _add(world, clerk, "cashier", world.a, ends_on=TODAY - dt.timedelta(days=1))
    assert _error(exc) == ("ends_on", "end_before_start")


def test_an_unknown_role_is_refused(world, clerk):
    with pytest.raises(ValidationError) as exc:
        _add(world, clerk, "janitor", world.a)
    assert _error(exc) == ("role", "unknown_role")


def test_an_acting_assignment_needs_an_end_date(world, clerk):
    with pytest.raises(ValidationError) as exc:
        _add(world, clerk, "supervisor", world.a, is_acting=True)
    assert _error(exc) == ("ends_on", "acting_needs_end")


def test_a_duplicate_active_membership_is_refused(world, clerk):
    with pytest.raises(ValidationError) as exc:
        _add(world, clerk, "receptionist", world.a)
    assert exc.value.code == "duplicate_membership"
    assert clerk.memberships.count() == 1


def test_an_overlapping_acting_period_of_a_role_already_held_is_refused(world, clerk):
    with pytest.raises(ValidationError) as exc:
        _add(
            world,
            clerk,
            "receptionist",
            world.a,
            ends_on=TODAY + dt.timedelta(days=5),
            is_acting=True,
        )
    assert exc.value.code == "duplicate_membership"


def test_the_same_role_in_another_community_is_fine(world, clerk):
    assert _add(world, clerk, "receptionist", world.b).community == world.b


def test_a_deactivated_account_gets_no_new_role(world, clerk):
    deactivate_staff(user=clerk, by=world.user("admin"), reason="离职")
    with pytest.raises(ValidationError) as exc:
        _add(world, clerk, "cashier", world.a)
    assert exc.value.code == "inactive_user"


def test_a_closed_community_gets_no_new_staff(world, clerk):
    world.b.is_active = False
    world.b.save()
    with pytest.raises((ValidationError, PermissionDenied)):
        _add(world, clerk, "cashier", world.b)
    assert clerk.memberships.count() == 1


def test_a_community_of_another_company_is_refused(world, clerk):
    elsewhere = CommunityFactory(code="x", name="别家小区")
    with pytest.raises(PermissionDenied):
        _add(world, clerk, "cashier", elsewhere)


def test_only_holders_of_add_membership_add_roles(world, clerk):
    with pytest.raises(PermissionDenied):
        add_membership(
            user=clerk, grant=RoleGrant("cashier", world.a, TODAY), by=world.user("director")
        )


def test_an_acting_assignment_grants_the_role_only_for_its_period(world, clerk):
    _add(
        world,
        clerk,
        "supervisor",
        world.a,
        starts_on=TODAY + dt.timedelta(days=1),
        ends_on=TODAY + dt.timedelta(days=3),
        is_acting=True,
    )
    perm = "accounts.view_user"  # the supervisor role has it, the receptionist role does not
    checks = []
    for offset in (0, 1, 3, 4):
        with time_machine.travel(dt.datetime(2026, 6, 10 + offset, 9, tzinfo=dt.UTC), tick=False):
            fresh = User.objects.get(pk=clerk.pk)  # access is cached per object (request)
            checks.append(has_perm_in(fresh, perm, world.a))
    assert checks == [False, True, True, False]


def test_ending_a_membership_sets_its_last_day_and_keeps_it(world, clerk):
    membership = clerk.memberships.get()
    end_membership(membership=membership, by=world.user("admin"))
    membership.refresh_from_db()
    assert membership.ends_on == TODAY
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert membership.history.first().ends_on == TODAY


def test_ending_on_a_chosen_later_day(world, clerk):
    membership = clerk.memberships.get()
    end_membership(
        membership=membership, ends_on=TODAY + dt.timedelta(days=7), by=world.user("admin")
    )
    membership.refresh_from_db()
    assert membership.ends_on == dt.date(2026, 6, 17)


def test_ending_before_the_start_is_refused(world, clerk):
    membership = _add(world, clerk, "cashier", world.a, starts_on=TODAY + dt.timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        end_membership(membership=membership, by=world.user("admin"))
    assert _error(exc) == ("ends_on", "end_before_start")


def test_an_ended_membership_cannot_be_ended_again(world, clerk):
    membership = _add(
        world, clerk, "cashier", world.a, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as exc:
        end_membership(membership=membership, by=world.user("admin"))
    assert exc.value.code == "already_ended"


def test_a_membership_cannot_be_extended_by_ending_it_later(world, clerk):
    membership = _add(world, clerk, "cashier", world.a, ends_on=TODAY + dt.timedelta(days=2))
    with pytest.raises(ValidationError) as exc:
        end_membership(
            membership=membership, ends_on=TODAY + dt.timedelta(days=9), by=world.user("admin")
        )
    assert _error(exc) == ("ends_on", "later_than_end")
