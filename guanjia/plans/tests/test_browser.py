"""In a real browser: the supervisor writes a monthly plan and submits it, the director
approves it, the item is done, and the month's summary shows the plan's completion and is
sent to the director."""

import re

import pytest
from django.utils import timezone

from guanjia.core.tests.browser.harness import login
from guanjia.plans.models import MonthlySummary, PlanStatus, SummaryStatus, WorkPlan

pytestmark = pytest.mark.browser


def _step(page, selector):
    with page.expect_navigation():
        page.click(f"{selector} button[type=submit]")
    page.wait_for_selector(".alert-success")


def test_a_monthly_plan_goes_from_draft_to_approval_and_into_the_summary(page, world):
    supervisor, director = world.user("supervisor"), world.user("director")
    month = timezone.localdate().replace(day=1)

    login(page, supervisor.username)
    page.goto("/plans/new/")
    page.select_option("select[name=kind]", "monthly")
    page.fill("input[name=period]", f"{month:%Y-%m}")
    page.fill("input[name=title]", "本月客服中心工作计划")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"))

    page.fill("#step-item input[name=item-title]", "完成投诉回访")
    page.select_option("#step-item select[name=item-owner]", str(supervisor.pk))
    page.fill("#step-item input[name=item-due_on]", month.isoformat())
    _step(page, "#step-item")
    assert "完成投诉回访" in page.inner_text("#plan-items")
    _step(page, "#step-submit")
    assert "已报主任" in page.inner_text("#plan-status")
    assert page.locator("#step-approve").count() == 0  # the author cannot approve

    page.context.clear_cookies()
    login(page, director.username)
    page.goto(WorkPlan.objects.get().get_absolute_url())
    _step(page, "#step-approve")
    assert "已批准" in page.inner_text("#plan-status")

    page.context.clear_cookies()
    login(page, supervisor.username)
    page.goto(WorkPlan.objects.get().get_absolute_url())
    _step(page, "#step-start")
    page.fill("#plan-items input[name=progress-done_pct]", "100")
    with page.expect_navigation():
        page.click("#plan-items button[type=submit]")
    assert "1 / 1" in page.inner_text("#plan-completion")

    page.goto("/plans/summaries/")
    with page.expect_navigation():
        page.click("#summary-prepare button[type=submit]")
    assert "1/1" in page.inner_text("#summary-plan")
    page.fill("#step-text textarea[name=text-highlights]", "本月计划事项全部完成")
    _step(page, "#step-text")
    _step(page, "#step-send")
    assert "已报主任" in page.inner_text("#summary-status")

    plan = WorkPlan.objects.get()
    assert plan.status == PlanStatus.IN_PROGRESS
    assert plan.decided_by == director
    summary = MonthlySummary.objects.get()
    assert summary.status == SummaryStatus.SENT
    assert summary.figures["plan"]["numerator"] == 1
    assert not page.js_errors
