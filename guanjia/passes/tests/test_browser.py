"""In a real browser on a phone-sized screen (375×740): the guard checks a worker's pass at
the gate while the renovation site is suspended, then after it resumes."""

from __future__ import annotations

import pytest

from guanjia.core.tests.browser.harness import PHONE, TIMEOUT_MS, login
from guanjia.passes import services
from guanjia.passes.models import GateCheck

from .factories import group, issue

pytestmark = pytest.mark.browser


def test_a_guard_checks_a_pass_of_a_suspended_site_on_a_phone(
    empty_ledger_after, browser, live_server, world
):
    site = group(world, name="3-201 装修工地")
    worker = issue(world, group=site, holder_name="王师傅")
    guard = world.user("security")
    services.suspend_group(site, reason="违规动火，停工整改", by=guard)

    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, guard.username)
    page.goto("/passes/gate/")
    page.fill("input[name=number]", worker.qr_text)  # what the camera reads from the card
    page.click("#gate-form button[type=submit]")
    result = page.locator("[data-result]")
    result.wait_for()
    assert result.get_attribute("data-result") == "suspended"
    text = result.inner_text()
    assert "工地停工" in text
    assert "王师傅" in text
    assert "违规动火" in text
    photo = result.locator("img")
    assert photo.is_visible()
    assert page.evaluate("() => document.querySelector('[data-result] img').naturalWidth") > 0
    box = result.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    services.resume_group(site, by=guard)
    page.fill("input[name=number]", worker.number)  # typed by hand
    page.click("#gate-form button[type=submit]")
    page.wait_for_selector("[data-result=valid]")
    page.fill("input[name=number]", "CRZ-2026-999999")  # a forged number
    page.click("#gate-form button[type=submit]")
    page.wait_for_selector("[data-result=not_found]")
    assert "王师傅" not in page.locator("[data-result]").inner_text()
    assert GateCheck.objects.filter(guard=guard).count() == 3
    assert not errors
    context.close()
