"""Lists and charts on a phone-sized screen (375×740): the filter bar folds behind a button so
the list comes first, the table scrolls sideways with one-line headers, and a monthly chart
opens at its latest month. Screenshots: /tmp/guanjia-phone-*.png."""

from __future__ import annotations

import pytest

from guanjia.core.tests.browser.harness import DESKTOP, PHONE, TIMEOUT_MS, login, screenshot
from guanjia.tickets.tests.factories import complaint

pytestmark = pytest.mark.browser


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_a_list_on_a_phone_shows_the_rows_first_and_headers_on_one_line(
    browser, live_server, world
):
    for _ in range(3):
        complaint(world, world.a, "handling")
    context = _phone(browser, live_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, world.user("supervisor").username)
    page.goto("/tickets/complaints/?mine=")
    # The filters are folded: the first row of the list is on the first screen.
    assert not page.locator("#list-filters form").is_visible()
    first_row = page.locator("table tbody tr").first.bounding_box()
    assert first_row is not None
    assert first_row["y"] + first_row["height"] < PHONE["height"]
    # Headers on one line: each as high as the shortest, none a character a line.
    heights = [
        h["height"]
        for h in page.locator("table thead th").evaluate_all(
            "ths => ths.map(th => ({height: th.getBoundingClientRect().height}))"
        )
    ]
    assert max(heights) < 1.5 * min(heights)
    # The table scrolls sideways inside its box, the page itself does not.
    wide = page.locator(".table-responsive").evaluate("el => el.scrollWidth > el.clientWidth")
    assert wide
    page_wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_wide <= PHONE["width"]
    screenshot(page, "phone-complaint-list")

    page.click("[data-filter-toggle]")
    page.wait_for_selector("#list-filters.collapse.show")
    assert page.locator("#list-filters select[name=mine]").is_visible()
    screenshot(page, "phone-complaint-filters")
    assert errors == []
    context.close()


def test_a_monthly_chart_on_a_phone_opens_at_the_latest_month(browser, live_server, world):
    for state in ("resolved", "handling"):
        complaint(world, world.a, state)  # this month's figures: the charts are drawn
    context = _phone(browser, live_server)
    page = context.new_page()
    login(page, world.user("supervisor").username)
    page.goto("/tickets/kpis/")
    figure = page.locator(".chart-figure:has(svg.chart-trend)").first
    figure.scroll_into_view_if_needed()
    left, most = figure.evaluate("f => [f.scrollLeft, f.scrollWidth - f.clientWidth]")
    assert most > 0  # wider than the phone: it scrolls
    assert left >= most - 1  # at its right end, the latest month
    screenshot(page, "phone-kpi-chart")
    context.close()


def test_on_a_desktop_the_filters_are_open(page, world):
    login(page, world.user("supervisor").username)
    page.goto("/tickets/complaints/")
    assert page.viewport_size == DESKTOP
    assert page.locator("#list-filters form").is_visible()
    assert not page.locator("[data-filter-toggle]").is_visible()
