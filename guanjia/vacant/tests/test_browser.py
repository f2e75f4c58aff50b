"""In a real browser on a phone-sized screen: an area manager inspects a vacant unit, finds a
leak, takes a photo and opens a repair in the same step."""

import re

import pytest

from guanjia.core.tests.browser.harness import PHONE, login, screenshot
from guanjia.tickets.models import RepairOrder
from guanjia.vacant.models import Inspection

from .factories import jpeg, vacancy, zone_unit

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args():
    return {"locale": "zh-CN", "viewport": PHONE, "timezone_id": "Asia/Shanghai"}


def test_an_inspection_on_a_phone_opens_a_repair(page, world, tmp_path):
    manager = world.user("area_manager")
    v = vacancy(world, unit=zone_unit(world, manager=manager))
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(jpeg().read())

    login(page, manager.username)
    page.goto(f"/vacant/{v.pk}/inspect/")
    form = page.locator("#inspection-form")
    for item in ("doors_ok", "no_damp", "fixtures_ok", "meters_still", "clean_ok"):
        form.locator(f"label[for=id_{item}_0]").click()  # 正常
    form.locator("label[for=id_no_leaks_1]").click()  # 有问题: a leak
    form.locator("label[for=id_ventilated_0]").click()
    form.locator("textarea[name=problems]").fill("主卧天花板渗水，疑楼上卫生间漏水")
    form.locator("input[name=photos]").set_input_files(str(photo))
    form.locator("input[name=open_repair]").check()
    form.locator("select[name=repair_category]").select_option("walls")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/vacant/inspections/\d+/$"))
    page.wait_for_selector(".alert-success")

    inspection = Inspection.objects.get()
    repair = RepairOrder.objects.get()
    assert inspection.repair == repair
    assert not inspection.no_leaks
    assert inspection.photos.count() == 1
    assert repair.number in page.locator("#repair-number").inner_text()
    assert page.js_errors == []
    screenshot(page, "vacant-inspection-opens-a-repair")
