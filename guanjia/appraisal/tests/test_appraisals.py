"""The quarterly, annual and probation appraisal: each step, the refusals of §24 (oneself,
a rater in dispute, an excellent grade beyond the limits, an appeal after its window) and
the pro rata base of a transfer."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.appraisal import services
from guanjia.appraisal.models import Appraisal, AppraisalEvent, Kind, MonthlyScore, Status
from guanjia.appraisal.services.appraisals import base_scores
from guanjia.conduct.tests.factories import record
from guanjia.tickets.tests.factories import actor

from .factories import appraisal, this_month

pytestmark = pytest.mark.django_db


def test_opening_a_quarter_opens_one_appraisal_per_appraised_employee_once(world):
    receptionist, cashier = world.user("receptionist"), world.user("cashier")
    hr = world.user("hr")
    first = services.open_period(
        community=world.a, kind=Kind.QUARTER, day=timezone.localdate(), by=hr
    )
    again = services.open_period(
        community=world.a, kind=Kind.QUARTER, day=timezone.localdate(), by=hr
    )
    assert {a.employee_id for a in first} >= {receptionist.pk, cashier.pk}
    assert again == []
    assert AppraisalEvent.objects.filter(appraisal__in=first, to_status=Status.OPEN).count() == len(
        first
    )


def test_the_whole_workflow_to_closed(world):
    found = appraisal(world, "published")
    assert found.status == Status.PUBLISHED
    assert found.appeal_until > timezone.localdate()
    assert [e.to_status for e in found.events.order_by("pk")] == [
        "open",
        "rated",
        "reviewed",
        "confirmed",
        "published",
    ]
    with pytest.raises(ValidationError, match="appeal window is open"):
        services.close(appraisal=found, by=world.user("hr"))
    with time_machine.travel(found.appeal_until + dt.timedelta(days=1)):
        assert services.close_expired() == 1
    found.refresh_from_db()
    assert found.status == Status.CLOSED


def test_an_annual_appraisal_waits_for_the_self_assessment(world):
    found = appraisal(world, "open", kind=Kind.YEAR)
    with pytest.raises(ValidationError, match="self-assessment comes first"):
        services.rate(appraisal=found, score="80", by=world.user("supervisor"))
    services.self_assess(appraisal=found, text="完成全年登记", by=world.user("receptionist"))
    services.rate(appraisal=found, score="80", by=world.user("supervisor"))
    assert found.status == Status.RATED


def test_rating_oneself_is_refused(world):
    found = appraisal(world, "open", role="supervisor")
    with pytest.raises(PermissionDenied, match="Nobody rates their own appraisal"):
        services.rate(appraisal=found, score="95", by=world.user("supervisor"))
    found.refresh_from_db()
    assert found.status == Status.OPEN


def test_a_rater_in_dispute_is_replaced_by_the_next_level(world):
    found = appraisal(world, "open")
    supervisor = world.user("supervisor")
    services.declare_dispute(
        appraisal=found, rater=supervisor, reason="对上月罚款有争议", by=world.user("receptionist")
    )
    with pytest.raises(PermissionDenied, match="next level"):
        services.rate(appraisal=found, score="80", by=supervisor)
    services.rate(appraisal=found, score="80", by=world.user("director"))
    assert found.rater == world.user("director")
    with pytest.raises(PermissionDenied):
        services.review(appraisal=found, note="", by=world.user("director"))  # the rater
    services.review(
        appraisal=found, note="同意", by=staff("management", None, company=world.company)
    )
    assert found.status == Status.REVIEWED


def test_the_proposer_of_a_penalty_under_appeal_is_in_dispute(world):
    record(world, "appealed")  # proposed by the supervisor, appealed by the receptionist
    found = appraisal(world, "open")
    with pytest.raises(PermissionDenied, match="party to a dispute"):
        services.rate(appraisal=found, score="70", by=world.user("supervisor"))


def test_an_excellent_grade_with_a_penalty_in_force_is_refused_with_the_reason(world):
    penalty = record(world, "effective")
    found = appraisal(world, "open")
    with pytest.raises(ValidationError) as refused:
        services.rate(appraisal=found, score="92", by=world.user("supervisor"))
    assert "cannot be graded excellent" in str(refused.value)
    assert penalty.number in str(refused.value)
    found.refresh_from_db()
    assert found.status == Status.OPEN
    services.rate(appraisal=found, score="89", by=world.user("supervisor"))
    assert found.grade == "B"


def test_the_team_quota_and_the_department_cap_refuse_a_second_excellent(world):
    from guanjia.core.policies.services import set_policy

    hr = world.user("hr")
    set_policy(
        key="appraisal.department_average_cap",
        value=100,
        by=hr,
        company=world.company,
        reason="测试",
    )
    first = appraisal(world, "open")
    second_person = staff("receptionist", world.a, username="r2", company=world.company)
    services.open_period(community=world.a, kind=Kind.QUARTER, day=timezone.localdate(), by=hr)
    second = Appraisal.objects.get(employee=second_person, kind=Kind.QUARTER)
    services.rate(appraisal=first, score="95", by=world.user("supervisor"))
    assert first.grade == "A"
    with pytest.raises(ValidationError, match="quota 1"):
        services.rate(appraisal=second, score="93", by=world.user("supervisor"))
    set_policy(
        key="appraisal.department_average_cap",
        value=85,
        by=hr,
        company=world.company,
        reason="测试",
    )
    set_policy(
        key="appraisal.excellent_quota_small", value=2, by=hr, company=world.company, reason="测试"
    )
    with pytest.raises(ValidationError, match=r"average would be 94\.0"):
        services.rate(appraisal=second, score="93", by=world.user("supervisor"))


def test_a_score_away_from_the_monthly_average_needs_a_reason(world):
    world.user("receptionist")
    services.compute_month(world.a, this_month())
    found = appraisal(world, "open")
    assert found.base_score == Decimal("100.00")
    with pytest.raises(ValidationError, match="say why"):
        services.rate(appraisal=found, score="80", by=world.user("supervisor"))


def test_an_appeal_after_its_window_is_refused(world):
    found = appraisal(world, "published")
    with (
        time_machine.travel(found.appeal_until + dt.timedelta(days=1)),
        pytest.raises(ValidationError, match="appeal window closed"),
    ):
        services.appeal(appraisal=found, grounds="迟到记录有误", by=world.user("receptionist"))
    found.refresh_from_db()
    assert found.status == Status.PUBLISHED


def test_an_appeal_is_decided_by_hr_and_may_change_the_score(world):
    found = appraisal(world, "appealed")
    services.resolve_appeal(appraisal=found, result="复核后调整", score="88", by=world.user("hr"))
    assert (found.status, found.score, found.grade) == (Status.RESOLVED, Decimal("88.00"), "B")


def test_a_probation_review_needs_its_outcome_and_an_extension_its_date(world):
    found = appraisal(world, "self_assessed", kind=Kind.PROBATION, role="cashier")
    supervisor = world.user("supervisor")
    with pytest.raises(ValidationError, match="confirm, extend or terminate"):
        services.rate(appraisal=found, score="75", by=supervisor)
    with pytest.raises(ValidationError, match="new end of the probation"):
        services.rate(appraisal=found, score="75", probation_outcome="extend", by=supervisor)
    services.rate(
        appraisal=found,
        score="75",
        probation_outcome="extend",
        probation_until=found.period_end + dt.timedelta(days=30),
        by=supervisor,
    )
    assert found.probation_outcome == "extend"


def test_a_transfer_counts_each_team_pro_rata_by_days(world):
    employee = world.user("receptionist")
    month = this_month()
    for community, days, total in ((world.a, 10, "90"), (world.b, 20, "60")):
        MonthlyScore.objects.create(
            community=community,
            employee=employee,
            month=month,
            role="receptionist",
            days=days,
            computed=Decimal(total),
            total=Decimal(total),
            grade="B",
            computed_at=timezone.now(),
        )
    base, parts = base_scores([employee.pk], month, month.replace(day=28))[employee.pk]
    assert base == Decimal("70.00")  # (90 × 10 + 60 × 20) ÷ 30
    assert {p["community"] for p in parts} == {world.a.name, world.b.name}


def test_an_adjustment_needs_a_reason_and_is_kept(world):
    from .factories import score_of

    score = score_of(world)
    supervisor = world.user("supervisor")
    with pytest.raises(ValidationError, match="Say why"):
        services.adjust_score(score=score, points="-3", reason=" ", by=supervisor)
    with pytest.raises(ValidationError, match="between 0 and 100"):
        services.adjust_score(score=score, points="5", reason="表扬", by=supervisor)
    with pytest.raises(PermissionDenied):
        services.adjust_score(
            score=score, points="-1", reason="自评", by=world.user("receptionist")
        )
    services.adjust_score(score=score, points="-3", reason="仪容不整", by=supervisor)
    assert score.total == Decimal("97.00")
    adjustment = score.adjustments.get()
    assert (adjustment.total_before, adjustment.total_after, adjustment.by) == (
        Decimal("100.00"),
        Decimal("97.00"),
        supervisor,
    )


def test_weights_that_do_not_add_up_to_100_are_refused(world):
    from guanjia.core.policies.services import set_policy

    with pytest.raises(ValidationError, match="add up to 95"):
        set_policy(
            key="appraisal.weights.cashier",
            value="collection_rate=25,daily_report_on_time=15,cash_accuracy=15,receipt_voids=10,spot_checks=15,attendance=15",
            by=world.user("hr"),
            company=world.company,
            reason="调整",
        )
    with pytest.raises(ValidationError, match="not a measure of this role"):
        set_policy(
            key="appraisal.weights.cashier",
            value="patrol_completion=100",
            by=world.user("hr"),
            company=world.company,
            reason="调整",
        )


def test_actors_outside_the_rule_are_refused(world):
    found = appraisal(world, "rated")
    with pytest.raises(ValidationError, match="cannot move"):
        services.publish(appraisal=found, by=world.user("hr"))  # not reviewed yet
    services.review(appraisal=found, note="", by=actor(world, world.a, "director"))
    with pytest.raises(PermissionDenied):
        services.confirm(appraisal=found, by=world.user("supervisor"))
    found.refresh_from_db()
    assert found.status == Status.REVIEWED
