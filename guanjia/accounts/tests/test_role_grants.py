"""Nobody grants themselves a role, and a role that approves money, policies or personal data
takes effect only after a second authorised person approves it (issue 10)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from guanjia.accounts.models import GrantStatus, Membership, RoleGrantEvent, RoleGrantRequest
from guanjia.accounts.services import (
    RoleGrant,
    SelfGrantRefused,
    add_membership,
    approve_role_grant,
    reject_role_grant,
)
from guanjia.accounts.tests.factories import PASSWORD, staff
from guanjia.core.tests.factories import CommunityFactory, CompanyFactory
from guanjia.core.workflows import WorkflowDenied, WorkflowError

TODAY = dt.date(2026, 6, 10)


@pytest.fixture
def admin(world):
    return world.user("admin")


@pytest.fixture
def second_admin(world):
    return staff("admin", company=world.company, username="admin-2")


@pytest.fixture
def clerk(world):
    return staff("receptionist", world.a, company=world.company)


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages asserted by their English ids
    return client


def _api(user):
    client = _client(user)
    client.defaults["HTTP_ACCEPT"] = "application/json"
    return client


def _ask(by, user, role="finance", community=None):
    return add_membership(user=user, grant=RoleGrant(role, community, starts_on=TODAY), by=by)


def _roles(user):
    return set(Membership.objects.filter(user=user).values_list("role__name", flat=True))


# --- Self-grants ----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "where"), [("finance", None), ("cashier", "a")])
def test_an_administrator_cannot_grant_themselves_a_role(world, admin, role, where):
    community = world.a if where else None
    with pytest.raises(SelfGrantRefused, match="Nobody grants themselves a role"):
        _ask(admin, admin, role, community)
    assert _roles(admin) == {"admin"}
    assert not RoleGrantRequest.objects.exists()


def test_the_page_refuses_a_self_grant_with_its_message_and_saves_nothing(admin):
    url = reverse("accounts:membership-add", kwargs={"pk": admin.pk})
    response = _client(admin).post(url, {"role": "finance", "starts_on": "2026-06-10"})
    assert response.status_code == 403
    assert "Nobody grants themselves a role" in response.content.decode()
    assert _roles(admin) == {"admin"}
    assert not RoleGrantRequest.objects.exists()


def test_the_api_refuses_a_self_grant_with_403_and_saves_nothing(admin):
    url = reverse("accounts-api:user-role-add", kwargs={"pk": admin.pk})
    response = _api(admin).post(url, {"role": "finance"}, content_type="application/json")
    assert response.status_code == 403
    assert "Nobody grants themselves a role" in response.json()["detail"]
    assert _roles(admin) == {"admin"}
    assert not RoleGrantRequest.objects.exists()


def test_ones_own_page_shows_no_add_role_button(admin):
    response = _client(admin).get(reverse("accounts:staff-detail", kwargs={"pk": admin.pk}))
    assert reverse("accounts:membership-add", kwargs={"pk": admin.pk}) not in (
        response.content.decode()
    )


# --- Sensitive roles wait for a second person ------------------------------------------------


def test_a_non_sensitive_role_is_granted_at_once(world, admin, clerk):
    given = _ask(admin, clerk, "cashier", world.a)
    assert isinstance(given, Membership)
    assert not RoleGrantRequest.objects.exists()


@pytest.mark.parametrize(
    ("role", "where"),
    [("finance", None), ("hr", None), ("admin", None), ("management", None), ("director", "a")],
)
def test_a_sensitive_grant_waits_and_gives_no_permission_until_approved(
    world, admin, clerk, role, where
):
    request = _ask(admin, clerk, role, world.a if where else None)
    assert isinstance(request, RoleGrantRequest)
    assert (request.status, request.requested_by, request.role) == (
        GrantStatus.REQUESTED,
        admin,
        role,
    )
    assert _roles(clerk) == {"receptionist"}
    event = RoleGrantEvent.objects.get(request=request)
    assert (event.action, event.actor, event.to_status) == ("requested", admin, "requested")


def test_a_different_authorised_person_approves_and_the_role_then_takes_effect(
    admin, second_admin, clerk
):
    request = _ask(admin, clerk, "finance")
    membership = approve_role_grant(request=request, by=second_admin, reason="财务岗位")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.membership) == (
        GrantStatus.APPROVED,
        second_admin,
        membership,
    )
    assert (membership.role.name, membership.community) == ("finance", None)
    assert "finance" in _roles(clerk)
    history = list(request.events.values_list("action", "actor__username"))
    assert history == [("requested", admin.username), ("approved", second_admin.username)]


def test_a_rejected_grant_gives_no_role_and_keeps_who_rejected_and_why(admin, second_admin, clerk):
    request = _ask(admin, clerk, "hr")
    reject_role_grant(request=request, by=second_admin, reason="未经人事部同意")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.reason) == (
        GrantStatus.REJECTED,
        second_admin,
        "未经人事部同意",
    )
    assert _roles(clerk) == {"receptionist"}
    assert request.events.last().note == "未经人事部同意"


def test_a_rejection_needs_a_reason(admin, second_admin, clerk):
    request = _ask(admin, clerk, "hr")
    with pytest.raises(WorkflowError) as exc:
        reject_role_grant(request=request, by=second_admin, reason="  ")
    assert exc.value.code == "reason_required"
    request.refresh_from_db()
    assert request.status == GrantStatus.REQUESTED


def test_the_requester_cannot_approve_their_own_request(admin, clerk):
    request = _ask(admin, clerk, "finance")
    with pytest.raises(WorkflowDenied) as exc:
        approve_role_grant(request=request, by=admin)
    assert exc.value.code == "own_request"
    request.refresh_from_db()
    assert request.status == GrantStatus.REQUESTED
    assert _roles(clerk) == {"receptionist"}


def test_the_grantee_cannot_approve_a_role_for_themselves(world, admin, second_admin):
    request = _ask(admin, second_admin, "finance")
    with pytest.raises(PermissionDenied, match="Nobody decides on a role for themselves"):
        approve_role_grant(request=request, by=second_admin)
    assert _roles(second_admin) == {"admin"}


def test_someone_without_the_approval_permission_cannot_approve(world, admin, clerk):
    request = _ask(admin, clerk, "director", world.a)
    with pytest.raises(WorkflowDenied) as exc:
        approve_role_grant(request=request, by=world.user("director"))
    assert exc.value.code == "not_permitted"
    assert _roles(clerk) == {"receptionist"}


def test_a_second_decision_is_refused(admin, second_admin, clerk):
    request = _ask(admin, clerk, "finance")
    approve_role_grant(request=request, by=second_admin)
    third = staff("admin", company=admin.company, username="admin-3")
    with pytest.raises(WorkflowError) as exc:
        reject_role_grant(request=request, by=third, reason="晚了")
    assert exc.value.code == "already_decided"
    assert Membership.objects.filter(user=clerk, role__name="finance").count() == 1


def test_the_same_grant_cannot_be_asked_twice_while_it_waits(admin, clerk):
    _ask(admin, clerk, "finance")
    with pytest.raises(ValidationError) as exc:
        _ask(admin, clerk, "finance")
    assert exc.value.code == "grant_pending"
    assert RoleGrantRequest.objects.count() == 1


def test_an_approval_is_checked_again_against_the_account_as_it_is_now(admin, second_admin, clerk):
    from guanjia.accounts.services import deactivate_staff

    request = _ask(admin, clerk, "finance")
    deactivate_staff(user=clerk, by=admin, reason="离职")
    with pytest.raises(ValidationError) as exc:
        approve_role_grant(request=request, by=second_admin)
    assert exc.value.code == "inactive_user"
    request.refresh_from_db()
    assert request.status == GrantStatus.REQUESTED
    assert not Membership.objects.filter(user=clerk, role__name="finance").exists()


# --- Pages and API ----------------------------------------------------------------------------


def test_the_page_files_a_sensitive_grant_and_says_it_awaits_approval(admin, clerk):
    url = reverse("accounts:membership-add", kwargs={"pk": clerk.pk})
    response = _client(admin).post(url, {"role": "finance", "starts_on": "2026-06-10"}, follow=True)
    assert "takes effect once a second authorised person approves it" in (response.content.decode())
    assert RoleGrantRequest.objects.get().user == clerk
    assert _roles(clerk) == {"receptionist"}


def test_approvers_see_pending_grants_and_approve_one_on_the_page(admin, second_admin, clerk):
    request = _ask(admin, clerk, "finance")
    client = _client(second_admin)
    listing = client.get(reverse("accounts:grant-request-list")).content.decode()
    assert clerk.display_name in listing
    assert reverse("accounts:grant-request-approve", kwargs={"pk": request.pk}) in listing
    client.post(reverse("accounts:grant-request-approve", kwargs={"pk": request.pk}))
    assert "finance" in _roles(clerk)


def test_the_requester_sees_no_buttons_and_a_posted_approval_is_refused(admin, clerk):
    request = _ask(admin, clerk, "finance")
    client = _client(admin)
    listing = client.get(reverse("accounts:grant-request-list")).content.decode()
    assert reverse("accounts:grant-request-approve", kwargs={"pk": request.pk}) not in listing
    url = reverse("accounts:grant-request-approve", kwargs={"pk": request.pk})
    response = client.post(url, follow=True)
    assert "You cannot decide on your own request." in response.content.decode()
    assert _roles(clerk) == {"receptionist"}


def test_a_rejection_on_the_page_without_a_reason_is_refused(admin, second_admin, clerk):
    request = _ask(admin, clerk, "finance")
    url = reverse("accounts:grant-request-reject", kwargs={"pk": request.pk})
    response = _client(second_admin).post(url, {"reason": ""}, follow=True)
    assert "Give a reason." in response.content.decode()
    request.refresh_from_db()
    assert request.status == GrantStatus.REQUESTED


def test_the_api_files_approves_and_rejects_grants(admin, second_admin, clerk, world):
    url = reverse("accounts-api:user-role-add", kwargs={"pk": clerk.pk})
    body = {"role": "director", "community": world.a.pk, "starts_on": "2026-06-10"}
    response = _api(admin).post(url, body, content_type="application/json")
    assert response.status_code == 202
    assert response.json()["status"] == "requested"
    pk = response.json()["request"]["id"]
    api = _api(second_admin)
    assert [row["id"] for row in api.get(reverse("accounts-api:role-grant-list")).json()] == [pk]
    own = _api(admin).post(reverse("accounts-api:role-grant-approve", kwargs={"pk": pk}))
    assert own.status_code == 403
    done = api.post(reverse("accounts-api:role-grant-approve", kwargs={"pk": pk}))
    assert (done.status_code, done.json()["status"]) == (200, "approved")
    assert "director" in _roles(clerk)
    cashier = {"role": "cashier", "community": world.a.pk}
    response = _api(admin).post(url, cashier, content_type="application/json")
    assert (response.status_code, response.json()["status"]) == (201, "granted")


def test_the_api_refuses_a_bad_role_body_with_400(admin, clerk, world):
    url = reverse("accounts-api:user-role-add", kwargs={"pk": clerk.pk})
    for body in ({"role": "king"}, {"role": "cashier", "community": 99999999}, {"role": "cashier"}):
        response = _api(admin).post(url, body, content_type="application/json")
        assert response.status_code == 400, body
    assert _roles(clerk) == {"receptionist"}


def test_a_grant_request_of_another_company_is_not_found(admin, second_admin):
    other = CompanyFactory(name="别家物业")
    outsider_admin = staff("admin", company=other, username="outsider-admin")
    outsider_other = staff("admin", company=other, username="outsider-admin-2")
    outsider_clerk = staff("receptionist", CommunityFactory(company=other), company=other)
    request = _ask(outsider_admin, outsider_clerk, "finance")
    for approver in (second_admin,):
        page = _client(approver).post(
            reverse("accounts:grant-request-approve", kwargs={"pk": request.pk})
        )
        api = _api(approver).post(
            reverse("accounts-api:role-grant-approve", kwargs={"pk": request.pk})
        )
        assert (page.status_code, api.status_code) == (404, 404)
    assert outsider_clerk.display_name not in (
        _client(second_admin).get(reverse("accounts:grant-request-list")).content.decode()
    )
    request.refresh_from_db()
    assert request.status == GrantStatus.REQUESTED
    approve_role_grant(request=request, by=outsider_other)  # their own company's approver may


def test_the_pending_list_takes_the_same_queries_for_many_grants(
    admin, second_admin, world, django_assert_max_num_queries
):
    client = _client(second_admin)
    url = reverse("accounts:grant-request-list")
    for number in range(12):
        clerk = staff("receptionist", world.a, company=world.company, username=f"clerk-{number}")
        _ask(admin, clerk, "director", world.a)
    client.get(url)  # warm the session and the access cache
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("/approve/") == 12
    assert len(response.context["page_obj"].object_list) == 12


def test_the_staff_page_keeps_who_asked_and_who_decided(admin, second_admin, clerk):
    request = _ask(admin, clerk, "finance")
    reject_role_grant(request=request, by=second_admin, reason="未经人事部同意")
    page = _client(second_admin).get(reverse("accounts:staff-detail", kwargs={"pk": clerk.pk}))
    table = page.content.decode().split('id="grant-requests"')[1]
    for shown in ("Rejected", admin.display_name, second_admin.display_name, "未经人事部同意"):
        assert shown in table


def test_the_pending_list_is_in_chinese_by_default(admin, second_admin, clerk):
    _ask(admin, clerk, "finance")
    client = Client()
    client.force_login(second_admin)
    page = client.get(reverse("accounts:grant-request-list")).content.decode()
    assert "待审批的角色授予" in page
    assert "批准" in page
