"""The rest of the billing API: fee items, standards (new, edit, rates), a run's lines and
its reversal, month close, flagged readings, unit exceptions and arrears. Each write calls
the page's service; bad input answers 400 with the message and changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guanjia.billing.models import (
    BillingRun,
    EntryKind,
    FeeItem,
    FeeStandard,
    FeeStandardVersion,
    LedgerEntry,
    Meter,
    MeterReading,
    MonthClose,
    RunStatus,
    UnitBalance,
    UnitFeeException,
)
from guanjia.billing.services import post_run, request_run_reversal
from guanjia.billing.services.meters import record_reading
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

FEB = dt.date(2024, 2, 1)


@pytest.fixture(autouse=True)
def _english(world):
    """These tests read the English message ids in the answers."""
    world.language = "en"


@pytest.fixture
def billable(world, item):
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    for room in ("1-101", "1-102", "1-103"):
        OwnershipFactory(unit=UnitFactory(community=world.a, room_code=room))
    return standard


@pytest.fixture
def posted(world, item, billable, clock):
    return post_run(community=world.a, period=FEB, fee_item=item, by=world.user("cashier")).run


def send(client, method, name, body=None, **kwargs):
    url = reverse(f"billing-api:{name}", kwargs=kwargs or None)
    return getattr(client, method)(url, body or {}, content_type="application/json")


# Fee items and standards


def test_a_fee_item_is_created_for_the_callers_company(world):
    response = send(
        world.client("finance"),
        "post",
        "feeitem-list",
        {"code": "water", "name": "水费", "category": "utility", "priority": 20},
    )
    assert response.status_code == 201
    item = FeeItem.objects.get(pk=response.json()["id"])
    assert (item.company, item.code, item.priority) == (world.company, "water", 20)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"code": "service"}, "code"), ({"category": "bogus"}, "category"), ({"name": ""}, "name")],
)
def test_a_bad_fee_item_is_refused(world, item, change, field):
    body = {"code": "water", "name": "水费", "category": "utility", **change}
    response = send(world.client("finance"), "post", "feeitem-list", body)
    assert response.status_code == 400
    assert field in str(response.json())
    assert FeeItem.objects.count() == 1


def test_a_new_standard_awaits_approval(world, item):
    body = {"community": world.a.pk, "fee_item": item.pk, "name": "商铺", "method": "fixed"}
    response = send(world.client("cashier"), "post", "standard-list", body)
    assert response.status_code == 201
    data = response.json()
    assert (data["approval_status"], data["cycle"], data["versions"]) == ("proposed", "monthly", [])
    assert FeeStandard.objects.get().proposed_by == world.user("cashier")


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"method": "by_magic"}, 400),
        ({"fee_item": "other company"}, 400),
        ({"community": "b"}, 404),
        ({"community": 999999}, 404),
    ],
)
def test_a_bad_new_standard_is_refused(world, item, change, status):
    if change.get("fee_item") == "other company":
        change = {"fee_item": FeeItemFactory().pk}
    if change.get("community") == "b":
        change = {"community": world.b.pk}
    body = {"community": world.a.pk, "fee_item": item.pk, "name": "商铺", "method": "fixed"}
    response = send(world.client("cashier"), "post", "standard-list", {**body, **change})
    assert response.status_code == status
    assert not FeeStandard.objects.exists()


def test_a_standard_is_shown_with_its_rates(world, billable):
    data = send(world.client("cashier"), "get", "standard-detail", pk=billable.pk).json()
    assert (data["name"], data["approval_status"]) == ("住宅", "approved")
    assert [v["rate"] for v in data["versions"]] == ["2.5000"]


def test_an_approved_standards_amount_change_waits_for_approval(world, billable):
    body = {"name": "住宅（新）", "cycle": "quarterly", "unit_kinds": ["flat"]}
    response = send(world.client("cashier"), "patch", "standard-detail", body, pk=billable.pk)
    assert response.status_code == 200
    data = response.json()
    assert (data["name"], data["cycle"], data["approval_status"]) == (
        "住宅（新）",
        "monthly",
        "approved",
    )
    assert data["pending_change"] == {"cycle": "quarterly", "unit_kinds": ["flat"]}
    # a later edit of another field keeps the change awaiting approval (as the page does)
    response = send(
        world.client("cashier"), "post", "standard-detail", {"rounding": "jiao"}, pk=billable.pk
    )
    assert response.json()["pending_change"] == {
        "cycle": "quarterly",
        "rounding": "jiao",
        "unit_kinds": ["flat"],
    }
    billable.refresh_from_db()
    assert (billable.cycle, billable.rounding) == ("monthly", "half_up")


def test_a_standard_not_yet_approved_is_changed_and_awaits_approval_again(world, item):
    body = {"community": world.a.pk, "fee_item": item.pk, "name": "商铺", "method": "fixed"}
    pk = send(world.client("cashier"), "post", "standard-list", body).json()["id"]
    data = send(world.client("cashier"), "patch", "standard-detail", {"cycle": "yearly"}, pk=pk)
    assert (data.json()["cycle"], data.json()["pending_change"]) == ("yearly", {})
    assert data.json()["approval_status"] == "proposed"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"method": "fixed"}, "A run billed this standard: its method cannot change."),
        ({"common_meter": "other community"}, "Select a valid choice."),
        ({"unit_kinds": ["castle"]}, "is not a valid choice"),
        ({"name": ""}, "This field may not be blank."),
    ],
)
def test_a_bad_standard_edit_is_refused_and_changes_nothing(world, billable, posted, body, message):
    if body.get("common_meter"):
        body = {
            "common_meter": Meter.objects.create(community=world.b, kind="water", number="C").pk
        }
    before = FeeStandard.history.count()
    response = send(world.client("cashier"), "patch", "standard-detail", body, pk=billable.pk)
    assert response.status_code == 400
    assert message in str(response.json())
    billable.refresh_from_db()
    assert (billable.method, billable.pending_change, billable.name) == (
        "building_area",
        {},
        "住宅",
    )
    assert FeeStandard.history.count() == before


def test_a_rate_is_proposed_from_a_date(world, billable):
    body = {"rate": "3.1", "effective_from": "2030-01-01", "approval_ref": "物价备案"}
    response = send(world.client("cashier"), "post", "version-create", body, pk=billable.pk)
    assert response.status_code == 201
    assert (response.json()["rate"], response.json()["approval_status"]) == ("3.1000", "proposed")
    old = billable.versions.get(effective_from=dt.date(2020, 1, 1))
    assert old.effective_to is None  # ends only when finance approves the new rate


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rate": "0"}, "A rate must be above zero."),
        ({"rate": "-2"}, "A rate must be above zero."),
        ({"rate": "1.00001"}, "4 decimal places"),
        ({"effective_from": None}, "effective_from"),
        ({"effective_from": "2019-01-01"}, "overlaps another version"),
        ({"effective_to": "2029-01-01"}, "The end date must not be before the start date."),
    ],
)
def test_a_bad_rate_is_refused(world, billable, change, message):
    body = {"rate": "3.1", "effective_from": "2030-01-01", **change}
    response = send(world.client("cashier"), "post", "version-create", body, pk=billable.pk)
    assert response.status_code == 400
    assert message in str(response.json())
    assert FeeStandardVersion.objects.count() == 1


# Runs, their lines and reversal


def test_a_run_shows_its_totals_and_lines_a_page_at_a_time(world, posted, monkeypatch):
    from guanjia.core.api import Pagination

    assert Pagination.page_size == 25  # PAGE_SIZE, as every list
    monkeypatch.setattr(Pagination, "page_size", 2)
    client = world.client("area_manager")
    first = send(client, "get", "run-detail", pk=posted.pk).json()
    assert (first["total"], first["line_count"], first["status"]) == ("671.25", 3, "posted")
    assert first["lines"]["count"] == 3
    assert [line["room_code"] for line in first["lines"]["results"]] == ["1-101", "1-102"]
    line = first["lines"]["results"][0]
    assert (line["amount"], line["kind"]) == ("223.75", "charge")
    assert line["explanation"]["formula"]
    second = client.get(first["lines"]["next"]).json()
    assert [line["room_code"] for line in second["lines"]["results"]] == ["1-103"]
    assert second["lines"]["next"] is None


@pytest.mark.parametrize("page", ["9", "abc", "0"])
def test_a_page_of_lines_that_does_not_exist_is_a_404(world, posted, page):
    url = reverse("billing-api:run-detail", args=[posted.pk])
    assert world.client("area_manager").get(url, {"page": page}).status_code == 404


def test_a_reversal_is_requested_with_a_reason_then_approved(world, posted):
    response = send(
        world.client("cashier"),
        "post",
        "run-request-reversal",
        {"reason": "单价录错"},
        pk=posted.pk,
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reversal_reason"]) == (
        "reversal_requested",
        "单价录错",
    )
    response = send(world.client("director"), "post", "run-approve-reversal", pk=posted.pk)
    assert (response.status_code, response.json()["status"]) == (200, "reversed")
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 3


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 201}])
def test_a_reversal_without_a_reason_is_refused(world, posted, body):
    response = send(world.client("cashier"), "post", "run-request-reversal", body, pk=posted.pk)
    assert response.status_code == 400
    assert "reason" in response.json()
    assert BillingRun.objects.get().status == RunStatus.POSTED


def test_a_reversal_not_requested_cannot_be_approved(world, posted):
    response = send(world.client("director"), "post", "run-approve-reversal", pk=posted.pk)
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["Nothing awaits a decision here."],
        "code": "not_requested",
    }
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()


def test_the_person_who_posted_a_run_cannot_approve_its_reversal(world, item, billable, clock):
    director = world.user("director")
    run = post_run(community=world.a, period=FEB, fee_item=item, by=director).run
    request_run_reversal(run=run, by=world.user("cashier"), reason="错")
    response = send(world.client("director"), "post", "run-approve-reversal", pk=run.pk)
    assert response.status_code == 403
    assert "cannot approve its reversal" in response.json()["detail"]
    assert BillingRun.objects.get().status == RunStatus.REVERSAL_REQUESTED


# Month close


def test_a_month_is_closed(world, clock):
    body = {"community": world.a.pk, "period": "2024-02"}
    response = send(world.client("director"), "post", "month-close", body)
    assert response.status_code == 201
    assert response.json()["period"] == "2024-02"
    assert MonthClose.objects.get().period == FEB


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2024-13", "Enter a month that exists"),
        ("Feb 2024", "Enter a month that exists"),
        (None, "This field may not be null."),
        ("2024-03", "A month can be closed only after it ends."),
        ("2024-01", "2024-01 is closed"),
    ],
)
def test_a_bad_month_close_is_refused(world, clock, period, message):
    MonthClose.objects.create(
        community=world.a, period=dt.date(2024, 1, 1), closed_by=world.user("director")
    )
    body = {"community": world.a.pk, "period": period}
    response = send(world.client("director"), "post", "month-close", body)
    assert response.status_code == 400
    assert message in str(response.json())
    assert MonthClose.objects.count() == 1


def test_another_communitys_month_is_a_404(world, clock):
    body = {"community": world.b.pk, "period": "2024-02"}
    assert send(world.client("director"), "post", "month-close", body).status_code == 404
    assert not MonthClose.objects.exists()


# Meter readings


@pytest.fixture
def flagged(world, clock):
    meter = Meter.objects.create(community=world.a, kind="water", number="W-1")
    lead = world.user("engineering_lead")
    for month, value in ((1, "10"), (2, "20"), (3, "200")):
        record_reading(
            meter=meter,
            period=dt.date(2023, month, 1),
            value=value,
            read_on=dt.date(2023, month, 28),
            by=lead,
        )
    return MeterReading.objects.get(value=Decimal("200"))


def test_a_flagged_reading_is_listed_then_confirmed(world, flagged):
    client = world.client("engineering_lead")
    listed = send(client, "get", "reading-flagged").json()["results"]
    assert [r["id"] for r in listed] == [flagged.pk]
    response = send(client, "post", "reading-confirm", pk=flagged.pk)
    assert response.status_code == 200
    assert response.json()["confirmed_by"] == world.user("engineering_lead").pk
    assert send(client, "get", "reading-flagged").json()["results"] == []


def test_a_reading_not_flagged_needs_no_confirmation(world, flagged):
    normal = MeterReading.objects.get(value=Decimal("20"))
    response = send(world.client("engineering_lead"), "post", "reading-confirm", pk=normal.pk)
    assert response.status_code == 400
    assert response.json()["detail"] == ["This reading needs no confirmation."]
    assert not MeterReading.objects.filter(confirmed_by__isnull=False).exists()


def test_flagged_readings_of_one_community_and_a_bad_community_id(world, flagged):
    client = world.client("engineering_lead")
    url = reverse("billing-api:reading-flagged")
    found = client.get(url, {"community": world.a.pk}).json()["results"]
    assert [r["id"] for r in found] == [flagged.pk]
    assert client.get(url, {"community": world.b.pk}).json()["results"] == []
    assert client.get(url, {"community": "a"}).status_code == 400


# Unit exceptions


def test_a_unit_exception_is_added_and_listed(world, billable):
    unit = UnitFactory(community=world.a)
    body = {"standard": billable.pk, "starts_on": "2024-03-01", "rate": "1.2", "reason": "决议"}
    response = send(world.client("cashier"), "post", "unit-exceptions", body, pk=unit.pk)
    assert response.status_code == 201
    assert (response.json()["rate"], response.json()["standard_name"]) == ("1.2000", "住宅")
    listed = send(world.client("supervisor"), "get", "unit-exceptions", pk=unit.pk).json()
    assert [(e["starts_on"], e["ends_on"], e["reason"]) for e in listed["results"]] == [
        ("2024-03-01", None, "决议")
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rate": "0"}, "A rate must be above zero."),
        ({"rate": "-1"}, "A rate must be above zero."),
        ({"reason": ""}, "reason"),
        ({"reason": None}, "reason"),
        ({"starts_on": "2024-02-30"}, "starts_on"),
        ({"ends_on": "2024-01-01"}, "The end date must not be before the start date."),
        ({"standard": "other community"}, "Select a valid choice."),
        ({"starts_on": "2024-06-01"}, "This unit already has an exception for these dates."),
    ],
)
def test_a_bad_unit_exception_is_refused(world, billable, change, message):
    unit = UnitFactory(community=world.a)
    body = {"standard": billable.pk, "starts_on": "2024-03-01", "reason": "决议"}
    send(
        world.client("cashier"),
        "post",
        "unit-exceptions",
        {**body, "starts_on": "2024-05-01"},
        pk=unit.pk,
    )
    if change.get("standard"):
        change = {"standard": FeeStandardFactory(community=world.b).pk}
    body = {**body, **change}
    response = send(world.client("cashier"), "post", "unit-exceptions", body, pk=unit.pk)
    assert response.status_code == 400
    assert message in str(response.json())
    assert UnitFeeException.objects.count() == 1


# Arrears


def test_arrears_by_unit_of_a_community_a_page_at_a_time(world, posted, monkeypatch):
    from guanjia.core.rest import Pagination

    monkeypatch.setattr(Pagination, "page_size", 2)
    client = world.client("cashier")
    url = reverse("billing-api:arrears")
    first = client.get(url, {"community": world.a.pk}).json()
    assert first["count"] == 3
    assert [(r["room_code"], r["outstanding"]) for r in first["results"]] == [
        ("1-101", "223.75"),
        ("1-102", "223.75"),
    ]
    second = client.get(first["next"]).json()
    assert [r["room_code"] for r in second["results"]] == ["1-103"]
    assert (second["next"], second["previous"]) == (None, first["next"].replace("&page=2", ""))


def test_arrears_by_community_without_the_parameter(world, posted):
    data = world.client("cashier").get(reverse("billing-api:arrears")).json()
    assert data["results"] == [{"community": world.a.pk, "units": 3, "outstanding": "671.25"}]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"community": "abc"}, 400),
        ({"community": "b"}, 404),
        ({"page": "7", "community": "a"}, 404),
    ],
)
def test_bad_arrears_queries(world, posted, query, status):
    query = {k: {"a": world.a.pk, "b": world.b.pk}.get(v, v) for k, v in query.items()}
    response = world.client("cashier").get(reverse("billing-api:arrears"), query)
    assert response.status_code == status


def test_arrears_by_community_come_a_page_at_a_time(world, posted, monkeypatch):
    from guanjia.core.rest import Pagination

    monkeypatch.setattr(Pagination, "page_size", 1)
    UnitBalance.objects.create(
        community=world.b, unit=UnitFactory(community=world.b), fee_item=posted.fee_item,
        billed=Decimal("5"), outstanding=Decimal("5"),
    )  # fmt: skip
    client = world.client("finance")  # company-wide: both communities
    first = client.get(reverse("billing-api:arrears")).json()
    assert (first["count"], first["results"][0]["community"]) == (2, world.a.pk)
    second = client.get(first["next"]).json()
    assert [row["community"] for row in second["results"]] == [world.b.pk]
    assert second["next"] is None


def _exceptions(world, billable, unit):
    for starts in ("2024-01-01", "2024-04-01", "2024-07-01"):
        UnitFeeException.objects.create(
            community=world.a, unit=unit, standard=billable, reason="决议",
            starts_on=dt.date.fromisoformat(starts),
            ends_on=dt.date.fromisoformat(starts) + dt.timedelta(days=59),
            created_by=world.user("cashier"),
        )  # fmt: skip


def test_a_units_exceptions_are_a_page_filtered_by_standard_and_date(world, billable, monkeypatch):
    from guanjia.core.rest import Pagination

    unit = UnitFactory(community=world.a)
    _exceptions(world, billable, unit)
    _exceptions(world, billable, UnitFactory(community=world.a))  # another unit's
    monkeypatch.setattr(Pagination, "page_size", 2)
    client = world.client("supervisor")
    url = reverse("billing-api:unit-exceptions", args=[unit.pk])
    first = client.get(url).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert [e["starts_on"] for e in client.get(first["next"]).json()["results"]] == ["2024-01-01"]
    on = client.get(url, {"active_on": "2024-05-15"}).json()
    assert [e["starts_on"] for e in on["results"]] == ["2024-04-01"]
    other = FeeStandardFactory(community=world.a, name="车位")
    assert client.get(url, {"standard": other.pk}).json()["count"] == 0
    assert client.get(url, {"standard": billable.pk}).json()["count"] == 3


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"active_on": "2024-02-30"}, 400),
        ({"standard": "x"}, 400),
        ({"page": "9"}, 404),
        ({"page": "x"}, 404),
    ],
)
def test_bad_unit_exception_queries(world, billable, query, status):
    unit = UnitFactory(community=world.a)
    _exceptions(world, billable, unit)
    url = reverse("billing-api:unit-exceptions", args=[unit.pk])
    response = world.client("supervisor").get(url, query)
    assert response.status_code == status
    if status == 400:
        assert set(response.json()) == set(query)


def test_the_new_lists_keep_a_fixed_number_of_queries(
    world, posted, flagged, django_assert_max_num_queries
):
    unit = posted.entries.first().unit
    for n in range(4):
        FeeStandardFactory(community=world.a, name=f"标准{n}")
        standard = FeeStandard.objects.get(name=f"标准{n}")
        UnitFeeException.objects.create(
            community=world.a,
            unit=unit,
            standard=standard,
            starts_on=dt.date(2024, 1, 1),
            reason="决议",
            created_by=world.user("cashier"),
        )
    checks = [
        ("area_manager", "run-detail", {"pk": posted.pk}, 3),
        ("supervisor", "unit-exceptions", {"pk": unit.pk}, 4),
        ("engineering_lead", "reading-flagged", {}, 1),
        ("cashier", "arrears", {}, 1),
    ]
    for role, name, kwargs, rows in checks:
        client = world.client(role)
        with django_assert_max_num_queries(12):
            data = send(client, "get", name, **kwargs).json()
        found = data["lines"]["results"] if name == "run-detail" else data
        found = found if name == "run-detail" else found["results"]
        assert len(found) == rows


def test_a_large_community_is_posted_by_a_job_with_its_progress(
    world, item, billable, clock, monkeypatch, django_capture_on_commit_callbacks
):
    from guanjia.billing.services import runs
    from guanjia.core.jobs.models import JobRun

    monkeypatch.setattr(runs, "JOB_THRESHOLD_UNITS", 2)  # the three units make a large run
    client = world.client("cashier")
    body = {"community": world.a.pk, "period": "2024-02", "fee_item": item.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "post", "run-post", body)
    assert response.status_code == 202
    job = JobRun.objects.get(pk=response.json()["id"])
    assert (job.status, job.result["added"]) == ("succeeded", 3), job.error
    status = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (status["is_finished"], status["result"]["added"]) == (True, 3)
    assert LedgerEntry.objects.filter(kind="charge").count() == 3
