"""In a real browser: a guard on a phone reports a worker by pass number, the supervisor
decides a deduction, the contractor signs on the screen, the sanction is executed, and the
renovation's deposit refund carries the deduction."""

import re

import pytest

from guanjia.core.tests.browser.harness import PHONE, login, screenshot
from guanjia.renovation import services as reno_services
from guanjia.renovation.models import Deduction
from guanjia.renovation.tests.factories import ALL_PASSED, set_policy
from guanjia.sanctions import services
from guanjia.sanctions.models import Breach, BreachStatus

from .factories import line, png, site

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_ledger_after")]


def _sign(page, form):
    pad = page.locator(f"{form} canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 90, steps=8)
    page.mouse.move(box["x"] + 200, box["y"] + 30, steps=8)
    page.mouse.up()


def test_a_guard_reports_a_worker_and_the_deduction_reaches_the_refund(
    page, world, browser, live_server, tmp_path
):
    reno, worker = site(world, world.a)
    smoking = line(world.a)

    guard = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai"
    ).new_page()
    login(guard, world.user("security").username)
    guard.goto("/sanctions/new/")
    guard.select_option("select[name=kind]", str(smoking.pk))
    guard.select_option("select[name=person_kind]", "worker")
    guard.fill("input[name=pass_number]", worker.number)
    guard.fill("input[name=place]", "3栋客梯")
    guard.fill("textarea[name=description]", "在客梯内吸烟，劝阻后仍不熄灭")
    photo = tmp_path / "evidence.png"
    photo.write_bytes(png().read())
    guard.set_input_files("input[name=photo]", str(photo))
    guard.click("#breach-form button[type=submit]")
    guard.wait_for_url(re.compile(r"/sanctions/\d+/$"))
    assert "王师傅" in guard.inner_text("#breach-facts")
    assert reno.contractor.name in guard.inner_text("#breach-employer")
    breach = Breach.objects.get()
    services.verify_breach(breach=breach, note="照片及监控核实", by=world.user("area_manager"))

    login(page, world.user("supervisor").username)
    page.goto(f"/sanctions/{breach.pk}/")
    assert page.locator("#step-verify").count() == 0
    page.fill("#step-decide input[name=decide-amount]", "100")
    page.fill("#step-decide textarea[name=decide-note]", "按处理标准扣款")
    page.click("#step-decide button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已决定处理" in page.inner_text("#breach-status")

    page.select_option("#step-notify select[name=notify-party]", "contractor")
    page.fill("#step-notify input[name=notify-signer]", "李工")
    _sign(page, "#step-notify form")
    page.click("#step-notify button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.select_option("#step-notify select[name=notify-party]", "owner")
    page.fill("#step-notify input[name=notify-signer]", "王业主")
    page.check("#step-notify input[name=notify-refused_to_sign]")
    page.fill("#step-notify input[name=notify-refusal_note]", "业主拒签，保安在场")
    page.click("#step-notify button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已通知" in page.inner_text("#breach-status")

    page.fill("#step-execute textarea[name=execute-note]", "从施工押金中扣除")
    page.click("#step-execute button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已执行" in page.inner_text("#breach-status")
    assert reno.number in page.inner_text("#breach-deduction")
    breach.refresh_from_db()
    assert breach.status == BreachStatus.EXECUTED
    assert breach.notices.get(party="contractor").signature.name.endswith(".png")

    set_policy(world, world.a, "reno.refund_after_days", 0)
    desk, eng = world.user("receptionist"), world.user("engineering_lead")
    reno_services.request_completion(renovation=reno, by=desk)
    reno_services.accept_initial(renovation=reno, checks=ALL_PASSED, by=eng)
    reno_services.accept_final(renovation=reno, note="无渗漏", by=eng)

    page.goto(f"/renovation/{reno.pk}/")
    assert breach.number in page.inner_text("#pending-deductions")
    page.fill("input[name=refund-payee]", "王业主")
    with page.expect_navigation():
        page.locator("form[action$='/refund/'] button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    shown = page.inner_text("#refund-deductions")
    assert breach.number in shown
    assert "100.00" in shown
    assert Deduction.objects.get().amount == 100
    assert page.js_errors == []
    screenshot(page, "sanctions-deduction-in-refund")
