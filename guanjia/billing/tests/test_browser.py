"""In a real browser: the cashier previews a month's bills and posts them once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from guanjia.billing.db import ledger_maintenance
from guanjia.billing.models import LedgerEntry
from guanjia.core.tests.browser.harness import login, screenshot
from guanjia.estates.tests.factories import OwnershipFactory, UnitFactory

from .factories import FeeItemFactory, FeeStandardFactory, FeeStandardVersionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def empty_ledger_after(transactional_db):
    """The database is emptied after each browser test; the ledger's triggers refuse
    DELETE, so lift them for that."""
    yield
    with ledger_maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_ledgerentry")


def test_the_cashier_previews_and_posts_a_run(empty_ledger_after, page, world):
    item = FeeItemFactory(company=world.company, code="service", name="物业服务费")
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    for unit in UnitFactory.create_batch(2, community=world.a):
        OwnershipFactory(unit=unit)
    month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")  # noqa: DTZ011
    cashier = world.user("cashier")

    login(page, cashier.username)
    page.goto(f"/billing/runs/preview/?period={month}&fee_item={item.pk}")
    summary = page.locator("#preview-summary")
    assert "¥" in summary.inner_text()
    screenshot(page, "billing-preview")
    page.check("#id_confirm")
    page.click("#post-button")
    page.wait_for_selector("#run-status")
    assert LedgerEntry.objects.filter(kind="charge").count() == 2
    page.goto(f"/billing/runs/preview/?period={month}&fee_item={item.pk}")
    assert page.locator("#post-button").count() == 0  # nothing left to post
    assert not page.js_errors


def test_the_cashier_changes_a_standard_and_finance_approves_the_change(page, world):
    item = FeeItemFactory(company=world.company, code="service", name="物业服务费")
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    cashier, finance = world.user("cashier"), world.user("finance")

    login(page, cashier.username)
    page.goto(f"/billing/standards/{standard.pk}/edit/")
    page.select_option("#id_rounding", "jiao")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#standard-change")
    assert "修改待审批" in page.locator("#standard-change").inner_text()
    assert page.locator("#standard-change form").count() == 0  # the proposer cannot decide
    page.context.clear_cookies()

    login(page, finance.username)
    page.goto(f"/billing/standards/{standard.pk}/")
    card = page.locator("#standard-change")
    card.locator("input[name=approval_ref]").fill("深价备〔2026〕7号")
    screenshot(page, "billing-standard-change")
    card.locator("button.btn-success").click()
    page.wait_for_selector("#standard-history")
    assert page.locator("#standard-change").count() == 0
    standard.refresh_from_db()
    assert (standard.rounding, standard.pending_change, standard.approval_ref) == (
        "jiao",
        {},
        "深价备〔2026〕7号",
    )
    assert not page.js_errors


def test_the_overview_reads_on_a_phone(empty_ledger_after, browser, live_server, world):
    from guanjia.billing.services import post_run
    from guanjia.core.tests.browser.harness import PHONE

    item = FeeItemFactory(company=world.company, code="service", name="物业服务费")
    standard = FeeStandardFactory(community=world.a, fee_item=item, name="住宅")
    FeeStandardVersionFactory(standard=standard, rate=Decimal("2.5"))
    for unit in UnitFactory.create_batch(3, community=world.a):
        OwnershipFactory(unit=unit)
    month = dt.date.today().replace(day=1) - dt.timedelta(days=1)  # noqa: DTZ011
    post_run(
        community=world.a, period=month.replace(day=1), fee_item=item, by=world.user("cashier")
    )
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    login(page, world.user("director").username)
    page.goto("/billing/")
    page.wait_for_selector("svg.chart-trend")
    assert "物业服务费" in page.locator("main").inner_text()
    # The page itself never scrolls sideways; a wide chart scrolls inside its figure.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    width = page.evaluate("document.querySelector('svg.chart-trend').getBoundingClientRect().width")
    assert width >= 500  # labels stay readable: the trend is not squeezed to 375 px
    screenshot(page, "billing-overview-phone")
    context.close()
