"""In a real browser, on a phone-sized screen: a spot check with a failure proposes a
penalty; the director confirms the facts and the employee acknowledges it."""

import re

import pytest

from guanjia.conduct.models import ConductRecord, SpotCheck
from guanjia.core.tests.browser.harness import PHONE, login, screenshot

pytestmark = pytest.mark.browser


def _phone(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    login(page, username)
    return page


def test_a_failed_spot_check_becomes_a_confirmed_acknowledged_penalty(
    browser, live_server, transactional_db, world
):
    employee = world.user("receptionist")
    director = world.user("director")
    supervisor = _phone(browser, live_server, world.user("supervisor").username)
    supervisor.goto("/conduct/checks/new/")
    supervisor.select_option("select[name=employee]", str(employee.pk))
    supervisor.select_option("select[name=cadence]", "daily")
    supervisor.click("form[data-check-new] button[type=submit]")
    supervisor.wait_for_url(re.compile(r"/conduct/checks/\d+/$"))
    check = SpotCheck.objects.get()
    items = list(check.items.order_by("position"))
    for item in items:
        supervisor.check(f"[data-item='{item.pk}'] input[value=pass]")
    supervisor.check(f"[data-item='{items[1].pk}'] input[value=fail]")
    supervisor.fill(f"input[name=item-{items[1].pk}-note]", "未佩戴工牌")
    supervisor.select_option("select[name=propose_level]", label="口头警告 (-2)")
    supervisor.click("form[data-check-form] button[type=submit]")
    supervisor.wait_for_selector(".alert-success")
    # The check's page never scrolls sideways on the phone.
    overflow = supervisor.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = supervisor.evaluate(
        "() => [...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 10)"
    )
    assert overflow <= 0, wide
    record = ConductRecord.objects.get(spot_check=check)
    assert record.status == "proposed"

    boss = _phone(browser, live_server, director.username)
    boss.goto(f"/conduct/records/{record.pk}/")
    boss.click("form[data-step=confirm] button[type=submit]")
    boss.wait_for_selector("[data-status]:has-text('事实已核实')")

    own = _phone(browser, live_server, employee.username)
    own.goto(f"/conduct/checks/{check.pk}/")
    own.click("form[data-sign] button[type=submit]")
    own.wait_for_selector(".alert-success")
    own.goto(f"/conduct/records/{record.pk}/")
    own.fill("textarea[name=sign-statement]", "今后注意")
    own.click("form[data-step=sign] button[type=submit]")
    own.wait_for_selector("[data-signed]")
    record.refresh_from_db()
    check.refresh_from_db()
    assert (record.status, record.signed_by_employee) == ("acknowledged", True)
    assert check.status == "acknowledged"
    assert own.js_errors == []
    screenshot(own, "conduct-spot-check-penalty-acknowledged")
