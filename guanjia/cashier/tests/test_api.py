"""The cashier API: a payment per Idempotency-Key, its preview, receipts and voids, the
cashier's day; bad bodies are 400s with nothing saved; other communities 404 or 400."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.billing.models import EntryKind, LedgerEntry
from guanjia.cashier.models import CashierSession, Payment
from guanjia.estates.tests.factories import PersonFactory

from .factories import day_of, owned_unit, pay

pytestmark = pytest.mark.usefixtures("no_late_fees")
API = "/api/v1/cashier/"


def post(client, path, body, **headers):
    return client.post(
        API + path, json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def api(world, cashier):
    return world.client("cashier")


def body(target, **changes):
    data = {"unit": target.pk, "amount": "150.00", "method": "cash", "tendered": "200.00"}
    data.update(changes)
    return data


def test_a_payment_is_taken_with_its_lines_and_receipt(api, unit, cashier):
    day_of(cashier, unit.community)
    response = post(api, "payments/", body(unit), **{"Idempotency-Key": "api-key-000001"})
    assert response.status_code == 201
    data = response.json()
    assert (data["amount"], data["change"], data["owner_name"]) == ("150.00", "50.00", "王业主")
    assert [(line["kind"], line["amount"]) for line in data["lines"]] == [
        ("charge", "100.00"),
        ("charge", "30.50"),
        ("charge", "19.50"),
    ]
    assert data["receipt"]["number"] == "SJ-2024-000001"
    assert data["receipt"]["verify_url"].startswith("http://testserver/cashier/verify/")


def test_the_same_key_returns_the_first_result(api, unit, cashier):
    day_of(cashier, unit.community)
    key = {"Idempotency-Key": "api-key-000002"}
    first = post(api, "payments/", body(unit), **key)
    again = post(api, "payments/", body(unit), **key)
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api, unit, cashier):
    day_of(cashier, unit.community)
    key = {"Idempotency-Key": "api-key-000003"}
    post(api, "payments/", body(unit), **key)
    response = post(api, "payments/", body(unit, amount="10.00", tendered=None), **key)
    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert Payment.objects.count() == 1


def test_a_payment_without_a_key_is_refused(api, unit, cashier):
    day_of(cashier, unit.community)
    response = post(api, "payments/", body(unit))
    assert response.status_code == 400
    assert response.json()["code"] == "key_required"
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "x"}, "amount"),
        ({"amount": None}, "amount"),
        ({"method": "barter"}, "method"),
        ({"method": "wechat", "tendered": None}, "reference"),
        ({"reference": "x" * 65}, "reference"),
        ({"tendered": "1.00"}, "tendered"),
        ({"tendered": "abc"}, "tendered"),
        ({"payer": 999999}, "payer"),
        ({"payer_name": "名" * 101}, "payer_name"),
        ({"prepay_item": 999999}, "prepay_item"),
        ({"unit": 999999}, "unit"),
        ({"unit": "abc"}, "unit"),
    ],
)
def test_every_bad_field_is_a_400_naming_it_with_nothing_saved(api, unit, cashier, changes, field):
    day_of(cashier, unit.community)
    response = post(api, "payments/", body(unit, **changes), **{"Idempotency-Key": "k" * 20})
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


def test_a_bad_key_is_a_400(api, unit, cashier):
    day_of(cashier, unit.community)
    response = post(api, "payments/", body(unit), **{"Idempotency-Key": "short"})
    assert response.status_code == 400
    assert "idempotency_key" in response.json()


def test_a_payer_or_unit_of_another_community_is_refused(world, api, unit, cashier):
    day_of(cashier, unit.community)
    stranger = PersonFactory(community=world.b)
    other = post(api, "payments/", body(unit, payer=stranger.pk), **{"Idempotency-Key": "k" * 20})
    assert other.status_code == 400
    elsewhere = post(api, "payments/", body(owned_unit(world.b)), **{"Idempotency-Key": "j" * 20})
    assert elsewhere.status_code == 400
    assert not Payment.objects.exists()


def test_finance_may_read_payments_but_not_take_them(world, unit, cashier):
    pay(unit, "10.00", cashier)
    finance = world.client("finance")
    assert finance.get(API + "payments/").json()["count"] == 1
    response = post(finance, "payments/", body(unit), **{"Idempotency-Key": "f" * 20})
    assert response.status_code == 403


def test_the_preview_shows_the_split_and_saves_nothing(api, unit, cashier):
    response = post(api, "payments/preview/", body(unit, amount="300.00", tendered=None))
    assert response.status_code == 200
    data = response.json()
    assert [p["amount"] for p in data["parts"]] == ["100.00", "30.50", "100.00"]
    assert (data["prepaid"], data["prepayment_to"], data["owed"]) == ("69.50", "general", "230.50")
    assert not Payment.objects.exists()


def test_a_receipt_is_voided_with_a_reason(api, unit, cashier):
    receipt = pay(unit, "10.00", cashier).receipt
    assert post(api, f"receipts/{receipt.pk}/void/", {"reason": ""}).status_code == 400
    response = post(api, f"receipts/{receipt.pk}/void/", {"reason": "打印错误"})
    assert response.status_code == 200
    assert response.json()["status"] == "void"
    again = post(api, f"receipts/{receipt.pk}/void/", {"reason": "再次"})
    assert again.status_code == 400
    assert again.json()["code"] == "move_not_allowed"


def test_the_day_opens_counts_and_finance_closes_it(world, api, unit, cashier):
    opened = post(api, "sessions/", {"community": world.a.pk, "float_amount": "200.00"})
    assert opened.status_code == 201
    pk = opened.json()["id"]
    pay(unit, "100.00", cashier)
    short = post(api, f"sessions/{pk}/count/", {"denominations": {"100": 2}})
    assert short.status_code == 400
    assert "explanation" in short.json()
    counted = post(
        api,
        f"sessions/{pk}/count/",
        {"denominations": {"100": 2, "50": 1}, "explanation": "少五十"},
    )
    assert counted.json()["over_short"] == "-50.00"
    assert counted.json()["totals"]["by_method"][0]["amount"] == "100.00"
    assert post(api, f"sessions/{pk}/close/", {}).status_code == 403  # not by the cashier
    closed = post(world.client("finance"), f"sessions/{pk}/close/", {"note": "已复核"})
    assert closed.json()["status"] == "closed"


@pytest.mark.parametrize(
    "data",
    [
        {"community": 999999, "float_amount": "1.00"},
        {"community": "a", "float_amount": "1.00"},
        {"float_amount": "1.00"},
        {"community": "A", "float_amount": "-1"},
        {"community": "A", "float_amount": "1.001"},
        {"community": "A", "float_amount": "x"},
        {"community": "A"},
    ],
)
def test_a_bad_opening_is_a_400(world, api, data):
    data = {k: world.a.pk if v == "A" else v for k, v in data.items()}
    assert post(api, "sessions/", data).status_code == 400
    assert not CashierSession.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"denominations": []}, {"denominations": {"3": 1}}, {"denominations": {"100": "x"}}],
)
def test_a_bad_count_is_a_400(world, api, cashier, data):
    pk = day_of(cashier, world.a).pk
    assert post(api, f"sessions/{pk}/count/", data).status_code == 400
    assert CashierSession.objects.get().status == "open"


def test_another_communitys_day_is_a_404(world, api):
    from guanjia.accounts.tests.factories import staff

    other = day_of(staff("cashier", world.b, company=world.company), world.b)
    assert api.get(f"{API}sessions/{other.pk}/").status_code == 404
    assert post(api, f"sessions/{other.pk}/count/", {"denominations": {}}).status_code == 404


def test_api_lists_cost_the_same_queries_for_one_row_or_many(world, unit, cashier):
    client = world.client("finance")
    pay(unit, "1.00", cashier)
    paths = ["payments/", "receipts/", "sessions/"]
    client.get(API + paths[0])
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as one:
            client.get(API + path)
        counts[path] = len(one)
    for _ in range(5):
        pay(unit, "1.00", cashier)
    for path in paths:
        with CaptureQueriesContext(connection) as many:
            assert client.get(API + path).status_code == 200
        assert len(many) == counts[path], path
    assert Decimal("1.00")
