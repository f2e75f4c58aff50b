"""Error pages: 403, 404 and 500 in both languages, JSON under /api/, never a broken 500 page.

This module is also the URL configuration of its tests (`pytest.mark.urls`): the production
URLs plus views that fail on purpose.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.decorators import api_view
from rest_framework.request import Request

from config import urls as production_urls
from guanjia.core.views import server_error


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@api_view(["GET"])
def _api_boom(request: Request) -> HttpResponse:
    raise RuntimeError("a bug in the API")


urlpatterns = [
    path("test-errors/boom/", _boom, name="test-boom"),
    path("test-errors/forbidden/", _forbidden, name="test-forbidden"),
    path("api/v1/test-errors/boom/", _api_boom, name="test-api-boom"),
    *production_urls.urlpatterns,
]
handler404 = production_urls.handler404
handler500 = production_urls.handler500

pytestmark = pytest.mark.urls(__name__)


def _zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture
def staff_client(world) -> Client:
    client = world.client("receptionist")
    client.raise_request_exception = False
    return client


@pytest.fixture
def english_client(staff_client, settings) -> Client:
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return staff_client


def test_a_server_error_shows_the_500_page_in_chinese(staff_client, settings):
    assert settings.DEBUG is False
    response = staff_client.get("/test-errors/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert 'lang="zh-hans"' in page
    assert _zh("Server error") in page
    assert "a bug" not in page


def test_the_500_page_also_carries_the_other_language(staff_client):
    page = staff_client.get("/test-errors/boom/").content.decode()
    assert "Something went wrong on our side." in page


def test_a_server_error_shows_the_500_page_in_english_when_chosen(english_client):
    page = english_client.get("/test-errors/boom/").content.decode()
    assert 'lang="en"' in page
    assert "Server error" in page


def test_the_500_page_renders_without_a_request_context_or_the_database():
    # No `db` fixture: any query here would raise, as it would with the database down.
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/somewhere/"))
    assert response.status_code == 500
    assert _zh("Server error") in response.content.decode()


def test_a_server_error_in_the_api_is_json(staff_client):
    response = staff_client.get("/api/v1/test-errors/boom/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_a_missing_page_shows_the_404_page_in_chinese(staff_client):
    response = staff_client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'lang="zh-hans"' in page
    assert _zh("Not found") in page
    assert 'id="main-nav"' in page  # the shell stays around the error


def test_a_missing_page_shows_the_404_page_in_english_when_chosen(english_client):
    page = english_client.get("/no-such-page/").content.decode()
    assert "Not found" in page
    assert 'lang="en"' in page


def test_a_forbidden_action_shows_the_403_page(staff_client):
    response = staff_client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    assert _zh("Not allowed") in response.content.decode()


def test_the_403_page_is_in_english_when_chosen(english_client):
    response = english_client.get("/test-errors/forbidden/")
    assert "Your role does not allow this action." in response.content.decode()


def test_an_anonymous_visitor_sees_the_404_page_without_navigation():
    client = Client()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'id="main-nav"' not in response.content.decode()


def test_an_id_beyond_64_bits_in_a_url_is_a_400_or_404_never_a_500(world):
    client = world.client("director")
    huge = 2**70
    page = client.get(f"/estates/units/{huge}/")
    api = client.get(f"/api/v1/estates/units/{huge}/")
    assert page.status_code in (400, 404)  # SQLite cannot bind it (400); PostgreSQL finds none
    assert api.status_code in (400, 404)
    if page.status_code == 400:
        assert 'id="error-400"' in page.content.decode()
        assert api.json()["code"] == "number_too_large"


def test_a_body_nested_thousands_deep_is_a_400(world):
    client = world.client("director")
    body = '{"name": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post("/api/v1/estates/persons/", body, content_type="application/json")
    assert response.status_code == 400
