"""In a real browser, with the keyboard only: the cashier opens the day, finds a unit, takes
a partial payment, sees where it goes, confirms, and the receipt's QR page verifies it."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from guanjia.cashier.models import Payment, Receipt
from guanjia.core.tests.browser.harness import login, screenshot

from .factories import charge, item, owned_unit

pytestmark = pytest.mark.browser


@pytest.fixture
def today():
    """The live server and the browser run on the real clock (no time travel here)."""
    return None


def test_a_partial_payment_at_the_counter_and_its_receipt_verified(empty_ledger_after, page, world):
    cashier = world.user("cashier")
    unit = owned_unit(world.a, owner="赵业主")
    month = timezone.localdate().replace(day=1)
    charge(unit, item(world.a, "service", "物业服务费"), month, "300.00", cashier)

    login(page, cashier.username)
    page.goto("/cashier/")
    page.focus("#id_float_amount")
    page.keyboard.type("200")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cashier/days/\d+/$"))

    page.goto("/cashier/")
    page.keyboard.type(unit.room_code)  # the search box has the focus
    page.keyboard.press("Enter")
    page.get_by_role("link", name="收款").last.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/cashier/units/{unit.pk}/$"))
    page.keyboard.type("120.50")  # the amount has the focus
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/preview/$"))
    assert "179.50" in page.content()  # left owing on the month's service fee
    screenshot(page, "cashier-preview")
    page.keyboard.press("Enter")  # the confirmation button has the focus
    page.wait_for_url(re.compile(r"/cashier/receipts/\d+/$"))
    receipt = Receipt.objects.get()
    assert receipt.number in page.content()
    assert "壹佰贰拾元伍角整" in page.content()
    assert Payment.objects.get().amount == Decimal("120.50")

    page.goto(f"/cashier/verify/{receipt.token}/")
    text = page.content()
    assert receipt.number in text
    assert "有效" in text
    assert "赵业主" not in text
    screenshot(page, "cashier-verify")


def test_an_arrears_case_from_reminder_to_promise_to_instalment_plan(
    empty_ledger_after, page, world
):
    import datetime as dt

    from guanjia.cashier.models import ArrearsCase
    from guanjia.cashier.services import open_case

    cashier, supervisor = world.user("cashier"), world.user("supervisor")
    unit = owned_unit(world.a, owner="钱业主")
    month = timezone.localdate().replace(day=1)
    charge(unit, item(world.a, "service", "物业服务费"), month, "300.00", cashier)
    case = open_case(unit=unit, by=cashier)
    today = timezone.localdate()

    login(page, cashier.username)
    page.goto(f"/cashier/cases/{case.pk}/")
    step = page.locator('form[data-form="step"]')
    step.locator('select[name="stage"]').select_option("phone")
    step.locator('input[name="done_on"]').fill(today.isoformat())
    step.locator('select[name="method"]').select_option("phone")
    step.locator('input[name="contact"]').fill("钱业主")
    step.locator('textarea[name="answer"]').fill("下周交一部分")
    step.locator('button[type="submit"]').click()
    page.wait_for_url(re.compile(rf"/cashier/cases/{case.pk}/$"))
    assert "下周交一部分" in page.content()

    promise = page.locator('form[data-form="promise"]')
    promise.locator('input[name="pay_by"]').fill((today + dt.timedelta(days=7)).isoformat())
    promise.locator('input[name="amount"]').fill("100")
    promise.locator('button[type="submit"]').click()
    page.wait_for_url(re.compile(rf"/cashier/cases/{case.pk}/$"))
    assert 'data-promise-state="waiting"' in page.content()
    screenshot(page, "cashier-case-promise")

    page.context.clear_cookies()
    login(page, supervisor.username)
    page.goto(f"/cashier/cases/{case.pk}/")
    plan = page.locator('form[data-form="plan"]')
    first, second = today + dt.timedelta(days=10), today + dt.timedelta(days=40)
    plan.locator('textarea[name="schedule"]').fill(
        f"{first.isoformat()} 100\n{second.isoformat()} 200"
    )
    plan.locator('button[type="submit"]').click()
    page.wait_for_url(re.compile(rf"/cashier/cases/{case.pk}/$"))
    assert 'data-plan-progress="0"' in page.content()
    screenshot(page, "cashier-case-plan")
    case.refresh_from_db()
    assert case.status == "instalment"
    assert ArrearsCase.objects.get(pk=case.pk).instalment_plan.lines.count() == 2
