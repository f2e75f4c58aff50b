"""The shared page views of guanjia.core.pages (detail and action; list, create and update
are exercised by every estates page): one refusal behaviour for every app."""

import pytest

from .factories import UnitFactory

pytestmark = pytest.mark.urls("guanjia.estates.tests.action_urls")


@pytest.fixture
def unit(world):
    return UnitFactory(community=world.a)


def test_an_action_done_by_its_service_redirects_with_a_message(world, unit):
    response = world.client("receptionist").post(f"/test/units/{unit.pk}/note/", {"note": "ok"})
    assert response.status_code == 302
    assert response["Location"] == "/done/"
    unit.refresh_from_db()
    assert unit.note == "ok"


def test_an_action_refused_by_its_service_shows_the_form_again_with_400(world, unit):
    response = world.client("receptionist").post(f"/test/units/{unit.pk}/note/", {"note": "refuse"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"note": ["Refused by the service."]}
    assert "Refused by the service." in response.content.decode()
    unit.refresh_from_db()
    assert unit.note == ""


def test_an_invalid_action_form_is_a_400_and_calls_no_service(world, unit):
    response = world.client("receptionist").post(f"/test/units/{unit.pk}/note/", {"note": ""})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors


def test_a_service_permission_denied_is_a_403(world, unit):
    response = world.client("receptionist").post(
        f"/test/units/{unit.pk}/note/", {"note": "not-yours"}
    )
    assert response.status_code == 403


def test_an_action_without_the_permission_is_a_403_and_calls_no_service(world, unit):
    response = world.client("cashier").post(f"/test/units/{unit.pk}/note/", {"note": "ok"})
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.note == ""


def test_another_communitys_object_is_a_404_for_the_action_and_the_detail(world):
    other = UnitFactory(community=world.b)
    client = world.client("receptionist")
    assert client.post(f"/test/units/{other.pk}/note/", {"note": "ok"}).status_code == 404
    assert client.get(f"/test/units/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.note == ""


def test_an_action_answers_post_only(world, unit):
    assert world.client("receptionist").get(f"/test/units/{unit.pk}/note/").status_code == 405


def test_a_detail_shows_a_visible_object_with_the_view_permission(world, unit):
    response = world.client("receptionist").get(f"/test/units/{unit.pk}/")
    assert response.status_code == 200
    assert response.context["object"] == unit


def test_anonymous_visitors_are_sent_to_log_in(world, unit):
    response = world.client(None).post(f"/test/units/{unit.pk}/note/", {"note": "ok"})
    assert response.status_code == 302
    assert "login" in response["Location"]
