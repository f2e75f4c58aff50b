"""In a real browser: the supervisor opens a receptionist's monthly score, sees the evidence
behind every deduction, adjusts it with a reason, then rates the quarter."""

import re

import pytest

from guanjia.appraisal import services
from guanjia.appraisal.models import Appraisal, Kind, Status
from guanjia.core.tests.browser.harness import login

from .factories import receptionist_month, score_of

pytestmark = pytest.mark.browser


def test_a_supervisor_rates_an_employee_whose_score_shows_its_evidence(page, world):
    facts = receptionist_month(world)
    score = score_of(world)
    supervisor = world.user("supervisor")

    login(page, supervisor.username)
    page.goto(f"/appraisal/scores/{score.pk}/")
    for line in score.lines.filter(lost__gt=0):
        row = page.locator(f"tr[data-measure={line.measure}]")
        assert row.locator("a[data-evidence]").count() >= 1, line.measure
    incomplete = page.locator("tr[data-measure=register_completeness] a[data-evidence]").first
    assert facts["incomplete"].number in incomplete.inner_text()
    assert facts["penalty"].number in page.inner_text("tr[data-measure=conduct_points]")

    page.fill("form[data-adjust] input[name=points]", "2")
    page.fill("form[data-adjust] input[name=reason]", "主动协助夜班处理停水")
    page.click("form[data-adjust] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "主动协助夜班处理停水" in page.inner_text("ul[data-adjustments]")
    score.refresh_from_db()
    assert score.adjustment == 2

    services.open_period(community=world.a, kind=Kind.QUARTER, day=score.month, by=world.user("hr"))
    appraisal = Appraisal.objects.get(employee=score.employee, kind=Kind.QUARTER)
    page.goto(f"/appraisal/appraisals/{appraisal.pk}/")
    page.fill("form[data-step=rate] input[name=rate-score]", "78")
    page.fill("form[data-step=rate] input[name=rate-score_reason]", "登记不完整，需加强")
    page.click("form[data-step=rate] button[type=submit]")
    page.wait_for_url(re.compile(r"/appraisal/appraisals/\d+/$"))
    page.wait_for_selector(".alert-success")
    assert "主管已评分" in page.inner_text("[data-status]")
    appraisal.refresh_from_db()
    assert (appraisal.status, appraisal.grade, appraisal.rater) == (Status.RATED, "C", supervisor)
