"""The dunning API (/api/v1/cashier/cases/, notices/): the flow and each bad body."""

import datetime as dt

import pytest
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.cashier.models import ArrearsCase, DunningNotice, InstalmentPlan, PaymentPromise
from guanjia.cashier.services import open_case

from .factories import charge, item, owned_unit

pytestmark = pytest.mark.usefixtures("no_late_fees")


def _url(name, pk=None):
    return reverse(f"cashier-api:{name}", args=[pk] if pk else [])


@pytest.fixture
def api(world):
    return world.client("cashier")


@pytest.fixture
def case(unit, cashier):
    return open_case(unit=unit, by=cashier)


def test_open_step_promise_plan(world, api, unit):
    opened = api.post(_url("case-list"), {"unit": unit.pk}, content_type="application/json")
    assert opened.status_code == 201
    pk = opened.json()["id"]
    assert opened.json()["opened_amount"] == "230.50"
    step = api.post(
        _url("case-step", pk),
        {"stage": "notice", "method": "notice", "done_on": "2024-03-20", "answer": "收到"},
        content_type="application/json",
    )
    assert step.status_code == 201
    assert step.json()["status"] == "notice"
    assert step.json()["notices"]
    promise = api.post(
        _url("case-promise", pk),
        {"pay_by": "2024-03-25", "amount": "100.00"},
        content_type="application/json",
    )
    assert promise.status_code == 201
    assert promise.json()["promises"][0]["state"] == "waiting"
    plan = world.client("supervisor").post(
        _url("case-plan", pk),
        {
            "instalments": [
                {"due_on": "2024-03-31", "amount": "100.00"},
                {"due_on": "2024-04-30", "amount": "130.50"},
            ]
        },
        content_type="application/json",
    )
    assert plan.status_code == 201
    body = plan.json()
    assert body["status"] == "instalment"
    assert [i["state"] for i in body["plan"]["instalments"]] == ["due", "due"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pay_by": "2024-03-19", "amount": "100.00"}, "pay_by"),
        ({"pay_by": "2024-03-25", "amount": "500.00"}, "amount"),
        ({"pay_by": "2024-03-25", "amount": "-1"}, "amount"),
        ({"pay_by": "next week", "amount": "10"}, "pay_by"),
        ({"amount": "10"}, "pay_by"),
    ],
)
def test_a_bad_promise_is_a_400(api, case, body, field):
    response = api.post(_url("case-promise", case.pk), body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not PaymentPromise.objects.exists()


@pytest.mark.parametrize(
    "instalments",
    [
        [{"due_on": "2024-03-31", "amount": "100.00"}],
        [{"due_on": "2024-03-01", "amount": "230.50"}],
        [],
        [{"due_on": "2024-03-31", "amount": "abc"}],
    ],
)
def test_a_schedule_not_summing_to_the_debt_is_a_400(world, case, instalments):
    response = world.client("supervisor").post(
        _url("case-plan", case.pk), {"instalments": instalments}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not InstalmentPlan.objects.exists()


def test_the_cashier_may_not_agree_a_plan(api, case):
    body = {"instalments": [{"due_on": "2024-03-31", "amount": "230.50"}]}
    response = api.post(_url("case-plan", case.pk), body, content_type="application/json")
    assert response.status_code == 403


def test_a_bad_step_is_a_400(api, case):
    for body in (
        {"stage": "cut_water", "method": "phone", "done_on": "2024-03-20"},
        {"stage": "phone", "method": "phone", "done_on": "2024-03-21"},
        {"stage": "settled", "method": "phone", "done_on": "2024-03-20"},
    ):
        response = api.post(_url("case-step", case.pk), body, content_type="application/json")
        assert response.status_code == 400, body
    case.refresh_from_db()
    assert case.status == "overdue"


def test_a_notice_for_a_unit_that_owes_nothing_is_a_400(world, api):
    response = api.post(
        _url("notice-list"),
        {"unit": owned_unit(world.a).pk, "kind": "fee"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "nothing_owed"
    assert not DunningNotice.objects.exists()


def test_another_communitys_unit_and_case(world, api, cashier):
    other = owned_unit(world.b)
    charge(other, item(world.b, "service", "物业服务费"), dt.date(2024, 1, 1), "50", cashier)
    response = api.post(_url("case-list"), {"unit": other.pk}, content_type="application/json")
    assert response.status_code == 400
    assert "unit" in response.json()
    b_cashier = staff("cashier", world.b, company=world.company, username="cashier-b3")
    b_case = open_case(unit=other, by=b_cashier)
    assert api.get(_url("case-detail", b_case.pk)).status_code == 404
    step = {"stage": "phone", "method": "phone", "done_on": "2024-03-20"}
    assert (
        api.post(_url("case-step", b_case.pk), step, content_type="application/json").status_code
        == 404
    )
    assert ArrearsCase.objects.filter(community=world.a).count() == 0


def test_an_area_manager_lists_the_cases_of_their_zones(world, case, unit):
    client = world.client("area_manager")
    assert client.get(_url("case-list")).json()["count"] == 0
    assert client.get(_url("case-detail", case.pk)).status_code == 404
    zone = unit.building.zone
    zone.area_manager = world.user("area_manager")
    zone.save()
    assert client.get(_url("case-list")).json()["count"] == 1


def test_the_print_job_and_a_bad_month(world, api, unit, cashier):
    from guanjia.cashier.services import prepare_notice

    prepare_notice(unit=unit, kind="fee", by=cashier)
    bad = api.post(
        _url("notice-print"),
        {"building": unit.building_id, "kind": "fee", "month": "2024-13"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    none = api.post(
        _url("notice-print"),
        {"building": unit.building_id, "kind": "final", "month": "2024-03"},
        content_type="application/json",
    )
    assert none.status_code == 400
    assert none.json()["code"] == "no_notices"
    ok = api.post(
        _url("notice-print"),
        {"building": unit.building_id, "kind": "fee", "month": "2024-03"},
        content_type="application/json",
    )
    assert ok.status_code == 202
    assert ok.json()["job"]


def test_close_as_settled_while_owing_is_a_400(api, case):
    response = api.post(
        _url("case-close", case.pk), {"to": "settled"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "still_owing"
