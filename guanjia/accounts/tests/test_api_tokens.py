"""API tokens (django-rest-knox, ADR 0006): they expire by policy, die with the password, the
account, "log out everywhere" and revocation; owners and administrators list and revoke them."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guanjia.accounts.models import ApiToken
from guanjia.accounts.services import (
    create_api_token,
    deactivate_staff,
    log_out_everywhere,
    set_staff_password,
)
from guanjia.core.policies.services import set_policy

from .factories import PASSWORD

ME_URL = "/api/v1/accounts/me/"


@pytest.fixture
def owner(world):
    return world.user("receptionist")


@pytest.fixture
def key(owner):
    _token, key = create_api_token(user=owner, name="报表脚本")
    return key


def _me(key):
    return Client().get(ME_URL, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_fresh_token_works_and_records_its_last_use(owner, key):
    assert _me(key).status_code == 200
    assert ApiToken.objects.get(user=owner).last_used_at is not None


def test_a_token_expires_after_the_policy_hours(world, owner):
    set_policy(
        key="accounts.api_token_ttl_hours",
        value=2,
        company=world.company,
        reason="短期令牌",
        by=world.user("admin"),
    )
    token, key = create_api_token(user=owner)
    assert token.expiry - token.created == pytest.approx(
        dt.timedelta(hours=2), abs=dt.timedelta(seconds=5)
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2, minutes=1)):
        response = _me(key)
    assert response.status_code == 401
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_a_token_before_its_expiry_still_works(owner, key):
    with time_machine.travel(timezone.now() + dt.timedelta(hours=719)):
        assert _me(key).status_code == 200


def test_a_revoked_token_gets_401(world, owner, key):
    token = ApiToken.objects.get(user=owner)
    response = world.client("receptionist").post(
        reverse("account-token-revoke", kwargs={"pk": token.pk})
    )
    assert response.status_code == 302
    assert _me(key).status_code == 401


def test_a_token_after_changing_ones_own_password_gets_401(world, owner, key):
    new = "Qz7-lantern-orbit"
    body = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = world.client("receptionist").post(reverse("password_change"), body)
    assert response.status_code == 302
    assert _me(key).status_code == 401
    assert not ApiToken.objects.filter(user=owner).exists()


def test_a_token_after_an_administrator_sets_the_password_gets_401(world, owner, key):
    set_staff_password(user=owner, by=world.user("admin"))
    assert _me(key).status_code == 401


def test_a_token_after_a_password_change_by_any_other_path_gets_401(owner, key):
    owner.set_password("set-from-the-shell-99")  # manage.py changepassword, the admin site
    owner.save()
    assert _me(key).status_code == 401
    assert not ApiToken.objects.filter(user=owner).exists()


def test_a_token_after_deactivation_gets_401(world, owner, key):
    deactivate_staff(user=owner, by=world.user("admin"), reason="离职")
    assert _me(key).status_code == 401
    assert not ApiToken.objects.filter(user=owner).exists()


def test_log_out_everywhere_ends_tokens_and_other_sessions_but_not_this_one(world, owner, key):
    elsewhere = Client()
    elsewhere.force_login(owner)
    here = world.client("receptionist")
    response = here.post(reverse("logout-everywhere"))
    assert response.status_code == 302
    assert _me(key).status_code == 401
    assert elsewhere.get(ME_URL).status_code == 401
    assert here.get(ME_URL).status_code == 200
    assert not ApiToken.objects.filter(user=owner).exists()


def test_a_token_made_after_log_out_everywhere_works(owner):
    log_out_everywhere(user=owner)
    _token, key = create_api_token(user=owner)
    assert _me(key).status_code == 200


def test_the_owner_lists_their_tokens_in_chinese(world, owner, key):
    response = world.client("receptionist").get(reverse("account-security"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "API 令牌" in page
    assert "报表脚本" in page
    assert "在所有地方退出登录" in page


def test_an_owner_cannot_revoke_another_users_token(world, key, owner):
    token = ApiToken.objects.get(user=owner)
    response = world.client("cashier").post(
        reverse("account-token-revoke", kwargs={"pk": token.pk})
    )
    assert response.status_code == 404
    assert _me(key).status_code == 200


def test_an_administrator_lists_and_revokes_a_staff_members_token(world, owner, key):
    token = ApiToken.objects.get(user=owner)
    admin = world.client("admin")
    detail = admin.get(reverse("accounts:staff-detail", kwargs={"pk": owner.pk}))
    assert "报表脚本" in detail.content.decode()
    url = reverse("accounts:staff-token-revoke", kwargs={"pk": owner.pk, "token_pk": token.pk})
    assert admin.post(url).status_code == 302
    assert _me(key).status_code == 401


def test_a_director_who_may_only_look_cannot_revoke_a_token(world, owner, key):
    token = ApiToken.objects.get(user=owner)
    url = reverse("accounts:staff-token-revoke", kwargs={"pk": owner.pk, "token_pk": token.pk})
    assert world.client("director").post(url).status_code == 403
    assert _me(key).status_code == 200


def test_a_token_is_revoked_only_on_the_page_of_its_own_user(world, owner, key):
    token = ApiToken.objects.get(user=owner)
    other = world.user("cashier")
    url = reverse("accounts:staff-token-revoke", kwargs={"pk": other.pk, "token_pk": token.pk})
    assert world.client("admin").post(url).status_code == 404
    assert _me(key).status_code == 200


def test_past_the_policy_limit_a_new_token_is_refused_with_a_message(client, world, owner):
    set_policy(
        key="accounts.api_tokens_per_user",
        value=1,
        company=world.company,
        reason="每人一个",
        by=world.user("admin"),
    )
    body = {"username": owner.username, "password": PASSWORD}
    assert client.post("/api/v1/accounts/token/", body).status_code == 200
    response = client.post("/api/v1/accounts/token/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_tokens"
    assert response.json()["detail"] == ["您已持有 1 个有效 API 令牌：请先吊销一个。"]
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_the_daily_cleanup_deletes_expired_tokens_and_keeps_live_ones(owner):
    from guanjia.accounts.services.tokens import delete_expired_tokens_daily
    from guanjia.core.jobs.registry import declared_schedules

    create_api_token(user=owner, name="旧")
    with time_machine.travel(timezone.now() + dt.timedelta(days=400)):
        live, _key = create_api_token(user=owner, name="新")
        assert delete_expired_tokens_daily() == {"tokens_deleted": 1}
        assert delete_expired_tokens_daily() is None  # once a day
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [live.pk]
    spec = next(s for s in declared_schedules() if s.name == "accounts.token_cleanup")
    assert (spec.func, spec.minutes) == (
        "guanjia.accounts.services.tokens.delete_expired_tokens_daily",
        24 * 60,
    )
