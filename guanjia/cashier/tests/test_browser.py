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
