import json

from django.urls import reverse

from guanjia.core.policies.models import PolicyValue
from guanjia.core.policies.registry import all_specs
from guanjia.core.policies.selectors import policy

from .factories import value_row

OPS = "complaint.first_reply_hours"
LIST = reverse("policies-api:list")


def _post(client, key, body):
    url = reverse("policies-api:set-value", args=[key])
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_list_gives_every_key_with_the_values_in_force(world, client_of):
    value_row(OPS, 36, company=world.company)
    value_row(OPS, 12, company=world.company, community=world.a)
    response = client_of("auditor").get(LIST, {"community": world.a.pk})
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.json()}
    assert len(rows) == len(all_specs())
    assert rows[OPS]["company_value"] == 36
    assert rows[OPS]["community_value"] == 12
    assert rows[OPS]["effective"] == 12
    assert rows["reno.hours"]["default"] == [["08:00", "12:00"], ["14:00", "18:00"]]
    assert rows["reno.deposit_owner"]["effective"] == "2000.00"


def test_the_list_without_a_community_gives_company_defaults(world, client_of):
    value_row(OPS, 12, company=world.company, community=world.a)
    rows = {row["key"]: row for row in client_of("finance").get(LIST).json()}
    assert rows[OPS]["effective"] == 24
    assert rows[OPS]["community_value"] is None


def test_a_community_that_is_not_a_number_is_400(world, client_of):
    response = client_of("auditor").get(LIST, {"community": "abc"})
    assert response.status_code == 400
    assert response.json() == {"community": ["A valid integer is required."]}


def test_another_communitys_values_are_404(world, client_of):
    assert client_of("director").get(LIST, {"community": world.b.pk}).status_code == 404


def test_the_detail_gives_values_per_community_and_the_history(world, client_of):
    value_row(OPS, 12, company=world.company, community=world.a)
    response = client_of("director").get(reverse("policies-api:detail", args=[OPS]))
    data = response.json()
    assert data["communities"] == [{"community": world.a.pk, "value": 12, "is_override": True}]
    assert data["changes"][0]["new"] == "12"


def test_an_unknown_key_is_404(world, client_of):
    assert (
        client_of("director").get(reverse("policies-api:detail", args=["x.y"])).status_code == 404
    )


def test_the_director_sets_an_override(world, client_of):
    response = _post(
        client_of("director"), OPS, {"community": world.a.pk, "value": 12, "reason": "提速"}
    )
    assert response.status_code == 201
    assert response.json()["value"] == 12
    assert policy(world.a, OPS) == 12


def test_finance_sets_a_company_default(world, client_of):
    body = {"value": "0.0005", "reason": "新合同"}
    response = _post(client_of("finance"), "billing.late_fee_daily_rate", body)
    assert response.status_code == 201
    assert response.json()["community"] is None


def test_a_body_of_the_wrong_shape_is_400_with_a_message_per_field(world, client_of):
    response = _post(client_of("director"), OPS, {"community": "A", "value": None})
    assert response.status_code == 400
    assert response.json() == {
        "community": ["A valid integer is required."],
        "value": ["This field may not be null."],
        "reason": ["This field is required."],
    }
    assert not PolicyValue.objects.exists()


def test_a_body_that_is_not_an_object_is_400(world, client_of):
    url = reverse("policies-api:set-value", args=[OPS])
    response = client_of("director").post(url, "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert not PolicyValue.objects.exists()


def test_a_value_out_of_range_is_400_and_nothing_changes(world, client_of):
    response = _post(
        client_of("director"), OPS, {"community": world.a.pk, "value": 0, "reason": "x"}
    )
    assert response.status_code == 400
    assert response.json() == {"value": ["The value must be at least 1."]}
    assert not PolicyValue.objects.exists()


def test_money_with_too_many_decimals_is_400(world, client_of):
    body = {"community": world.a.pk, "value": "20.001", "reason": "x"}
    response = _post(client_of("finance"), "pass.worker_deposit", body)
    assert response.json() == {"value": ["Enter an amount in yuan with at most 2 decimal places."]}


def test_a_wrong_type_for_the_key_is_400(world, client_of):
    body = {"community": world.a.pk, "value": "08:00-07:00", "reason": "x"}
    response = _post(client_of("director"), "reno.hours", body)
    assert response.json() == {"value": ["Each time window must end after it starts."]}


def test_a_bad_effective_date_is_400(world, client_of):
    body = {"community": world.a.pk, "value": 12, "reason": "x", "effective_from": "2020-01-01"}
    response = _post(client_of("director"), OPS, body)
    assert response.json() == {"effective_from": ["The effective date cannot be in the past."]}


def test_the_director_may_not_set_a_financial_key(world, client_of):
    body = {"community": world.a.pk, "value": "0.001", "reason": "x"}
    assert _post(client_of("director"), "billing.late_fee_daily_rate", body).status_code == 403
    assert not PolicyValue.objects.exists()


def test_the_schema_documents_the_policies_endpoints(world, client_of):
    schema = client_of("director").get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/v1/policies/{key}/values/" in schema["paths"]
