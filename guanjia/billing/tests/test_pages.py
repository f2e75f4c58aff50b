"""Billing pages and API end to end: preview, post, rerun, reverse, close, statement."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guanjia.billing.models import BillingRun, FeeStandardVersion, LedgerEntry, MonthClose
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeStandardFactory, FeeStandardVersionFactory

FEB = "2024-02"


def post_from_preview(client, item, period=FEB):
    """What the cashier does: open the preview, tick the confirmation, post it."""
    preview = client.get(reverse("billing:run-preview"), {"period": period, "fee_item": item.pk})
    fingerprint = preview.context["post_form"].initial["fingerprint"]
    body = {"period": period, "fee_item": item.pk, "fingerprint": fingerprint, "confirm": "on"}
    return client.post(reverse("billing:run-post"), body), body


@pytest.fixture(autouse=True)
def _english_pages(world):
    """These tests read the English message ids on the pages."""
    world.language = "en"


@pytest.fixture
def billable(world, item):
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    for unit in UnitFactory.create_batch(3, community=world.a):
        OwnershipFactory(unit=unit)
    return standard


def test_the_preview_page_shows_lines_and_the_total(
    world, item, billable, clock, django_assert_max_num_queries
):
    client = world.client("cashier")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("billing:run-preview"), {"period": FEB, "fee_item": item.pk})
    assert response.status_code == 200
    assert "¥671.25" in response.content.decode()
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("period", ["2024-13", "abc", "", "1999-01"])
def test_a_month_that_does_not_exist_is_refused_on_the_preview(
    world, item, billable, clock, period
):
    response = world.client("cashier").get(
        reverse("billing:run-preview"), {"period": period, "fee_item": item.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period"]


def test_posting_from_the_page_then_again_adds_nothing(world, item, billable, clock):
    client = world.client("cashier")
    response, body = post_from_preview(client, item)
    run = BillingRun.objects.get()
    assert response["Location"] == reverse("billing:run-detail", args=[run.pk])
    response = client.post(reverse("billing:run-post"), body, follow=True)
    assert "Already billed: nothing was added." in response.content.decode()
    assert LedgerEntry.objects.count() == 3


def test_posting_a_future_month_from_the_page_is_refused(world, item, billable, clock):
    body = {"period": "2024-04", "fee_item": item.pk, "fingerprint": "0" * 64, "confirm": "on"}
    response = world.client("cashier").post(reverse("billing:run-post"), body)
    assert response.status_code == 400
    assert "A future month cannot be billed yet." in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_fee_item_of_another_company_is_refused(world, billable, clock):
    from .factories import FeeItemFactory

    other = FeeItemFactory()
    response = world.client("cashier").post(
        reverse("billing:run-post"), {"period": FEB, "fee_item": other.pk}
    )
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists()


def test_the_director_approves_a_reversal_requested_by_the_cashier(world, item, billable, clock):
    post_from_preview(world.client("cashier"), item)
    run = BillingRun.objects.get()
    world.client("cashier").post(
        reverse("billing:run-request-reversal", args=[run.pk]), {"reason": "单价录错"}
    )
    world.client("director").post(reverse("billing:run-approve-reversal", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "reversed"
    assert LedgerEntry.objects.filter(kind="reversal").count() == 3


def test_a_reversal_without_a_reason_changes_nothing(world, item, billable, clock):
    post_from_preview(world.client("cashier"), item)
    run = BillingRun.objects.get()
    response = world.client("cashier").post(
        reverse("billing:run-request-reversal", args=[run.pk]), {"reason": ""}
    )
    assert response.status_code == 400  # the run's page again, the form with its error
    assert "Give a reason for the reversal." in response.content.decode()
    assert BillingRun.objects.get().status == "posted"


def test_the_director_closes_a_month_and_a_bad_month_is_refused(world, clock):
    client = world.client("director")
    client.post(reverse("billing:month-close"), {"period": "2024-02"})
    response = client.post(reverse("billing:month-close"), {"period": "2024-02-31"}, follow=True)
    assert MonthClose.objects.get().period == dt.date(2024, 2, 1)
    assert "Enter a month that exists" in response.content.decode()


def test_a_bad_rate_on_the_standard_page_is_refused_with_its_message(world, billable):
    response = world.client("cashier").post(
        reverse("billing:version-create", args=[billable.pk]),
        {"rate": "0", "effective_from": "2030-01-01"},
    )
    assert response.status_code == 400
    assert FeeStandardVersion.objects.count() == 1


def test_the_statement_shows_bills_and_the_balance_and_prints_as_pdf(world, item, billable, clock):
    post_from_preview(world.client("cashier"), item)
    unit = LedgerEntry.objects.first().unit
    client = world.client("cashier")
    page = client.get(reverse("billing:unit-statement", args=[unit.pk]))
    assert "¥223.75" in page.content.decode()
    pdf = client.get(reverse("billing:unit-statement-print", args=[unit.pk]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"


def test_the_api_previews_and_posts_a_run_once(world, item, billable, clock):
    client = world.client("cashier")
    body = {"community": world.a.pk, "period": FEB, "fee_item": item.pk}
    preview = client.post(reverse("billing-api:run-preview"), body, content_type="application/json")
    assert preview.json()["total"] == "671.25"
    first = client.post(reverse("billing-api:run-post"), body, content_type="application/json")
    again = client.post(reverse("billing-api:run-post"), body, content_type="application/json")
    assert (first.status_code, first.json()["added"]) == (201, 3)
    assert (again.status_code, again.json()["added"]) == (200, 0)


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"period": "2024-13"}, 400),
        ({"fee_item": 999999}, 400),
        ({"community": 999999}, 404),
        ({"period": "2030-01"}, 400),
    ],
)
def test_bad_api_input_is_refused_and_posts_nothing(world, item, billable, clock, change, status):
    body = {"community": world.a.pk, "period": FEB, "fee_item": item.pk, **change}
    response = world.client("cashier").post(
        reverse("billing-api:run-post"), body, content_type="application/json"
    )
    assert response.status_code == status
    assert not LedgerEntry.objects.exists()


def test_the_api_statement_gives_the_outstanding_amount(world, item, billable, clock):
    client = world.client("cashier")
    body = {"community": world.a.pk, "period": FEB, "fee_item": item.pk}
    client.post(reverse("billing-api:run-post"), body, content_type="application/json")
    unit = LedgerEntry.objects.first().unit
    data = client.get(reverse("billing-api:unit-statement", args=[unit.pk])).json()
    assert data["outstanding"] == "223.75"


def test_bills_appear_on_the_unit_timeline(world, item, billable, clock):
    from guanjia.estates.selectors import unit_timeline

    post_from_preview(world.client("cashier"), item)
    unit = LedgerEntry.objects.first().unit
    titles = [e.title for e in unit_timeline(unit)]
    assert any("2024-02" in t and "¥223.75" in t for t in titles)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"value": "90"}, 400),
        ({"period": "2024-13"}, 400),
        ({"value": "-1"}, 400),
        ({"meter": 999999}, 404),
    ],
)
def test_a_bad_reading_through_the_api_is_refused(world, clock, body, status):
    from guanjia.billing.models import Meter, MeterReading
    from guanjia.billing.services.meters import record_reading

    meter = Meter.objects.create(community=world.a, kind="water", number="W-9")
    record_reading(
        meter=meter,
        period=dt.date(2024, 1, 1),
        value="100",
        read_on=dt.date(2024, 1, 28),
        by=world.user("engineering_lead"),
    )
    data = {"meter": meter.pk, "period": "2024-02", "value": "110", "read_on": "2024-02-27", **body}
    response = world.client("engineering_lead").post(
        reverse("billing-api:reading-list"), data, content_type="application/json"
    )
    assert response.status_code == status
    assert MeterReading.objects.count() == 1


def test_a_reading_is_recorded_through_the_api(world, clock):
    from guanjia.billing.models import Meter

    meter = Meter.objects.create(community=world.a, kind="water", number="W-9")
    response = world.client("engineering_lead").post(
        reverse("billing-api:reading-list"),
        {"meter": meter.pk, "period": "2024-02", "value": "12.5", "read_on": "2024-02-27"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["value"] == "12.50"


def test_a_fee_item_with_a_duplicate_code_is_refused_on_the_page(world, item):
    from guanjia.billing.models import FeeItem

    response = world.client("cashier").post(
        reverse("billing:feeitem-create"),
        {"code": item.code, "name": "重复", "category": "service", "priority": "1"},
    )
    assert response.status_code == 400
    assert "A fee item with this code already exists." in response.content.decode()
    assert FeeItem.objects.count() == 1


def test_a_standard_is_created_then_its_rate_added(world, item):
    from guanjia.billing.models import FeeStandard

    client = world.client("cashier")
    response = client.post(
        reverse("billing:standard-create"),
        {
            "fee_item": item.pk,
            "name": "住宅",
            "method": "building_area",
            "cycle": "monthly",
            "billed_in": "advance",
            "rounding": "half_up",
            "payer_rule": "developer_if_unsold",
        },
    )
    standard = FeeStandard.objects.get()
    assert response["Location"] == reverse("billing:standard-detail", args=[standard.pk])
    client.post(
        reverse("billing:version-create", args=[standard.pk]),
        {"rate": "2.8", "effective_from": "2024-01-01"},
    )
    assert standard.versions.get().rate == Decimal("2.8000")


def test_a_standard_for_another_companys_item_is_refused(world):
    from guanjia.billing.models import FeeStandard

    from .factories import FeeItemFactory

    other = FeeItemFactory()
    response = world.client("cashier").post(
        reverse("billing:standard-create"),
        {
            "fee_item": other.pk,
            "name": "住宅",
            "method": "fixed",
            "cycle": "monthly",
            "billed_in": "advance",
            "rounding": "half_up",
            "payer_rule": "owner",
        },
    )
    assert response.status_code == 400
    assert not FeeStandard.objects.exists()


def test_posting_needs_the_confirmation_and_posts_nothing_without_it(world, item, billable, clock):
    client = world.client("cashier")
    preview = client.get(reverse("billing:run-preview"), {"period": FEB, "fee_item": item.pk})
    fingerprint = preview.context["post_form"].initial["fingerprint"]
    body = {"period": FEB, "fee_item": item.pk, "fingerprint": fingerprint}
    response = client.post(reverse("billing:run-post"), body)
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_change_after_the_preview_is_refused_and_the_new_preview_shown(
    world, item, billable, clock
):
    client = world.client("cashier")
    preview = client.get(reverse("billing:run-preview"), {"period": FEB, "fee_item": item.pk})
    fingerprint = preview.context["post_form"].initial["fingerprint"]
    UnitFactory(community=world.a)  # a unit added after the cashier looked
    body = {"period": FEB, "fee_item": item.pk, "fingerprint": fingerprint, "confirm": "on"}
    response = client.post(reverse("billing:run-post"), body)
    assert response.status_code == 400
    assert "The bills changed since your preview" in response.content.decode()
    assert "4 lines to post" in response.content.decode()
    assert not LedgerEntry.objects.exists()
    assert not BillingRun.objects.exists()


def test_a_month_with_nothing_to_bill_says_why_and_creates_no_run(world, item, clock):
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))  # no unit at all
    client = world.client("cashier")
    preview = client.get(reverse("billing:run-preview"), {"period": FEB, "fee_item": item.pk})
    page = preview.content.decode()
    assert "There is nothing to bill for this month and fee item." in page
    assert "applies to no unit of this community" in page
    assert 'id="post-button"' not in page
    body = {"period": FEB, "fee_item": item.pk, "community": world.a.pk}
    response = client.post(reverse("billing-api:run-post"), body, content_type="application/json")
    assert response.status_code == 400
    assert "nothing to bill" in str(response.json())
    assert "Already billed" not in str(response.json())
    assert not BillingRun.objects.exists()


def test_the_api_refuses_a_post_whose_preview_changed(world, item, billable, clock):
    client = world.client("cashier")
    body = {"community": world.a.pk, "period": FEB, "fee_item": item.pk}
    preview = client.post(reverse("billing-api:run-preview"), body, content_type="application/json")
    fingerprint = preview.json()["fingerprint"]
    UnitFactory(community=world.a)
    response = client.post(
        reverse("billing-api:run-post"),
        {**body, "fingerprint": fingerprint},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "preview_changed"
    assert not LedgerEntry.objects.exists()
