"""Every write route, fed bodies that are wrong in the ways people and clients get them wrong,
answers with a message (4xx) or its normal answer — never a 500.

The cases are the route matrix's (`<app>/tests/routes.py`): each POST/PATCH/PUT route is called
by its allowed role with its own valid body spoiled field by field — every value replaced by an
overlong string, a NUL character, a number far out of range, full-width digits, markup — and,
for the API, bodies that are not a JSON object at all, or nested thousands deep. Every read gets
wrong query parameters, integers beyond 64 bits among them."""

import json

import pytest
from django.test import Client

from guanjia.core.tests.matrix import all_cases, prepare

CASES = all_cases()

WRITES = sorted(k for k, c in CASES.items() if c.method != "GET" and c.allowed)
SPOILERS = {
    "overlong": "长" * 5000,
    "nul": "abc\x00def",
    "huge number": "9" * 40,
    "negative": "-1e309",
    "full-width": "２０２６－１３－４５",
    "markup": "<script>alert(1)</script>",
    "blank": "   ",
}
NOT_OBJECTS = ["[1, 2]", '"text"', "null", "{", "12", '{"a": ' + "[" * 5_000 + "]" * 5_000 + "}"]
BEYOND_64_BITS = 2**70  # a JSON number, not a string: the database cannot hold it


def _send(client: Client, case, url: str, body) -> int:
    if case.api:
        payload = body if isinstance(body, str) else json.dumps(body)
        response = client.generic(case.method, url, payload, content_type="application/json")
    elif case.method == "POST":
        response = client.post(url, body)
    else:
        response = client.generic(case.method, url, body)
    return response.status_code


@pytest.mark.parametrize("key", WRITES)
def test_spoiled_bodies_never_give_a_500(world, key):
    case = CASES[key]
    client = world.client(case.allowed)
    url, body = prepare(case, world, world.a)
    fields = [name for name, value in body.items() if isinstance(value, str | int | float)]
    statuses = {}
    for label, junk in SPOILERS.items():
        statuses[label] = _send(client, case, url, {**body, **dict.fromkeys(fields, junk)})
    statuses["empty"] = _send(client, case, url, {})
    numbers = dict.fromkeys(fields, BEYOND_64_BITS if case.api else str(BEYOND_64_BITS))
    statuses["beyond 64 bits"] = _send(client, case, url, {**body, **numbers})
    if case.api:
        for raw in NOT_OBJECTS:
            statuses[raw] = _send(client, case, url, raw)
    assert all(status < 500 for status in statuses.values()), statuses


READS = sorted(k for k, c in CASES.items() if c.method == "GET" and c.allowed)
# The query parameters Guanjia's lists, reports and exports read, each given a wrong value.
BAD_QUERIES = [
    "page=abc",
    "page=-1",
    "page=99999999999999999999",
    "community=abc",
    "community=99999999",
    "period=2026-13",
    "month=２０２６-０２",
    "start=2026-02-30&end=2026-01-01",
    "by=<script>",
    "status=nonsense&kind=nonsense&type=x",
    "overdue=maybe&unit=abc&building=abc&zone=-1",
    "q=" + "长" * 300,
    "fee_item=abc&item=abc&sort=-nonsense&order=x",
    "format=pdf&format=xlsx",
    "start=abc%00&q=abc%00&search=%00",
    "&".join(
        f"{name}={2**70}"
        for name in ("page", "community", "unit", "building", "zone", "fee_item", "person", "id")
    ),
    "household=-" + str(2**70) + "&assignee=" + str(2**70) + "&handler=" + str(2**70),
]


@pytest.mark.parametrize("key", READS)
def test_wrong_query_parameters_never_give_a_500(world, key):
    case = CASES[key]
    client = world.client(case.allowed)
    url, _body = prepare(case, world, world.a)
    joiner = "&" if "?" in url else "?"
    statuses = {query: client.get(url + joiner + query).status_code for query in BAD_QUERIES}
    assert all(status < 500 for status in statuses.values()), statuses
