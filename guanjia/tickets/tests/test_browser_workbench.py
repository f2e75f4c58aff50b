"""In a real browser: the desk registers a complaint; it arrives on the supervisor's
workbench (to classify, with its countdown) and in the supervisor's inbox."""

import re

import pytest

from guanjia.core.tests.browser.harness import PHONE, login, screenshot
from guanjia.tickets.models import Complaint

pytestmark = pytest.mark.browser


def test_a_complaint_at_the_desk_reaches_the_supervisor_s_workbench_and_inbox(
    page, world, browser, live_server
):
    supervisor = world.user("supervisor")
    login(page, world.user("receptionist").username)
    page.goto("/tickets/new/")
    page.select_option("select[name=kind]", "complaint")
    page.select_option("select[name=channel]", "phone")
    page.fill("input[name=content]", "楼上深夜噪音")
    page.fill("input[name=requester_name]", "周先生")
    page.press("input[name=content]", "Enter")
    page.wait_for_url(re.compile(r"/tickets/(complaints/\d+/|requests/\d+/)$"))
    number = Complaint.objects.get().number

    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    login(phone, supervisor.username)
    phone.goto("/")
    card = phone.locator('[data-task="complaint.classify"]')
    assert "1" in card.inner_text()
    assert number in phone.locator("#wb-tasks ~ ul").inner_text()
    screenshot(phone, "workbench-supervisor-phone")
    card.click()
    phone.wait_for_url(re.compile(r"/tickets/complaints/\?status=registered$"))
    assert number in phone.content()

    phone.goto("/inbox/")
    assert f"新投诉 {number} 待分类" in phone.locator("#notification-list").inner_text()
    screenshot(phone, "inbox-new-complaint-phone")
    context.close()
