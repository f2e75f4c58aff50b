"""A day of three roles in a real browser, the pages they open in the order of their day, each
checked and photographed: the front desk (desktop), the area manager and the engineer (on a
phone). `make screenshots` writes the pictures of docs/days/ (GUANJIA_SCREENSHOTS=docs/img/days);
otherwise they go to /tmp, so a test run changes no file of the tree."""

from __future__ import annotations

import re
from typing import Any

import pytest

from guanjia.core.tests.browser.harness import PHONE, login, screenshot
from guanjia.desk.tests.factories import loan, parcel, post_and_shift
from guanjia.patrols.tests.factories import patrol
from guanjia.tickets.tests.factories import complaint, repair
from guanjia.violations.tests.factories import found

pytestmark = pytest.mark.browser


def _phone(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page


def _step(page: Any, path: str, name: str, *texts: str) -> None:
    """Open the page, check it answered and says what the day needs, and photograph it."""
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path}: {response.status}"
    body = page.locator("body").inner_text()
    for text in texts:
        assert text in body, f"{path}: {text!r} missing"
    screenshot(page, name)


def test_a_day_at_the_desk(page, world):
    receptionist = world.user("receptionist")
    complaint(world, world.a)
    repair(world, world.a)
    loan(world)
    parcel(world)
    post_and_shift(world)
    login(page, receptionist.username)
    _step(page, "/", "day-desk-1-workbench", "工作台", "已借出的钥匙")
    _step(page, "/tickets/new/", "day-desk-2-new-contact", "类型")
    _step(page, "/tickets/", "day-desk-3-register", "楼道灯不亮")
    _step(page, "/desk/", "day-desk-4-console")
    _step(page, "/desk/parcels/", "day-desk-5-parcels", "顺丰")
    _step(page, "/desk/handovers/new/", "day-desk-6-handover")
    assert page.js_errors == []


def test_a_day_as_area_manager(browser, live_server, world, transactional_db):
    import importlib

    from django.apps import apps

    # The shared violation types come from a data migration that an earlier browser test's
    # flush removed: put them back.
    importlib.import_module("guanjia.violations.migrations.0002_seed_violation_types").seed(
        apps, None
    )
    manager = world.user("area_manager")
    planned = patrol(world)
    found(world, world.a)
    complaint(world, world.a, "handling")
    phone = _phone(browser, live_server)
    login(phone, manager.username)
    _step(phone, "/", "day-area-1-workbench", "工作台")
    _step(phone, "/patrols/today/", "day-area-2-patrols-today", str(planned.zone))
    _step(phone, f"/patrols/{planned.pk}/", "day-area-3-patrol")
    _step(phone, "/violations/", "day-area-4-violations", "WZ-", "发现时间")
    _step(phone, "/renovation/", "day-area-5-renovations")
    assert phone.js_errors == []
    phone.context.close()


def test_a_day_as_engineer(browser, live_server, world, transactional_db):
    technician = world.user("technician")
    job = repair(world, world.a, "dispatched")
    phone = _phone(browser, live_server)
    login(phone, technician.username)
    _step(phone, "/", "day-engineer-1-workbench", "我的维修任务", job.number)
    _step(phone, "/tickets/repairs/mine/", "day-engineer-2-my-jobs", job.number)
    phone.goto(f"/tickets/repairs/{job.pk}/")
    assert re.search(r"厨房水管漏水", phone.locator("body").inner_text())
    screenshot(phone, "day-engineer-3-job")
    assert phone.js_errors == []
    phone.context.close()
