"""Training plans: written, submitted, approved by another person or returned with comments."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.workflows import WorkflowDenied, WorkflowError
from guanjia.training import services
from guanjia.training.models import TrainingPlan

from .factories import content, plan

pytestmark = pytest.mark.django_db


def test_a_plan_is_written_as_a_draft_with_its_due_day(world):
    made = plan(world, world.a)
    assert made.status == "draft"
    assert made.due_on == dt.date(made.year - 1, 12, 15)
    assert made.author == world.user("supervisor")
    assert made.events.get().action == "created"


def test_a_submitted_plan_is_approved_by_the_director(world):
    made = plan(world, world.a, "submitted")
    services.decide_plan(plan=made, approve=True, by=world.user("director"))
    made.refresh_from_db()
    assert (made.status, made.decided_by) == ("approved", world.user("director"))
    assert list(made.events.values_list("action", flat=True)) == [
        "created",
        "requested",
        "approved",
    ]


def test_a_returned_plan_goes_back_to_draft_with_the_comments(world):
    made = plan(world, world.a, "submitted")
    services.decide_plan(plan=made, approve=False, by=world.user("director"), reason="预算过高")
    made.refresh_from_db()
    assert (made.status, made.reason) == ("draft", "预算过高")


def test_a_return_needs_comments(world):
    made = plan(world, world.a, "submitted")
    with pytest.raises(WorkflowError) as caught:
        services.decide_plan(plan=made, approve=False, by=world.user("director"))
    assert caught.value.code == "reason_required"
    made.refresh_from_db()
    assert made.status == "submitted"


def test_a_plan_submitted_twice_is_refused(world):
    made = plan(world, world.a, "submitted")
    with pytest.raises(WorkflowError) as caught:
        services.submit_plan(plan=made, by=world.user("supervisor"))
    assert caught.value.code == "move_not_allowed"
    assert made.events.filter(action="requested").count() == 1


def test_the_author_may_not_approve_their_own_plan(world):
    author = staff("hr", company=world.company)  # HR writes and approves company-wide
    made = services.create_plan(
        community=world.a, kind="annual", year=2031, month=0, content=content(), by=author
    )
    services.submit_plan(plan=made, by=author)
    with pytest.raises(WorkflowDenied) as caught:
        services.decide_plan(plan=made, approve=True, by=author)
    assert caught.value.code == "own_request"
    made.refresh_from_db()
    assert made.status == "submitted"


def test_the_author_may_not_approve_a_plan_someone_else_submitted(world):
    author = staff("hr", company=world.company)
    made = services.create_plan(
        community=world.a, kind="annual", year=2031, month=0, content=content(), by=author
    )
    services.submit_plan(plan=made, by=world.user("supervisor"))
    with pytest.raises(WorkflowDenied):
        services.decide_plan(plan=made, approve=True, by=author)


def test_a_receptionist_may_not_write_or_approve_a_plan(world):
    with pytest.raises(PermissionDenied):
        services.create_plan(
            community=world.a,
            kind="annual",
            year=2031,
            month=0,
            content=content(),
            by=world.user("receptionist"),
        )
    made = plan(world, world.a, "submitted")
    with pytest.raises(PermissionDenied):
        services.decide_plan(plan=made, approve=True, by=world.user("receptionist"))


def test_a_second_plan_of_the_same_period_is_refused(world):
    plan(world, world.a, year=2031)
    with pytest.raises(ValidationError) as caught:
        plan(world, world.a, year=2031)
    assert caught.value.error_dict["year"][0].code == "taken"
    assert TrainingPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("title", {"title": "  "}),
        ("topics", {"topics": ""}),
        ("target_staff", {"target_staff": ""}),
        ("budget", {"budget": -1}),
        ("title", {"title": "x" * 101}),
    ],
)
def test_a_plan_without_its_content_is_refused(world, field, kw):
    with pytest.raises(ValidationError) as caught:
        plan(world, world.a, **kw)
    assert field in caught.value.error_dict
    assert not TrainingPlan.objects.exists()


def test_a_monthly_plan_needs_its_month_and_is_linked_to_the_annual_plan(world):
    annual = plan(world, world.a, year=2031)
    with pytest.raises(ValidationError):
        plan(world, world.a, kind="monthly", year=2031, month=13)
    monthly = plan(world, world.a, kind="monthly", year=2031, month=3)
    assert (monthly.annual, monthly.period, monthly.due_on) == (annual, "2031-03", None)


def test_only_a_draft_is_edited(world):
    made = plan(world, world.a, "submitted")
    with pytest.raises(ValidationError):
        services.update_plan(plan=made, content=content(title="新"), by=world.user("supervisor"))
    made.refresh_from_db()
    assert made.title == "年度培训计划"


def test_the_reminder_opens_the_annual_plan_and_reminds_once_a_day(world):
    with time_machine.travel(dt.datetime(2030, 12, 5, 9, tzinfo=dt.UTC), tick=False):
        assert services.remind_annual_plans() == 2  # communities a and b
        assert services.remind_annual_plans() == 0
        made = TrainingPlan.objects.get(community=world.a, year=2031)
        assert (made.status, made.due_on) == ("draft", dt.date(2030, 12, 15))
    with time_machine.travel(dt.datetime(2030, 11, 5, 9, tzinfo=dt.UTC), tick=False):
        assert services.remind_annual_plans() == 0  # too early


def test_no_reminder_once_the_plan_is_submitted(world):
    made = plan(world, world.a, "submitted", year=2031)
    with time_machine.travel(dt.datetime(2030, 12, 10, 9, tzinfo=dt.UTC), tick=False):
        services.remind_annual_plans()
    assert not made.events.filter(action="reminded").exists()
    assert timezone.now()
