"""The cashier's day: opened with a float, counted by denomination with over or short
explained, closed by finance (never the cashier), nothing posting into a day not open."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from guanjia.cashier.models import CashierSession, Payment, SessionStatus
from guanjia.cashier.selectors import day_summary
from guanjia.cashier.services import (
    PaymentRequest,
    close_session,
    count_session,
    open_session,
    return_session,
    take_payment,
    void_receipt,
)
from guanjia.core.workflows import WorkflowDenied, WorkflowError

from .conftest import set_community_policy
from .factories import code_of, day_of, pay

pytestmark = pytest.mark.usefixtures("no_late_fees")


@pytest.fixture
def day(world, cashier):
    return open_session(community=world.a, float_amount=Decimal("200.00"), by=cashier)


def test_opening_a_day_records_the_float_and_an_event(day, cashier):
    assert (day.status, day.float_amount, day.business_day) == (
        "open",
        Decimal("200.00"),
        dt.date(2024, 3, 20),
    )
    event = day.events.get()
    assert (event.actor, event.action, event.to_status) == (cashier, "created", "open")


def test_a_second_day_before_the_first_is_closed_is_refused(world, day, cashier):
    with pytest.raises(ValidationError) as caught:
        open_session(community=world.a, float_amount=Decimal("1"), by=cashier)
    assert code_of(caught.value) == "session_not_closed"
    assert CashierSession.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("-1", "bad_amount"),
        ("1.001", "bad_amount"),
        ("abc", "bad_amount"),
        ("NaN", "bad_amount"),
        ("100000.01", "too_large"),
    ],
)
def test_a_bad_float_is_refused(world, cashier, value, code):
    with pytest.raises(ValidationError) as caught:
        open_session(community=world.a, float_amount=value, by=cashier)
    assert code_of(caught.value) == code
    assert not CashierSession.objects.exists()


def test_only_a_cashier_opens_a_day(world):
    with pytest.raises(PermissionDenied):
        open_session(community=world.a, float_amount=Decimal("1"), by=world.user("finance"))


def test_the_day_totals_by_method_and_item_and_lists_voided_receipts(unit, day, cashier):
    pay(unit, "100.00", cashier, tendered=Decimal("100.00"))
    pay(unit, "30.50", cashier, method="wechat", reference="4200000001")
    spoiled = pay(unit, "5.00", cashier).receipt
    void_receipt(receipt=spoiled, reason="打错", by=cashier)
    summary = day_summary(day)
    assert [(t.label, t.count, t.amount) for t in summary.by_method] == [
        ("Cash", 1, Decimal("100.00")),
        ("WeChat Pay", 1, Decimal("30.50")),
    ]
    assert [(t.label, t.amount) for t in summary.by_item] == [
        ("水费", Decimal("30.50")),
        ("物业服务费", Decimal("100.00")),
    ]
    assert (summary.total, summary.cash, summary.expected_cash) == (
        Decimal("130.50"),
        Decimal("100.00"),
        Decimal("300.00"),
    )
    assert [p.receipt.number for p in summary.voided] == ["SJ-2024-000003"]
    assert summary.number_range == ("SJ-2024-000001", "SJ-2024-000003")


def test_a_count_that_matches_needs_no_explanation(unit, day, cashier):
    pay(unit, "100.00", cashier)
    count_session(session=day, denominations={"100": 3}, explanation="", by=cashier)
    day.refresh_from_db()
    assert (day.status, day.counted_cash, day.expected_cash, day.over_short) == (
        "counted",
        Decimal("300.00"),
        Decimal("300.00"),
        Decimal("0.00"),
    )
    assert day.denominations == {"100": 3}


def test_a_shortage_is_recorded_with_its_explanation(unit, day, cashier):
    pay(unit, "100.00", cashier)
    with pytest.raises(ValidationError) as caught:
        count_session(session=day, denominations={"100": 2, "50": 1}, explanation="", by=cashier)
    assert code_of(caught.value) == "explanation_required"
    assert CashierSession.objects.get().status == "open"
    count_session(
        session=day, denominations={"100": 2, "50": 1}, explanation="找错零钱", by=cashier
    )
    day.refresh_from_db()
    assert (day.over_short, day.explanation) == (Decimal("-50.00"), "找错零钱")


@pytest.mark.parametrize(
    ("counts", "code"),
    [
        ({"200": 1}, "bad_denomination"),
        ({"100": -1}, "bad_count"),
        ({"100": "1.5"}, "bad_count"),
        ({"100": "x"}, "bad_count"),
        ({"100": 100_001}, "bad_count"),
        ({"100": True}, "bad_count"),
    ],
)
def test_a_bad_count_is_refused(day, cashier, counts, code):
    with pytest.raises(ValidationError) as caught:
        count_session(session=day, denominations=counts, explanation="", by=cashier)
    assert code_of(caught.value) == code
    assert CashierSession.objects.get().status == "open"


def test_cash_above_the_overnight_limit_is_flagged(world, unit, day, cashier):
    set_community_policy(world, "cashier.max_cash_overnight", "250.00")
    pay(unit, "100.00", cashier)
    count_session(session=day, denominations={"100": 3}, explanation="", by=cashier)
    day.refresh_from_db()
    assert day.cash_over_limit


def test_nothing_posts_into_a_counted_or_closed_day(world, unit, day, cashier):
    def take() -> None:
        request = PaymentRequest(
            unit=unit, amount=Decimal("10.00"), method="cash", idempotency_key=uuid.uuid4().hex
        )
        take_payment(request=request, by=cashier)

    count_session(session=day, denominations={"100": 2}, explanation="", by=cashier)
    with pytest.raises(ValidationError) as caught:
        take()
    assert code_of(caught.value) == "no_open_session"
    close_session(session=day, note="", by=world.user("finance"))
    with pytest.raises(ValidationError) as caught:
        take()
    assert code_of(caught.value) == "no_open_session"
    assert not Payment.objects.exists()


def test_finance_closes_a_counted_day_and_a_new_day_can_open(world, day, cashier):
    count_session(session=day, denominations={"100": 2}, explanation="", by=cashier)
    finance = world.user("finance")
    close_session(session=day, note="已复核", by=finance)
    day.refresh_from_db()
    assert (day.status, day.closed_by) == (SessionStatus.CLOSED, finance)
    assert [e.to_status for e in day.events.all()] == ["open", "counted", "closed"]
    assert open_session(community=world.a, float_amount=Decimal("200"), by=cashier).status == "open"


def test_the_cashier_does_not_close_their_own_day(world, day, cashier):
    count_session(session=day, denominations={"100": 2}, explanation="", by=cashier)
    with pytest.raises(WorkflowDenied):
        close_session(session=day, note="", by=cashier)
    assert CashierSession.objects.get().status == "counted"


def test_an_open_day_is_not_closed_before_it_is_counted(world, day):
    with pytest.raises(WorkflowError) as caught:
        close_session(session=day, note="", by=world.user("finance"))
    assert caught.value.code == "move_not_allowed"


def test_only_its_cashier_counts_a_day(world, day):
    with pytest.raises(WorkflowDenied):
        count_session(
            session=day, denominations={"100": 2}, explanation="", by=world.user("finance")
        )


def test_finance_sends_a_day_back_with_a_reason_and_the_cashier_recounts(world, day, cashier):
    count_session(session=day, denominations={"100": 2}, explanation="", by=cashier)
    with pytest.raises(ValidationError) as caught:
        return_session(session=day, reason="", by=world.user("finance"))
    assert code_of(caught.value) == "reason_required"
    return_session(session=day, reason="请重新清点", by=world.user("finance"))
    day.refresh_from_db()
    assert day.status == "open"
    count_session(session=day, denominations={"100": 2}, explanation="", by=cashier)
    assert CashierSession.objects.get().status == "counted"


def test_the_daily_report_prints_and_makes_a_pdf(world, unit, day, cashier):
    pay(unit, "100.00", cashier)
    client = world.client("finance")
    url = reverse("cashier:session-report", kwargs={"pk": day.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "收款日报表" in page.text
    assert "SJ-2024-000001" in page.text
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_the_day_page_counts_with_the_form_and_shows_errors_on_it(world, unit, day, cashier):
    client = world.client("cashier")
    pay(unit, "100.00", cashier)
    url = reverse("cashier:session-count", kwargs={"pk": day.pk})
    bad = client.post(url, {"n_100": "2", "explanation": ""})
    assert bad.status_code == 400
    assert "长短款" in bad.text
    assert client.post(url, {"n_100": "x"}).status_code == 400
    good = client.post(url, {"n_100": "3", "explanation": ""})
    assert good.status_code == 302
    assert CashierSession.objects.get().status == "counted"


def test_list_pages_cost_the_same_queries_for_one_row_or_many(world, unit, cashier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("finance")
    day_of(cashier, world.a)
    pay(unit, "1.00", cashier)
    day = day_of(cashier, world.a)
    urls = [
        reverse("cashier:payment-list"),
        reverse("cashier:receipt-list"),
        reverse("cashier:session-list"),
        reverse("cashier:session-detail", kwargs={"pk": day.pk}),
        reverse("cashier:session-report", kwargs={"pk": day.pk}),
    ]
    counts = {}
    client.get(urls[0])  # the session and the user's access, read once
    for url in urls:
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        counts[url] = len(one)
    for _ in range(6):
        pay(unit, "1.00", cashier, method="alipay", reference="2024032022001")
    for url in urls:
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == counts[url], url


def test_a_day_left_open_overnight_takes_no_payment_the_next_day(unit, day, cashier, today):
    today.move_to(dt.datetime(2024, 3, 21, 2, tzinfo=dt.UTC))
    request = PaymentRequest(
        unit=unit, amount=Decimal("10.00"), method="cash", idempotency_key=uuid.uuid4().hex
    )
    with pytest.raises(ValidationError) as caught:
        take_payment(request=request, by=cashier)
    assert code_of(caught.value) == "day_not_today"
    assert "2024-03-20" in caught.value.messages[0]
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("session-close", {"note": "注" * 501}, "note"),
        ("session-return", {"reason": ""}, "reason"),
        ("session-return", {"reason": "理" * 201}, "reason"),
    ],
)
def test_finance_bad_input_on_a_counted_day_is_a_400_and_the_day_stays_counted(
    world, day, cashier, name, data, field
):
    count_session(session=day, denominations={"100": 2}, explanation="", by=cashier)
    response = world.client("finance").post(reverse(f"cashier:{name}", kwargs={"pk": day.pk}), data)
    assert response.status_code == 400
    assert field in response.context[f"{name.split('-')[1]}_form"].errors
    assert CashierSession.objects.get().status == "counted"


@pytest.mark.parametrize("value", ["", "-1", "1.001", "abc", "100001"])
def test_a_bad_float_on_the_counter_page_is_shown_and_opens_nothing(world, value):
    client = world.client("cashier")
    response = client.post(reverse("cashier:session-open"), {"float_amount": value}, follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not CashierSession.objects.exists()


def test_a_long_search_is_cut_and_answers(world, cashier):
    response = world.client("cashier").get(reverse("cashier:counter"), {"q": "王" * 300})
    assert response.status_code == 200
