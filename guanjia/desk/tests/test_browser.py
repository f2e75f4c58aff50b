"""In a real browser: a shift at the front desk handed over with one discrepancy."""

import re

import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.core.tests.browser.harness import login
from guanjia.desk.models import Finding, Handover, HandoverStatus

from .factories import loan, post_and_shift

pytestmark = pytest.mark.browser


def _sign(page, form):
    pad = page.locator(f"{form} canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 90, steps=8)
    page.mouse.move(box["x"] + 200, box["y"] + 30, steps=8)
    page.mouse.up()


def test_a_shift_is_handed_over_with_one_discrepancy(page, world, browser, live_server):
    outgoing = world.user("receptionist")
    incoming = staff("receptionist", world.a, username="next-shift")
    post_and_shift(world)
    out = loan(world)

    login(page, outgoing.username)
    page.goto("/desk/handovers/new/")
    page.select_option("select[name=post]", index=1)
    page.select_option("select[name=shift]", index=1)
    page.select_option("select[name=incoming]", str(incoming.pk))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/handovers/\d+/$"))
    assert out.key.cabinet_slot in page.inner_text("main") or out.key.cabinet_slot in page.content()
    page.fill("textarea[name=notes]", "3栋停水，18点恢复")
    page.click("text=保存备注")
    page.wait_for_selector(".alert-success")
    _sign(page, "form[action$='/offer/']")
    page.click("text=签字交班")
    page.wait_for_selector("[data-status=offered]")

    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    other = context.new_page()
    login(other, incoming.username)
    handover = Handover.objects.get()
    other.goto(f"/desk/handovers/{handover.pk}/")
    items = list(handover.items.order_by("position", "pk"))
    for item in items:
        other.check(f"tr[data-item='{item.pk}'] input[value=ok]")
    keys_line = next(i for i in items if i.section == "keys_out")
    other.check(f"tr[data-item='{keys_line.pk}'] input[value=discrepancy]")
    other.fill(f"input[name=note_{keys_line.pk}]", "钥匙柜内少一把备用钥匙")
    _sign(other, "#check-form")
    other.click("text=确认接班并签名")
    other.wait_for_selector("[data-status=accepted]")

    page.reload()
    page.click("text=交班下岗")
    page.wait_for_selector("[data-status=closed]")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.CLOSED
    assert handover.discrepancy_count == 1
    assert handover.items.get(pk=keys_line.pk).finding == Finding.DISCREPANCY
    assert handover.incoming_signature.name.endswith(".png")
    context.close()
