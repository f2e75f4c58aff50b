"""On PostgreSQL with real threads: generation run twice at the same moment creates each visit
once; two staff recording the same visit at once record it once."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.core.models import Community, Company
from guanjia.core.tests.factories import CommunityFactory, CompanyFactory
from guanjia.core.tests.races import at_once, postgres_only
from guanjia.tickets.models import ComplaintEvent
from guanjia.tickets.tests.factories import complaint
from guanjia.visits import services
from guanjia.visits.models import Visit

from .factories import answers


@dataclass
class Place:
    """What the tickets factories need of the test world, without the `db` fixture."""

    company: Company
    a: Community
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        if role not in self.users:
            self.users[role] = staff(role, self.a, company=self.company)
        return self.users[role]


@pytest.fixture
def place(transactional_db):
    company = CompanyFactory()
    return Place(company=company, a=CommunityFactory(company=company))


@pytest.mark.postgres
@postgres_only
def test_generating_at_once_creates_each_visit_once(place):
    for _ in range(3):
        complaint(place, place.a, "replied")
    outcomes = at_once(range(4), lambda _: services.generate_for_community(place.a))
    assert outcomes == ["done"] * 4
    assert Visit.objects.filter(community=place.a).count() == 3


@pytest.mark.postgres
@postgres_only
def test_two_visitors_recording_one_visit_at_once_record_it_once(place):
    c = complaint(place, place.a, "replied")
    services.generate_for_community(place.a)
    visit = Visit.objects.get(complaint=c)
    visitors = [staff("area_manager", place.a, company=place.company) for _ in range(2)]
    outcomes = at_once(
        visitors, lambda by: services.record_visit(visit=visit, answers=answers(), by=by)
    )
    assert outcomes == ["done", "move_not_allowed"]
    assert ComplaintEvent.objects.filter(complaint=c, action="visited").count() == 1


@pytest.mark.postgres
@postgres_only
def test_a_survey_link_sent_twice_at_once_is_answered_once(place):
    from django.utils import timezone

    from guanjia.visits.models import SurveyInvite, SurveyResponse
    from guanjia.visits.services import surveys

    from .factories import households
    from .test_surveys import QUESTIONS

    households(place.a, 1)
    survey = surveys.create_questionnaire(
        community=place.a,
        title="年度调查",
        year=timezone.localdate().year,
        intro="",
        questions=QUESTIONS,
        by=place.user("supervisor"),
    )
    surveys.send_survey(
        questionnaire=survey, channel="sms", base_url="https://x", by=place.user("supervisor")
    )
    invite = SurveyInvite.objects.get()
    values = dict.fromkeys(survey.questions.values_list("pk", flat=True), "satisfied")
    outcomes = at_once(
        range(2), lambda _: surveys.answer_survey(invite=invite, answers=values, comments="")
    )
    assert outcomes == ["done", "used"]
    assert SurveyResponse.objects.count() == 1
