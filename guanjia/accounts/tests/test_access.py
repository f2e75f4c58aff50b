"""Accounts' answer to core's access interface: memberships valid today resolved to
permissions, communities, holders of a permission and the staff on duty."""

import datetime as dt

import pytest
from django.utils import timezone

from guanjia.accounts.access import AccountsAccess
from guanjia.accounts.tests.factories import UserFactory, grant, staff
from guanjia.core.access import staff_holding, staff_on_duty
from guanjia.core.tests.factories import CommunityFactory

PROVIDER = AccountsAccess()
PROPOSE = "policies.propose_policy"
COMPANY = "policies.change_company_policy"


def test_a_community_role_grants_its_permissions_there_only(world):
    supervisor = staff("supervisor", world.a, company=world.company)

    access = PROVIDER.compute_access(supervisor)

    assert access.community_ids == [world.a.pk]
    assert access.roles_by_community == {world.a.pk: {"supervisor"}}
    assert access.has_perm(PROPOSE, world.a.pk)
    assert not access.has_perm(PROPOSE, world.b.pk)


def test_an_ended_membership_grants_nothing(world):
    user = staff("supervisor", world.a, company=world.company)
    user.memberships.update(ends_on=timezone.localdate() - dt.timedelta(days=1))

    assert PROVIDER.compute_access(user).community_ids == []


def test_a_superuser_sees_every_active_community(world):
    closed = CommunityFactory(company=world.company, is_active=False)
    root = staff("receptionist", world.a, company=world.company, is_superuser=True)

    access = PROVIDER.compute_access(root)

    assert access.is_superuser
    assert {world.a.pk, world.b.pk} <= set(access.community_ids)
    assert closed.pk not in access.community_ids


def test_staff_holding_a_permission_in_a_community_include_company_wide_holders(world):
    director_a = staff("director", world.a, company=world.company)
    staff("director", world.b, company=world.company)
    manager = staff("management", company=world.company)
    inactive = staff("management", company=world.company, is_active=False)
    receptionist = staff("receptionist", world.a, company=world.company)

    holders = set(
        staff_holding(
            ["policies.change_operations_policy", COMPANY],
            company_id=world.company.pk,
            community_id=world.a.pk,
        )
    )

    assert director_a in holders
    assert manager in holders
    assert inactive not in holders
    assert receptionist not in holders
    assert len(holders) == 2


def test_staff_holding_a_permission_company_wide_leave_community_roles_out(world):
    staff("director", world.a, company=world.company)
    manager = staff("management", company=world.company)

    holders = list(staff_holding([COMPANY], company_id=world.company.pk))

    assert holders == [manager]


def test_the_staff_on_duty_are_today_s_active_role_holders_by_name(world):
    staff("cashier", world.a, company=world.company, full_name="Bo")
    acting = staff("supervisor", world.a, company=world.company, full_name="Ai")
    acting.memberships.update(is_acting=True, ends_on=timezone.localdate())
    staff("technician", world.a, company=world.company, full_name="Cai", is_active=False)
    staff("security", world.b, company=world.company, full_name="Du")
    future = UserFactory(company=world.company, full_name="Fan")
    grant(future, "technician", world.a, starts_on=timezone.localdate() + dt.timedelta(days=1))

    duties = staff_on_duty(world.a)

    assert [(d.role, d.name, d.is_acting) for d in duties] == [
        ("supervisor", "Ai", True),
        ("cashier", "Bo", False),
    ]


@pytest.mark.parametrize("role", ["finance", "hr", "management", "auditor", "admin"])
def test_a_company_role_is_company_wide(world, role):
    user = staff(role, company=world.company)

    assert PROVIDER.compute_access(user).is_company_wide
