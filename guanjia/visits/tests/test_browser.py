"""In a real browser: a dissatisfied visit recorded on the visit page reopens the complaint,
and the complaint's page shows the visit."""

import pytest

from guanjia.core.tests.browser.harness import login, screenshot
from guanjia.tickets.models import Complaint

from .factories import complaint_visit

pytestmark = pytest.mark.browser


def test_a_dissatisfied_visit_reopens_the_complaint(page, world):
    visit = complaint_visit(world, world.a)
    login(page, world.user("area_manager").username)
    page.goto(f"/visits/{visit.pk}/")
    form = page.locator("form[data-signature-form]")
    form.locator("select[name=record-method]").select_option("phone")
    for question in ("quality", "timeliness", "attitude", "conduct"):
        form.locator(f"input[name=record-{question}][value=fairly]").check()
    form.locator("input[name=record-satisfaction][value=dissatisfied]").check()
    form.locator("textarea[name=record-comments]").fill("噪音问题仍未解决")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    assert Complaint.objects.get(pk=visit.complaint_id).status == "handling"
    page.goto(f"/tickets/complaints/{visit.complaint_id}/")
    assert page.locator("#visits").is_visible()
    assert "不满意" in page.locator("#visits").inner_text()
    assert page.js_errors == []
    screenshot(page, "visit-dissatisfied-complaint-reopened")
