"""The staff API: list with filters, one account, create (with validation) and edit."""

import json

import pytest
from django.urls import reverse

from guanjia.accounts.models import User
from guanjia.accounts.tests.factories import staff


def _client(world, role):
    client = world.client(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def clerk(world):
    return staff(
        "receptionist", world.a, company=world.company, username="clerk", phone="13800005678"
    )


def test_the_list_shows_visible_staff_with_masked_phones_and_roles(world, clerk):
    staff("receptionist", world.b, company=world.company, username="far")
    response = _client(world, "director").get(reverse("accounts-api:user-list"))
    assert response.status_code == 200
    rows = {row["username"]: row for row in response.json()["results"]}
    assert "far" not in rows
    assert rows["clerk"]["phone_masked"] == "138****5678"
    assert "phone" not in rows["clerk"]
    assert rows["clerk"]["memberships"][0]["role"] == "receptionist"


def test_the_list_takes_the_page_filters(world, clerk):
    url = reverse("accounts-api:user-list")
    response = _client(world, "admin").get(url, {"q": "5678"})
    assert [row["username"] for row in response.json()["results"]] == ["clerk"]


def test_a_bad_filter_value_is_a_400_with_a_message(world):
    response = _client(world, "admin").get(reverse("accounts-api:user-list"), {"community": "x"})
    assert response.status_code == 400
    assert "community" in response.json()


def test_the_list_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for number in range(20):
        staff("receptionist", world.a, company=world.company, username=f"r{number}")
    client = _client(world, "admin")
    with django_assert_max_num_queries(12):  # session and access (7), count, users, roles
        assert client.get(reverse("accounts-api:user-list")).status_code == 200


def test_creating_returns_the_generated_password_once(world):
    response = _post(
        _client(world, "admin"),
        reverse("accounts-api:user-list"),
        {"username": "api-new", "full_name": "接口", "phone": "13800001234"},
    )
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="api-new")
    assert user.check_password(body["initial_password"])
    assert body["phone_masked"] == "138****1234"


def test_a_duplicate_username_is_a_400_with_a_clear_message(world, clerk):
    response = _post(
        _client(world, "admin"),
        reverse("accounts-api:user-list"),
        {"username": "Clerk", "full_name": "重"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": ["A staff account with the username “Clerk” already exists."]
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"full_name": "缺用户名"}, "username"),
        ({"username": "x1", "full_name": "手机", "phone": "123"}, "phone"),
        ({"username": "x2", "full_name": "邮箱", "email": "nope"}, "email"),
        ({"username": "x3", "full_name": "密码", "password": "123"}, "password"),
        ({"username": ["x4"], "full_name": "形状"}, "username"),
    ],
)
def test_a_body_of_the_wrong_shape_is_a_400_naming_the_field(world, body, field):
    response = _post(_client(world, "admin"), reverse("accounts-api:user-list"), body)
    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.filter(username__startswith="x").count() == 0


def test_patch_changes_roster_fields(world, clerk):
    url = reverse("accounts-api:user-detail", kwargs={"pk": clerk.pk})
    response = _patch(_client(world, "admin"), url, {"full_name": "新名字", "phone": "13900009999"})
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert (clerk.full_name, clerk.phone) == ("新名字", "13900009999")
    assert response.json()["phone_masked"] == "139****9999"


def test_patch_cannot_change_the_username(world, clerk):
    url = reverse("accounts-api:user-detail", kwargs={"pk": clerk.pk})
    response = _patch(_client(world, "admin"), url, {"username": "other"})
    assert response.status_code == 400
    assert response.json() == {"username": ["The username cannot be changed."]}


def test_put_and_delete_are_not_allowed(world, clerk):
    url = reverse("accounts-api:user-detail", kwargs={"pk": clerk.pk})
    client = _client(world, "admin")
    assert client.delete(url).status_code == 405
    assert client.put(url, "{}", content_type="application/json").status_code == 405
    assert User.objects.filter(pk=clerk.pk).exists()


def test_a_director_reads_but_cannot_patch(world, clerk):
    url = reverse("accounts-api:user-detail", kwargs={"pk": clerk.pk})
    client = _client(world, "director")
    assert client.get(url).status_code == 200
    assert _patch(client, url, {"full_name": "x"}).status_code == 403


def test_anonymous_gets_401(world):
    assert _client(world, None).get(reverse("accounts-api:user-list")).status_code == 401
