"""Billing's lists on the core pattern: pages of PAGE_SIZE through one FilterSet per list
(page and API alike), a bounded number of queries whatever the rows, and one refusal
behaviour for the actions (the page with the form's errors, 400; 403; 404)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guanjia.billing.models import BillingRun, FeeItem, FeeStandard, Meter, MeterReading
from guanjia.billing.services import post_run
from guanjia.core.pages import PAGE_SIZE
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

FEB = dt.date(2024, 2, 1)


def _runs(world, count, start=0):
    user = world.user("cashier")
    items = [
        FeeItemFactory(company=world.company, code=f"i{n}") for n in range(start, start + count)
    ]
    for n, item in enumerate(items):
        BillingRun.objects.create(
            community=world.a, period=dt.date(2020 + n // 12, n % 12 + 1, 1), fee_item=item,
            posted_by=user,
        )  # fmt: skip
    BillingRun.objects.create(community=world.b, period=FEB, fee_item=items[0], posted_by=user)
    return items


def _readings(world, count, community=None, start=0):
    community = community or world.a
    user = world.user("engineering_lead")
    for n in range(start, start + count):
        meter = Meter.objects.create(community=community, kind="water", number=f"W-{n:03d}")
        MeterReading.objects.create(
            community=community, meter=meter, period=FEB, value=Decimal("10"),
            read_on=dt.date(2024, 2, 28), created_by=user, flagged=n % 2 == 0,
        )  # fmt: skip


def test_the_run_list_is_paginated_and_filtered(world, clock):
    items = _runs(world, PAGE_SIZE + 3)
    client = world.client("cashier")
    first = client.get(reverse("billing:run-list"))
    assert first.status_code == 200
    assert len(first.context["runs"]) == PAGE_SIZE
    assert first.context["page_obj"].paginator.count == PAGE_SIZE + 3  # community A only
    last = client.get(reverse("billing:run-list"), {"page": 2})
    assert len(last.context["runs"]) == 3
    one = client.get(reverse("billing:run-list"), {"fee_item": items[1].pk})
    assert [run.fee_item_id for run in one.context["runs"]] == [items[1].pk]
    month = client.get(reverse("billing:run-list"), {"period": "2020-02"})
    assert [run.period for run in month.context["runs"]] == [dt.date(2020, 2, 1)]


@pytest.mark.parametrize("query", [{"period": "2024-13"}, {"status": "nope"}, {"fee_item": "x"}])
def test_a_bad_run_filter_shows_the_message_and_no_rows(world, query):
    _runs(world, 2)
    response = world.client("cashier").get(reverse("billing:run-list"), query)
    assert response.status_code == 200
    assert list(response.context["runs"]) == []
    assert response.context["filter"].errors


def test_another_communitys_fee_item_filter_is_refused(world):
    from guanjia.core.tests.factories import CompanyFactory

    other = FeeItemFactory(company=CompanyFactory(), code="x")
    _runs(world, 2)
    response = world.client("cashier").get(reverse("billing:run-list"), {"fee_item": other.pk})
    assert list(response.context["runs"]) == []
    assert "fee_item" in response.context["filter"].errors


def test_the_reading_lists_are_paginated_and_filtered(world):
    _readings(world, PAGE_SIZE + 4)
    _readings(world, 2, community=world.b)
    client = world.client("engineering_lead")
    listed = client.get(reverse("billing:reading-list"))
    assert (listed.status_code, len(listed.context["readings"])) == (200, PAGE_SIZE)
    assert listed.context["page_obj"].paginator.count == PAGE_SIZE + 4
    found = client.get(reverse("billing:reading-list"), {"q": "W-003"})
    assert [r.meter.number for r in found.context["readings"]] == ["W-003"]
    flagged = client.get(reverse("billing:reading-flagged"))
    assert flagged.context["page_obj"].paginator.count == (PAGE_SIZE + 4 + 1) // 2
    assert all(r.flagged for r in flagged.context["readings"])


def test_the_reading_api_uses_the_same_filter_and_pages(world):
    _readings(world, PAGE_SIZE + 4)
    client = world.client("engineering_lead")
    data = client.get(reverse("billing-api:reading-list")).json()
    assert (data["count"], len(data["results"])) == (PAGE_SIZE + 4, PAGE_SIZE)
    assert data["next"]
    found = client.get(reverse("billing-api:reading-list"), {"q": "W-003"}).json()
    assert [r["meter"] for r in found["results"]] == [Meter.objects.get(number="W-003").pk]
    bad = client.get(reverse("billing-api:reading-list"), {"period": "2024-13"})
    assert bad.status_code == 400
    assert "period" in bad.json()
    assert client.get(reverse("billing-api:reading-list"), {"page": 9}).status_code == 404


def test_the_run_api_lists_a_page_filtered_like_the_page(world):
    items = _runs(world, PAGE_SIZE + 1)
    client = world.client("cashier")
    data = client.get(reverse("billing-api:run-list")).json()
    assert (data["count"], len(data["results"])) == (PAGE_SIZE + 1, PAGE_SIZE)
    one = client.get(reverse("billing-api:run-list"), {"fee_item": items[2].pk}).json()
    assert [run["fee_item"] for run in one["results"]] == [items[2].pk]
    narrowed = client.get(reverse("billing-api:run-list"), {"community": world.b.pk}).json()
    assert narrowed["count"] == 0  # community B is not the cashier's


def _items(world, count, start=0):
    return [
        FeeItemFactory(
            company=world.company, code=f"i{n}", category="utility" if n % 2 else "service"
        )
        for n in range(start, start + count)
    ]


def _standards(world, count, start=0):
    item = FeeItem.objects.filter(company=world.company).first() or FeeItemFactory(
        company=world.company, code="service"
    )
    for n in range(start, start + count):
        standard = FeeStandardFactory(community=world.a, fee_item=item, name=f"标准{n:03d}")
        FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    FeeStandardFactory(community=world.b, fee_item=item, name=f"乙{start}")


def test_the_fee_item_api_lists_a_page_filtered_by_category(world):
    _items(world, PAGE_SIZE + 2)
    client = world.client("cashier")
    url = reverse("billing-api:feeitem-list")
    data = client.get(url).json()
    assert (data["count"], len(data["results"]), data["previous"]) == (
        PAGE_SIZE + 2, PAGE_SIZE, None,
    )  # fmt: skip
    rest = client.get(data["next"]).json()
    assert (len(rest["results"]), rest["next"]) == (2, None)
    utility = client.get(url, {"category": "utility"}).json()
    assert utility["count"] == (PAGE_SIZE + 2) // 2
    assert {row["category"] for row in utility["results"]} == {"utility"}
    FeeItem.objects.filter(code="i0").update(is_active=False)
    stopped = client.get(url, {"is_active": "false"}).json()
    assert [row["code"] for row in stopped["results"]] == ["i0"]


@pytest.mark.parametrize(
    ("name", "query", "field"),
    [
        ("feeitem-list", {"category": "bogus"}, "category"),
        ("standard-list", {"approval_status": "bogus"}, "approval_status"),
        ("standard-list", {"fee_item": "x"}, "fee_item"),
        ("standard-list", {"community": "x"}, "community"),
    ],
)
def test_a_bad_filter_value_of_an_api_list_is_a_400(world, name, query, field):
    response = world.client("cashier").get(reverse(f"billing-api:{name}"), query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("name", ["feeitem-list", "standard-list"])
def test_a_page_of_an_api_list_that_does_not_exist_is_a_404(world, name):
    _standards(world, 2)
    client = world.client("cashier")
    assert client.get(reverse(f"billing-api:{name}"), {"page": 9}).status_code == 404
    assert client.get(reverse(f"billing-api:{name}"), {"page": "x"}).status_code == 404


def test_the_standard_api_lists_a_page_of_the_callers_communities_filtered(world):
    _standards(world, PAGE_SIZE + 1)
    other = FeeItemFactory(company=world.company, code="water")
    FeeStandardFactory(community=world.a, fee_item=other, name="水")
    client = world.client("cashier")
    url = reverse("billing-api:standard-list")
    data = client.get(url).json()
    assert (data["count"], len(data["results"])) == (PAGE_SIZE + 2, PAGE_SIZE)  # A only
    assert data["results"][0]["versions"]  # each with its rates
    water = client.get(url, {"fee_item": other.pk}).json()
    assert [row["name"] for row in water["results"]] == ["水"]
    FeeStandard.objects.filter(name="水").update(approval_status="proposed")
    proposed = client.get(url, {"approval_status": "proposed"}).json()
    assert [row["name"] for row in proposed["results"]] == ["水"]
    assert client.get(url, {"community": world.b.pk}).json()["count"] == 0


@pytest.mark.parametrize(
    ("name", "role", "make"),
    [
        ("billing:run-list", "cashier", _runs),
        ("billing:reading-list", "engineering_lead", _readings),
        ("billing:reading-flagged", "engineering_lead", _readings),
        ("billing-api:run-list", "cashier", _runs),
        ("billing-api:reading-list", "engineering_lead", _readings),
        ("billing-api:feeitem-list", "cashier", _items),
        ("billing-api:standard-list", "cashier", _standards),
    ],
)
def test_a_list_costs_the_same_queries_for_3_rows_and_for_a_full_page(
    world, name, role, make, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client(role)
    make(world, 3)
    client.get(reverse(name))  # warm caches (access, policies)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    make(world, PAGE_SIZE, start=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.fixture
def posted(world, clock):
    item = FeeItemFactory(company=world.company, code="service", name="物业服务费")
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    for room in ("1", "2", "10"):
        OwnershipFactory(unit=UnitFactory(community=world.a, room_number=f"{room}01"))
    return post_run(community=world.a, period=FEB, fee_item=item, by=world.user("cashier")).run


def test_a_runs_lines_are_paged_in_natural_room_order_and_filtered(world, posted):
    client = world.client("cashier")
    page = client.get(reverse("billing:run-detail", args=[posted.pk]))
    codes = [entry.unit.room_number for entry in page.context["entries"]]
    assert codes == ["101", "201", "1001"]
    room = page.context["entries"][2].unit.room_code
    one = client.get(reverse("billing:run-detail", args=[posted.pk]), {"q": room})
    assert [entry.unit.room_code for entry in one.context["entries"]] == [room]


def test_a_refused_reversal_step_is_the_runs_page_with_the_reason_and_400(world, posted):
    # Approving a reversal nobody requested: the service refuses; the page shows why.
    response = world.client("director").post(
        reverse("billing:run-approve-reversal", args=[posted.pk])
    )
    assert response.status_code == 400
    assert response.context["approve_form"].non_field_errors()
    assert BillingRun.objects.get().status == "posted"


def test_a_reversal_step_on_another_communitys_run_is_a_404(world, clock):
    item = FeeItemFactory(company=world.company, code="other")
    run = BillingRun.objects.create(
        community=world.b, period=FEB, fee_item=item, posted_by=world.user("cashier")
    )
    response = world.client("cashier").post(
        reverse("billing:run-request-reversal", args=[run.pk]), {"reason": "错"}
    )
    assert response.status_code == 404


def test_a_reversal_step_without_the_permission_is_a_403(world, posted):
    response = world.client("area_manager").post(
        reverse("billing:run-request-reversal", args=[posted.pk]), {"reason": "错"}
    )
    assert response.status_code == 403
    assert BillingRun.objects.get().status == "posted"


def test_confirming_a_reading_not_flagged_is_the_list_with_the_reason_and_400(world):
    _readings(world, 2)
    plain = MeterReading.objects.get(flagged=False)
    response = world.client("engineering_lead").post(
        reverse("billing:reading-confirm", args=[plain.pk])
    )
    assert response.status_code == 400
    assert response.context["confirm_form"].non_field_errors()


def test_a_refused_month_close_is_the_run_list_with_the_error_and_400(world, clock):
    response = world.client("director").post(reverse("billing:month-close"), {"period": "x"})
    assert response.status_code == 400
    assert response.context["close_form"].errors["period"]
