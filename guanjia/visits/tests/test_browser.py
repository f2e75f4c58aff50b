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


def test_a_household_answers_the_survey_on_a_phone_without_logging_in(
    browser, live_server, transactional_db, world
):
    from django.utils import timezone

    from guanjia.core.tests.browser.harness import PHONE
    from guanjia.visits.models import SurveyInvite, SurveyResponse, Visit
    from guanjia.visits.services import surveys

    from .factories import households
    from .test_surveys import QUESTIONS

    households(world.a, 1)
    survey = surveys.create_questionnaire(
        community=world.a,
        title="年度满意度调查",
        year=timezone.localdate().year,
        intro="请您评价我们的服务",
        questions=QUESTIONS,
        by=world.user("supervisor"),
    )
    surveys.send_survey(
        questionnaire=survey, channel="sms", base_url=live_server.url, by=world.user("supervisor")
    )
    link = surveys.link_for(SurveyInvite.objects.get())
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.goto(link)
    assert "保安服务" in phone.inner_text("main")
    questions = list(survey.questions.all())
    phone.check(f"input[name=q{questions[0].pk}][value=satisfied]")
    phone.check(f"input[name=q{questions[1].pk}][value=dissatisfied]")
    phone.click("button[type=submit]")  # one question left unanswered
    phone.wait_for_selector(".invalid-feedback")
    phone.check(f"input[name=q{questions[2].pk}][value=fairly]")
    phone.fill("textarea[name=comments]", "楼道卫生要加强")
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-thanks]")
    screenshot(phone, "visit-survey-answered-on-a-phone")
    assert SurveyResponse.objects.get().answers.count() == 3
    assert "保洁服务" in Visit.objects.get(kind="survey").purpose
    phone.goto(link)
    assert phone.locator("[data-refused=used]").is_visible()
    assert errors == []
    context.close()
