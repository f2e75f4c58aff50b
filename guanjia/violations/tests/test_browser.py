"""In a real browser: a violation found, its rectification notice signed on the screen and
printed, then the re-check at the deadline."""

import re

import pytest
from django.utils import timezone

from guanjia.core.tests.browser.harness import login
from guanjia.violations.models import Violation, ViolationStatus

from .factories import managed_unit

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


def _seed_types() -> None:
    """The shared types come from a data migration, which the flush after an earlier browser
    test (a live server's real commits) removes: put them back."""
    import importlib

    from django.apps import apps

    importlib.import_module("guanjia.violations.migrations.0002_seed_violation_types").seed(
        apps, None
    )


def test_a_violation_is_taken_to_a_notice_and_a_recheck(page, world):
    _seed_types()
    manager = world.user("area_manager")
    unit = managed_unit(world, world.a)

    login(page, manager.username)
    page.goto("/violations/new/")
    page.fill("input[name=room]", unit.room_code)
    page.select_option("select[name=kind]", index=1)
    page.select_option("select[name=responsible]", "owner")
    page.fill("textarea[name=description]", "楼道堆放纸箱杂物，堵塞消防通道")
    page.fill("input[name=location]", "3楼楼道")
    page.click("#violation-form button[type=submit]")
    page.wait_for_url(re.compile(r"/violations/\d+/$"))

    today = timezone.localdate().isoformat()
    page.fill("#step-notice textarea[name=notice-demand]", "请于今日内清理楼道杂物")
    page.fill("#step-notice input[name=notice-deadline]", today)
    _sign(page, "#step-notice form")
    page.click("#step-notice button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已发整改通知" in page.inner_text("#violation-status")
    notice_link = page.locator("#violation-notices a").first
    assert notice_link.inner_text().startswith("ZG-")

    page.select_option("#step-recheck select[name=recheck-corrected]", "no")
    page.fill("#step-recheck textarea[name=recheck-note]", "到期复查，杂物仍未清理")
    page.click("#step-recheck button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "复查未整改" in page.inner_text("#violation-status")

    violation = Violation.objects.get()
    assert violation.status == ViolationStatus.NOT_CORRECTED
    notice = violation.notices.get()
    assert notice.signature.name.endswith(".png")
    assert not notice.refused_to_sign
