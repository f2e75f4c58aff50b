"""In a real browser: one buyer through the counter from verification to the keys, with one
defect found at the joint inspection on a phone, then the defect rectified and signed off."""

import re

import pytest

from guanjia.core.tests.browser.harness import login, screenshot
from guanjia.estates.models import UnitStatus

from ..models import Defect, DefectStatus, DeliveryStatus
from .factories import notified, photo_png, receipt_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_ledger_after")]
PHONE = {"width": 375, "height": 740}


def _sign(page, pad):
    canvas = page.locator(pad).locator("canvas[data-signature-pad]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 90, steps=8)
    page.mouse.move(box["x"] + 200, box["y"] + 30, steps=8)
    page.mouse.up()


def _submit(page, action):
    page.click(f"form[action$='/{action}/'] button[type=submit]")


def test_one_buyer_through_the_counter_with_one_defect_then_closed(page, world, tmp_path):
    from guanjia.estates.models.identity import decrypt_pii

    d = notified(world)
    number = decrypt_pii(d.id_number_cipher)
    receipt = receipt_for(world, d.unit)
    login(page, world.user("receptionist").username)
    page.goto(f"/movein/units/{d.pk}/")
    assert "核验业主" in page.inner_text("main")

    page.select_option("form[action$='/verify/'] select[name=verified_as]", "owner")
    page.fill("form[action$='/verify/'] input[name=id_number]", number)
    _submit(page, "verify")
    page.wait_for_selector("[data-step=verified][data-done='1']")
    _submit(page, "register")
    page.wait_for_selector("[data-step=registered][data-done='1']")
    page.fill("input[name=receipt_no]", receipt.number)
    page.fill("input[name=prepaid_months]", "3")
    _submit(page, "fees")
    page.wait_for_selector("[data-step=fees][data-done='1']")
    _sign(page, "form[action$='/documents/'] [data-pad]")
    _submit(page, "documents")
    page.wait_for_selector("[data-step=documents][data-done='1']")

    # The joint inspection on a phone: one defect with its photo, then both signatures.
    page.set_viewport_size(PHONE)
    _submit(page, "inspect")
    page.wait_for_url(re.compile(r"/movein/units/\d+/inspection/$"))
    page.click("text=记录问题")
    page.select_option("select[name=room]", "卫生间")
    page.select_option("select[name=item]", "防水")
    page.fill("input[name=description]", "地漏周边渗水")
    photo = tmp_path / "leak.png"
    photo.write_bytes(photo_png())
    page.set_input_files("input[name=photo]", str(photo))
    _submit(page, "defect")
    page.wait_for_selector(".alert-success")
    assert "地漏周边渗水" in page.inner_text("main")
    page.fill("input[name=water]", "12.50")
    screenshot(page, "movein-inspection-phone")
    _sign(page, "form[action$='/sign/'] [data-pad] >> nth=0")
    _sign(page, "form[action$='/sign/'] [data-pad] >> nth=1")
    _submit(page, "sign")
    page.wait_for_selector("[data-step=inspected][data-done='1']")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.fill("form[action$='/keys/'] input[name=count]", "3")
    page.fill("form[action$='/keys/'] input[name=description]", "入户门钥匙3把")
    _sign(page, "form[action$='/keys/'] [data-pad]")
    _submit(page, "keys")
    page.wait_for_selector("[data-status=delivered]")
    screenshot(page, "movein-counter-delivered")
    d.refresh_from_db()
    d.unit.refresh_from_db()
    assert d.status == DeliveryStatus.DELIVERED
    assert d.unit.status == UnitStatus.DELIVERED
    assert not page.js_errors

    # The defect: rectified, re-inspected with the owner, signed off.
    defect = Defect.objects.get(delivery=d)
    page.goto(f"/movein/defects/{defect.pk}/")
    page.fill("textarea[name=note]", "已重做防水")
    _submit(page, "fixed")
    page.wait_for_selector("[data-status=fixed]")
    page.select_option("select[name=passed]", "yes")
    page.fill("input[name=signer]", d.buyer_name)
    _sign(page, "form[action$='/reinspect/'] [data-pad]")
    _submit(page, "reinspect")
    page.wait_for_selector("[data-status=signed_off]")
    defect.refresh_from_db()
    d.refresh_from_db()
    assert defect.status == DefectStatus.SIGNED_OFF
    assert d.defects == "closed"
    assert defect.signoff_signature.name.endswith(".png")
