"""Late fees: principal × rate × days rounded once per bill, after the grace days, up to the
cap, whatever the accrual cadence."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from guanjia.billing.models import EntryKind, LedgerEntry
from guanjia.billing.selectors import ledger_problems
from guanjia.billing.services import (
    Posting,
    RateFrom,
    accrue_late_fees,
    late_fee_through,
    post_entries,
)
from guanjia.core.policies.services import set_policy

JAN = dt.date(2024, 1, 1)


def contract(world, **values):
    with time_machine.travel(dt.datetime(2023, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        for key, value in values.items():
            set_policy(
                key=f"billing.{key}",
                value=value,
                community=world.a,
                reason="合同",
                by=world.user("finance"),
                effective_from=JAN,
            )


def at(day: dt.date):
    """Travel to 10:00 (Beijing) of `day`: what is posted there is dated that day."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(2, tzinfo=dt.UTC)), tick=False)


def post(world, unit, item, by, amount, kind=EntryKind.CHARGE, on=dt.date(2024, 1, 31)):
    with at(on):
        post_entries(
            community=world.a,
            by=by,
            postings=[
                Posting(
                    unit_id=unit.pk,
                    fee_item_id=item.pk,
                    period=JAN,
                    kind=kind,
                    amount=Decimal(amount),
                )
            ],
        )


@pytest.fixture
def bill(world, unit, item, cashier):
    post(world, unit, item, cashier, "223.75")


def late_fees():
    return list(
        LedgerEntry.objects.filter(kind=EntryKind.LATE_FEE).values_list("amount", flat=True)
    )


def through(billed, days, rate, cap="1", entries=None, rates=None):
    first = dt.date(2024, 2, 1)
    return late_fee_through(
        billed=Decimal(billed),
        entries=entries if entries is not None else [(JAN, Decimal(billed))],
        first_day=first,
        last_day=first + dt.timedelta(days=days - 1),
        rates=rates or [RateFrom(first, Decimal(rate))],
        cap_ratio=Decimal(cap),
    )


def test_one_day_of_late_fee_is_the_daily_rate_on_the_principal():
    assert through("223.75", 1, "0.003") == Decimal("0.67")


def test_the_late_fee_is_rounded_once_not_each_day():
    # 45 days at 0.05 %: 223.90 × 0.0005 × 45 = 5.03775 → 5.04, not 45 × 0.11 = 4.95.
    assert through("223.90", 45, "0.0005") == Decimal("5.04")


def test_the_cap_stops_late_fees_at_the_ratio_of_the_principal():
    assert through("100.00", 400, "0.003", cap="0.1") == Decimal("10.00")


def test_a_payment_lowers_the_principal_from_its_day_on():
    # 100.00 for 10 days, then 40.00 for 10 days, at 0.1 %: 1.00 + 0.40.
    entries = [(JAN, Decimal("100.00")), (dt.date(2024, 2, 11), Decimal("-60.00"))]
    assert through("100.00", 20, "0.001", entries=entries) == Decimal("1.40")


def test_a_rate_change_applies_from_its_effective_day():
    rates = [
        RateFrom(dt.date(2024, 2, 1), Decimal("0.001")),
        RateFrom(dt.date(2024, 2, 6), Decimal("0.002")),
    ]
    assert through("100.00", 10, "0", rates=rates) == Decimal("1.50")


def test_an_overpaid_bill_accrues_nothing_and_gives_nothing_back():
    entries = [(JAN, Decimal("100.00")), (dt.date(2024, 2, 3), Decimal("-150.00"))]
    assert through("100.00", 30, "0.001", entries=entries) == Decimal("0.20")


FEN = st.integers(min_value=1, max_value=10_000_000).map(lambda fen: Decimal(fen) / 100)
RATES = st.integers(min_value=1, max_value=100).map(lambda r: Decimal(r) / 10_000)


@settings(max_examples=300, deadline=None)
@given(principal=FEN, rate=RATES, days=st.integers(1, 800), step=st.integers(1, 40))
def test_any_cadence_posts_principal_times_rate_times_days_rounded_once(
    principal, rate, days, step
):
    """Accruing every `step` days (daily, weekly, after missed days) posts, in all, the one
    rounded total: what each accrual posts is the rounded total so far less what is posted."""
    posted = Decimal("0.00")
    for day in [*range(step, days, step), days]:
        posted += through(str(principal), day, str(rate)) - posted
    expected = (principal * rate * days).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert posted == min(expected, principal)
    assert through(str(principal), days, str(rate)) == min(expected, principal)


@settings(max_examples=200, deadline=None)
@given(
    principal=FEN,
    rate=RATES,
    paid_share=st.integers(0, 100),
    paid_after=st.integers(0, 200),
    days=st.integers(1, 400),
)
def test_a_partial_payment_changes_the_principal_from_its_date_on(
    principal, rate, paid_share, paid_after, days
):
    paid = (principal * paid_share / 100).quantize(Decimal("0.01"))
    first = dt.date(2024, 2, 1)
    entries = [(JAN, principal), (first + dt.timedelta(days=paid_after), -paid)]
    before = min(paid_after, days)
    exact = principal * rate * before + (principal - paid) * rate * (days - before)
    expected = min(exact.quantize(Decimal("0.01"), "ROUND_HALF_UP"), principal)
    assert through(str(principal), days, str(rate), entries=entries) == expected


def test_no_late_fee_on_or_before_the_due_date_and_grace_days(world, bill, clock):
    contract(world, late_fee_grace_days="3")
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 3)) == 0
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 4)) == 1
    assert late_fees() == [Decimal("0.67")]


def test_a_day_accrues_once(world, bill, clock):
    day = dt.date(2024, 2, 10)
    accrue_late_fees(community=world.a, day=day)
    assert accrue_late_fees(community=world.a, day=day) == 0
    assert len(late_fees()) == 1
    assert ledger_problems() == []


def test_a_paid_bill_accrues_nothing(world, unit, item, bill, cashier, clock):
    post(world, unit, item, cashier, "-223.75", kind=EntryKind.PAYMENT, on=dt.date(2024, 1, 31))
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 10)) == 0


def test_daily_accruals_add_up_to_the_total_rounded_once(world, unit, item, cashier, clock):
    contract(world, late_fee_daily_rate="0.0005")
    post(world, unit, item, cashier, "223.90")
    for offset in range(45):
        accrue_late_fees(community=world.a, day=dt.date(2024, 2, 1) + dt.timedelta(days=offset))
    assert sum(late_fees()) == Decimal("5.04")
    assert ledger_problems() == []


def test_catching_up_posts_what_daily_accruals_would_have(world, unit, item, cashier, clock):
    contract(world, late_fee_daily_rate="0.0005")
    post(world, unit, item, cashier, "223.90")
    post(world, unit, item, cashier, "-100.00", kind=EntryKind.PAYMENT, on=dt.date(2024, 2, 21))
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 3, 16)) == 1
    # 20 days on 223.90, then 25 on 123.90: 2.239 + 1.54875 = 3.78775 → 3.79.
    assert late_fees() == [Decimal("3.79")]
    entry = LedgerEntry.objects.get(kind=EntryKind.LATE_FEE)
    assert entry.explanation["days"] == 45
    assert entry.explanation["total"] == "3.79"


def test_a_bill_posted_after_its_due_date_accrues_from_its_posting(
    world, unit, item, cashier, clock
):
    post(world, unit, item, cashier, "100.00", on=dt.date(2024, 2, 10))
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 9)) == 0
    accrue_late_fees(community=world.a, day=dt.date(2024, 2, 19))
    assert late_fees() == [Decimal("3.00")]


def test_late_fees_post_into_the_month_they_accrue_in(world, bill, clock):
    accrue_late_fees(community=world.a, day=dt.date(2024, 3, 5))
    entry = LedgerEntry.objects.get(kind=EntryKind.LATE_FEE)
    assert entry.period == dt.date(2024, 3, 1)
    assert entry.bill_ref == "late:2024-01:2024-03-05"
    assert entry.created_by is None


def test_the_rates_of_a_span_are_the_contracts_and_the_company_defaults_changes(world):
    """rates_between reads core's policy_over: the community's contract rate from its day,
    the company default before it, nothing of another community."""
    from guanjia.billing.services.late_fees import rates_between
    from guanjia.core.policies.selectors import clear_policy_cache
    from guanjia.core.policies.tests.factories import value_row

    key = "billing.late_fee_daily_rate"
    value_row(key, "0.001", company=world.company, effective_from=JAN)
    value_row(key, "0.0005", company=world.company, community=world.a, effective_from=FEB_10)
    value_row(key, "0.002", company=world.company, community=world.b, effective_from=JAN_20)
    clear_policy_cache()
    assert rates_between(world.a, JAN, dt.date(2024, 3, 31)) == [
        RateFrom(JAN, Decimal("0.001")),
        RateFrom(FEB_10, Decimal("0.0005")),
    ]


FEB_10 = dt.date(2024, 2, 10)
JAN_20 = dt.date(2024, 1, 20)


def test_a_zero_rate_contract_has_no_late_fees(world, bill, clock):
    contract(world, late_fee_daily_rate="0")
    assert accrue_late_fees(community=world.a, day=dt.date(2024, 2, 10)) == 0


def test_the_scheduled_job_accrues_yesterday_once(world, bill, clock):
    from guanjia.billing.services.late_fees import accrue_late_fees_daily

    assert accrue_late_fees_daily()["a"] == 1
    assert accrue_late_fees_daily()["a"] == 0
    # Yesterday is 2024-03-19: 48 chargeable days since 1 February, none posted before, so
    # the job posts them all at once (223.75 × 0.003 × 48 = 32.22).
    assert late_fees() == [Decimal("32.22")]


def test_a_waiver_of_late_fees_is_requested_up_to_what_is_owed(world, unit, item, bill, clock):
    from django.core.exceptions import ValidationError

    from guanjia.billing.models import WaiverRequest
    from guanjia.billing.services import request_late_fee_waiver

    accrue_late_fees(community=world.a, day=dt.date(2024, 2, 10))  # 10 days: 6.71
    cashier = world.user("cashier")
    request_late_fee_waiver(
        unit=unit, fee_item=item, amount=Decimal("6.30"), reason="困难户", by=cashier
    )
    with pytest.raises(ValidationError) as info:
        request_late_fee_waiver(
            unit=unit, fee_item=item, amount=Decimal("0.50"), reason="困难户", by=cashier
        )
    assert info.value.code == "waiver_too_large"
    waiver = WaiverRequest.objects.get()
    assert waiver.status == "requested"
    assert list(waiver.events.values_list("action", "to_status", "actor", "note")) == [
        ("requested", "requested", cashier.pk, "困难户")
    ]
    assert not LedgerEntry.objects.filter(kind=EntryKind.WAIVER).exists()


class TestLateFeePages:
    """The community's and a unit's late fees as of a day, before the job posts them."""

    @pytest.fixture(autouse=True)
    def _english(self, world):
        world.language = "en"

    def test_the_community_page_shows_late_fees_to_a_chosen_day_and_the_rule(
        self, clock, world, unit, item, bill, django_assert_max_num_queries
    ):
        from django.urls import reverse

        client = world.client("cashier")
        with django_assert_max_num_queries(25):
            response = client.get(reverse("billing:late-fee-list"), {"on": "2024-02-10"})
        page = response.content.decode()
        assert response.status_code == 200
        assert unit.room_code in page
        assert "¥6.71" in page  # 223.75 × 0.003 × 10, nothing posted yet
        assert "0.3 % a day" in page
        assert not LedgerEntry.objects.filter(kind=EntryKind.LATE_FEE).exists()

    def test_the_unit_page_shows_what_is_posted_and_what_is_not(
        self, clock, world, unit, item, bill
    ):
        from django.urls import reverse

        accrue_late_fees(community=world.a, day=dt.date(2024, 2, 5))
        client = world.client("cashier")
        url = reverse("billing:unit-late-fees", args=[unit.pk])
        page = client.get(url, {"on": "2024-02-10"}).content.decode()
        assert "¥6.71" in page  # to the 10th
        assert "¥3.36" in page  # posted to the 5th

    def test_today_is_the_default_day(self, clock, world, unit, item, bill):
        from django.urls import reverse

        page = world.client("cashier").get(reverse("billing:late-fee-list")).content.decode()
        assert 'value="2024-03-20"' in page
        assert "¥32.89" in page  # 49 days to 20 March

    @pytest.mark.parametrize("day", ["2024-13-01", "yesterday", "1900-01-01", "2099-01-01"])
    def test_a_bad_day_is_explained_and_today_is_shown(self, clock, world, bill, day):
        from django.urls import reverse

        response = world.client("cashier").get(reverse("billing:late-fee-list"), {"on": day})
        assert response.status_code == 400
        assert 'class="invalid-feedback"' in response.content.decode()
