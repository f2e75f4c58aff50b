"""API conventions: session and token authentication, 401 for anonymous, clear 400s, JSON 404s."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from guanjia.accounts.models import ApiToken
from guanjia.accounts.services import create_api_token
from guanjia.accounts.tests.factories import PASSWORD

TOKEN_URL = "/api/v1/accounts/token/"
ME_URL = "/api/v1/accounts/me/"


def _post_json(client: Client, url: str, body: object):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def receptionist(world):
    return world.user("receptionist")


def test_anonymous_api_requests_get_401_with_a_token_challenge(client):
    response = client.get(ME_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_a_user_gets_a_token_for_username_and_password(client, receptionist):
    body = {"username": receptionist.username, "password": PASSWORD, "name": "报表脚本"}
    response = _post_json(client, TOKEN_URL, body)
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry", "name"}
    token = ApiToken.objects.get(user=receptionist)
    assert token.name == "报表脚本"
    assert response.json()["token"] not in (token.digest, token.token_key)  # only a digest kept


def test_asking_twice_gives_two_tokens(client, receptionist):
    body = {"username": receptionist.username, "password": PASSWORD}
    first = _post_json(client, TOKEN_URL, body).json()["token"]
    second = _post_json(client, TOKEN_URL, body).json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=receptionist).count() == 2


def test_the_token_authenticates_api_requests_without_a_session(receptionist):
    _token, key = create_api_token(user=receptionist)
    response = Client().get(ME_URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == receptionist.username


def test_a_wrong_token_gets_401(receptionist):
    response = Client().get(ME_URL, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_the_session_authenticates_api_requests_from_the_pages(world):
    response = world.client("receptionist").get(ME_URL)
    assert response.status_code == 200


def test_a_wrong_password_gets_400_and_no_token(client, receptionist):
    response = _post_json(client, TOKEN_URL, {"username": receptionist.username,
                                              "password": "wrong"})  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    with translation.override("zh-hans"):
        expected = gettext("Wrong username or password, or the account is deactivated.")
    assert response.json()["detail"] == expected
    assert not ApiToken.objects.exists()


def test_a_deactivated_account_gets_no_token(client, receptionist):
    receptionist.is_active = False
    receptionist.save()
    response = _post_json(client, TOKEN_URL, {"username": receptionist.username,
                                              "password": PASSWORD})  # fmt: skip
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_missing_fields_are_named_in_the_400(client, receptionist):
    response = _post_json(client, TOKEN_URL, {"username": receptionist.username})
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert response.json()["password"][0]
    assert not ApiToken.objects.exists()


def test_a_body_of_the_wrong_shape_gets_400_with_a_message(client, receptionist):
    response = _post_json(client, TOKEN_URL, [receptionist.username, PASSWORD])
    assert response.status_code == 400
    assert response.json()["non_field_errors"][0]
    assert not ApiToken.objects.exists()


def test_a_field_of_the_wrong_type_gets_400(client, receptionist):
    response = _post_json(client, TOKEN_URL, {"username": {"$ne": ""}, "password": ["x"]})
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_malformed_json_gets_400_with_a_message(client):
    response = client.post(TOKEN_URL, '{"username": "a", ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_api_errors_follow_the_chosen_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _post_json(client, TOKEN_URL, {})
    assert response.json()["username"] == ["This field is required."]


def test_the_token_endpoint_only_accepts_post(client):
    assert client.get(TOKEN_URL).status_code == 405


def test_an_unknown_api_url_gets_a_json_404(world):
    for client in (Client(), world.client("receptionist")):
        response = client.get("/api/v1/no-such-thing/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_found"


def test_an_unknown_page_url_gets_the_html_404(world):
    response = world.client("receptionist").get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_token_route_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert TOKEN_URL in schema["paths"]
