"""In a real browser on a phone-sized screen: a patrol walked through two checkpoints (codes
typed: headless Chromium has no camera), a reload in the middle that resumes where the patrol
was, and a finding turned into a repair order."""

import pytest

from guanjia.core.tests.browser.harness import PHONE, login, screenshot
from guanjia.patrols import services
from guanjia.patrols.models import Finding, FindingStatus, Patrol, PatrolStatus
from guanjia.tickets.models import RepairOrder

from .factories import patrol

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args():
    return {"locale": "zh-CN", "viewport": PHONE, "timezone_id": "Asia/Shanghai"}


def _scan(page, code):
    page.fill("input[name=scan-code]", code)
    with page.expect_navigation():
        page.click("text=记录扫码")


def _checklist(page, issue=""):
    lines = page.locator("[data-checklist] [data-line]")
    for n in range(lines.count()):
        line = lines.nth(n)
        if issue and n == 0:
            line.locator("label.btn-outline-danger").click()
            line.locator("input[type=text]").fill(issue)
        else:
            line.locator("label.btn-outline-success").click()
    with page.expect_navigation():
        page.click("text=保存此巡查点")


def test_a_patrol_walked_on_a_phone_with_a_reload_and_a_finding_turned_into_a_repair(page, world):
    p = patrol(world)
    first, second = services.route(p)
    login(page, world.user("area_manager").username)
    page.goto(f"/patrols/{p.pk}/walk/")
    with page.expect_navigation():
        page.click("[data-start]")
    _scan(page, first.code)
    page.reload()  # the connection dropped: the scan is kept, its checklist waits
    assert page.locator(f"[data-checkpoint='{first.pk}'] [data-scanned]").is_visible()
    assert page.locator("[data-checklist]").is_visible()
    _checklist(page, issue="二楼消防栓玻璃破损")
    _scan(page, second.code)
    _checklist(page)
    assert page.locator("[data-not-scanned]").count() == 0
    with page.expect_navigation():
        page.click("[data-submit]")
    assert Patrol.objects.get(pk=p.pk).status == PatrolStatus.DONE
    finding = Finding.objects.get()
    page.goto(f"/patrols/findings/{finding.pk}/")
    form = page.locator("[data-action-form]")
    form.locator("select[name=action-kind]").select_option("repair")
    form.locator("select[name=action-category]").select_option("plumbing")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACTION
    order = RepairOrder.objects.get(pk=finding.action_id)
    assert order.number in page.locator("[data-action]").inner_text()
    assert page.js_errors == []
    screenshot(page, "patrol-finding-to-repair-phone")
