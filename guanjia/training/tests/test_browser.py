"""In a real browser: a supervisor schedules a session and its written test; the employee,
on a phone-sized screen, signs in to the session and takes the test."""

import re

import pytest
from django.utils import timezone

from guanjia.core.tests.browser.harness import PHONE, login, screenshot
from guanjia.training.models import Assessment, AssessmentResult, TrainingSession

pytestmark = pytest.mark.browser


def _page(browser, live_server, username, viewport=None):
    options = {"base_url": live_server.url, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
    if viewport:
        options["viewport"] = viewport
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    login(page, username)
    return page


def test_a_supervisor_schedules_a_session_and_the_employee_signs_in_and_passes_on_a_phone(
    browser, live_server, transactional_db, world
):
    employee = world.user("receptionist")
    supervisor = world.user("supervisor")
    boss = _page(browser, live_server, supervisor.username)
    boss.goto("/training/sessions/new/")
    boss.select_option("select[name=kind]", "on_the_job")
    boss.fill("input[name=topic]", "服务礼仪与用语")
    boss.select_option("select[name=trainer]", str(supervisor.pk))
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    boss.fill("input[name=starts_at]", f"{start:%Y-%m-%dT%H:%M}")
    boss.fill("input[name=hours]", "2")
    boss.check(f"input[name=invited][value='{employee.pk}']")
    boss.click("form[data-training-form] button[type=submit]")
    boss.wait_for_url(re.compile(r"/training/sessions/\d+/$"))
    session = TrainingSession.objects.get()
    assert session.topic == "服务礼仪与用语"

    boss.goto("/training/tests/new/")
    boss.fill("input[name=title]", "礼仪笔试")
    boss.select_option("select[name=kind]", "written")
    boss.select_option("select[name=session]", str(session.pk))
    boss.fill("input[name=pass_mark]", "60")
    boss.fill(
        "textarea[name=questions]",
        "接听电话应在几声铃内？ | 三声 | 十声 | A | 50\n"
        "对业主的称呼？ | 喂 | 您好，先生/女士 | B | 50",
    )
    boss.click("form[data-training-form] button[type=submit]")
    boss.wait_for_url(re.compile(r"/training/tests/\d+/$"))
    test = Assessment.objects.get()
    assert (test.max_score, test.questions.count()) == (100, 2)

    phone = _page(browser, live_server, employee.username, viewport=PHONE)
    phone.goto("/training/mine/")
    phone.click(f"[data-session='{session.pk}']")
    phone.click("form[data-sign-in] button[type=submit]")
    phone.wait_for_selector("[data-signed]")
    attendance = session.attendances.get(employee=employee)
    assert attendance.method == "phone"

    phone.click(f"[data-test='{test.pk}']")
    phone.click("[data-take]")
    questions = list(test.questions.order_by("position"))
    for question in questions:
        phone.check(f"#q-{question.pk}-{question.answer}")
    phone.click("form[data-take-form] button[type=submit]")
    phone.wait_for_selector(".alert-success")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    result = AssessmentResult.objects.get(employee=employee)
    assert (result.passed, result.score, result.attempt) == (True, 100, 1)
    assert phone.js_errors == []
    assert boss.js_errors == []
    screenshot(phone, "training-test-passed")
