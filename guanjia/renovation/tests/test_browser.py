"""In a real browser: a renovation from the application at the desk to the deposit refund with
one deduction (the review, payment, permit, works and acceptance in between run through the
same services the pages call)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from guanjia.core.tests.browser.harness import login, screenshot
from guanjia.renovation import services
from guanjia.renovation.models import RenoStatus, Renovation

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_ledger_after")]


def _submit(page, action):
    form = page.locator(f"form[action$='{action}']")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_application_to_deposit_refund_with_one_deduction(page, world, browser, live_server):
    unit = f.owned_unit(world.a)
    firm = f.contractor(world, world.a)
    f.set_policy(world, world.a, "reno.refund_after_days", 0)
    start = timezone.localdate() + dt.timedelta(days=5)

    login(page, world.user("receptionist").username)
    page.goto("/renovation/apply/")
    page.select_option("select[name=unit]", str(unit.pk))
    page.select_option("select[name=contractor]", str(firm.pk))
    page.fill("input[name=applicant_name]", "王业主")
    page.fill("input[name=applicant_phone]", "13900000000")
    page.fill("input[name=planned_start]", start.isoformat())
    page.fill("input[name=planned_end]", (start + dt.timedelta(days=30)).isoformat())
    page.fill("input[name=item_walls]", "刷乳胶漆")
    page.fill("input[name=item_floors]", "铺木地板")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/renovation/\d+/$"))
    reno = Renovation.objects.get()
    assert "刷乳胶漆" in page.inner_text("main")

    desk, eng = world.user("receptionist"), world.user("engineering_lead")
    services.add_plan(renovation=reno, kind="layout", upload=f.pdf(), by=desk)
    services.add_worker(renovation=reno, name="张师傅", id_number=f.ID_OK, photo=f.png(), by=desk)
    services.submit_for_review(renovation=reno, by=desk)
    services.give_opinion(
        renovation=reno, opinion="同意", by=world.user("supervisor"), engineering=False
    )
    services.give_opinion(renovation=reno, opinion="合格", by=eng, engineering=True)
    services.approve(renovation=reno, by=world.user("supervisor"))
    f.paid(reno, world)
    services.issue_permit(renovation=reno, by=world.user("supervisor"))
    services.start_work(renovation=reno, by=world.user("supervisor"))
    services.request_completion(renovation=reno, by=desk)
    services.accept_initial(renovation=reno, checks=f.ALL_PASSED, by=eng)
    services.accept_final(renovation=reno, note="无渗漏", by=eng)

    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    sup = context.new_page()
    login(sup, world.user("supervisor").username)
    sup.goto(f"/renovation/{reno.pk}/")
    sup.fill("input[name=refund-payee]", "王业主")
    sup.fill("textarea[name=refund-deductions]", "公共区域垃圾 | 200 | 楼道堆放装修垃圾")
    _submit(sup, "/refund/")
    sup.wait_for_selector(".alert-success")
    assert "1,800.00" in sup.inner_text("main") or "1800.00" in sup.inner_text("main")

    director = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    login(director, world.user("director").username)
    director.goto(f"/renovation/{reno.pk}/")
    director.select_option("select[name=decide-decision]", "approve")
    _submit(director, "/refund/decide/")
    director.wait_for_selector(".alert-success")

    cashier = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    login(cashier, world.user("cashier").username)
    cashier.goto(f"/renovation/{reno.pk}/")
    cashier.fill("input[name=pay-reference]", "PZ-0001")
    _submit(cashier, "/refund/pay/")
    cashier.wait_for_selector(".alert-success")
    reno.refresh_from_db()
    assert reno.status == RenoStatus.CLOSED
    assert reno.refund.deducted == 200
    assert "已关闭" in cashier.inner_text("main")
    assert page.js_errors == []
    screenshot(cashier, "renovation-refunded-with-deduction")
