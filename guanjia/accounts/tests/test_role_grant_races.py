"""Role grants decided or asked for by several administrators at the same moment: the row
locks let exactly one through (PostgreSQL)."""

import pytest
from django.utils import timezone

from guanjia.accounts.models import GrantStatus, Membership, RoleGrantRequest
from guanjia.accounts.services import RoleGrant, add_membership, approve_role_grant
from guanjia.accounts.tests.factories import staff
from guanjia.core.tests.factories import CommunityFactory
from guanjia.core.tests.races import at_once, postgres_only


def _finance():
    return RoleGrant("finance", None, starts_on=timezone.localdate())


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_six_administrators_approving_one_grant_at_once_make_one_membership():
    community = CommunityFactory()
    company = community.company
    requester = staff("admin", company=company)
    clerk = staff("receptionist", community, company=company)
    request = add_membership(user=clerk, grant=_finance(), by=requester)
    approvers = [staff("admin", company=company) for _ in range(6)]

    def approve(person) -> None:
        approve_role_grant(request=RoleGrantRequest.objects.get(pk=request.pk), by=person)

    outcomes = at_once(approvers, approve, done="approved")
    assert outcomes == ["already_decided"] * 5 + ["approved"]
    assert Membership.objects.filter(user=clerk, role__name="finance").count() == 1
    assert RoleGrantRequest.objects.get(pk=request.pk).status == GrantStatus.APPROVED


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_administrators_asking_the_same_grant_at_once_file_one_request():
    community = CommunityFactory()
    company = community.company
    clerk = staff("receptionist", community, company=company)
    admins = [staff("admin", company=company) for _ in range(2)]

    outcomes = at_once(
        admins, lambda person: add_membership(user=clerk, grant=_finance(), by=person)
    )
    assert outcomes == ["done", "grant_pending"]
    assert RoleGrantRequest.objects.filter(user=clerk).count() == 1
