"""In a real browser: the supervisor imports the attendance machine's file, commits it on the
preview, and sees the late arrival on the attendance days."""

import re

import pytest

from guanjia.core.tests.browser.harness import login

from .factories import day, rostered, worker

pytestmark = pytest.mark.browser


def test_an_imported_punch_file_shows_a_late_arrival(page, world, live_server, tmp_path):
    person = worker(world, "张三", "A001")
    rostered(world, person, day(3))
    upload = tmp_path / "考勤机.csv"
    upload.write_text(f"工号,姓名,打卡时间\nA001,张三,{day(3)} 08:07\nA001,张三,{day(3)} 20:02\n",
                      encoding="utf-8")  # fmt: skip

    login(page, world.user("supervisor").username)
    page.goto("/attendance/punches/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/punches/batches/\d+/$"))
    page.click("main form[action$='/commit/'] button[type=submit]")
    page.wait_for_selector(".alert-success")

    page.goto(f"/attendance/days/?day_from={day(1)}&day_to={day(28)}")
    row = page.locator("table[data-days] tr[data-result=late]")
    assert row.count() == 1
    assert "张三" in row.inner_text()
    assert "7" in row.locator("td").nth(7).inner_text()
