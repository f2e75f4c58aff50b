"""The monthly computation: scores from the work itself, each deduction with its evidence,
the weights per role, the bonus of rewards and penalties, idempotence and bounded queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.appraisal import services
from guanjia.appraisal.measures import MEASURES, measures_for
from guanjia.appraisal.models import MonthlyScore, ScoreLine
from guanjia.appraisal.policies import DEFAULT_WEIGHTS
from guanjia.tickets.tests.factories import actor

from .factories import (
    attendance_day,
    computed,
    desk_entry,
    receptionist_month,
    score_of,
    this_month,
)

pytestmark = pytest.mark.django_db


def lines(score: MonthlyScore) -> dict[str, ScoreLine]:
    return {line.measure: line for line in score.lines.all()}


def test_every_default_weight_names_a_measure_of_its_role_and_adds_up_to_100():
    for role, weights in DEFAULT_WEIGHTS.items():
        assert sum(weights.values()) == 100
        assert set(weights) <= {m.code for m in measures_for(role)}


def test_every_measure_declares_its_role_source_and_evidence():
    for measure in MEASURES.values():
        assert measure.roles
        assert measure.source
        assert str(measure.evidence)


def test_a_receptionists_score_loses_points_for_each_fault_with_its_evidence(world):
    facts = receptionist_month(world)
    score = score_of(world)
    by_measure = lines(score)

    completeness = by_measure["register_completeness"]
    assert (completeness.numerator, completeness.denominator) == (2, 3)
    assert completeness.lost == Decimal("8.33")
    assert [e["label"].split(":")[0] for e in completeness.evidence] == [facts["incomplete"].number]
    assert completeness.evidence[0]["url"] == f"/tickets/requests/{facts['incomplete'].pk}/"

    closure = by_measure["on_time_closure"]
    assert (closure.numerator, closure.denominator) == (2, 3)
    assert facts["late_answer"].number in closure.evidence[0]["label"]

    checks = by_measure["spot_checks"]
    assert checks.lost > 0
    assert facts["check"].number in checks.evidence[0]["label"]

    attendance = by_measure["attendance"]
    assert (attendance.numerator, attendance.denominator) == (1, 1)
    assert attendance.lost == Decimal("2.00")  # appraisal.late_deduction per late day
    assert "12 min" in attendance.evidence[0]["label"]

    conduct = by_measure["conduct_points"]
    assert conduct.points == Decimal("-5.00")  # written warning −10 × 0.5
    assert facts["penalty"].number in conduct.evidence[0]["label"]

    expected = sum((line.points for line in score.lines.all()), Decimal(0))
    assert score.computed == expected == score.total
    assert score.grade == services.grade_for(world.a, score.total)


def test_nothing_to_count_gives_full_marks_and_no_evidence(world):
    actor(world, world.a, "cashier")
    score = score_of(world, "cashier")
    assert score.total == Decimal("100.00")
    assert all(not line.evidence for line in score.lines.all())
    assert {line.measure for line in score.lines.all()} == {
        *DEFAULT_WEIGHTS["cashier"],
        "conduct_points",
    }


def test_the_weights_of_the_policy_are_used(world):
    from guanjia.core.policies.services import set_policy

    desk_entry(world, world.a, complete=False)
    set_policy(
        key="appraisal.weights.receptionist",
        value="register_completeness=60,on_time_closure=10,callbacks=10,spot_checks=10,attendance=10",
        community=None,
        by=world.user("hr"),
        company=world.company,
        reason="登记质量是本年重点",
    )
    score = score_of(world)
    assert lines(score)["register_completeness"].weight == 60
    assert score.total == Decimal("40.00")


def test_a_second_run_replaces_the_computed_part_and_keeps_the_adjustment(world):
    receptionist_month(world)
    score = score_of(world)
    services.adjust_score(
        score=score, points="3", reason="主动加班处理停水", by=world.user("supervisor")
    )
    before = score.total
    first_lines = ScoreLine.objects.count()
    first_scores = MonthlyScore.objects.count()
    computed(world)
    score.refresh_from_db()
    assert score.total == before
    assert score.adjustment == Decimal("3.00")
    assert ScoreLine.objects.count() == first_lines
    assert MonthlyScore.objects.count() == first_scores


def test_queries_do_not_grow_with_the_staff(world):
    from guanjia.accounts.tests.factories import staff

    receptionist_month(world)
    with CaptureQueriesContext(connection) as few:
        services.compute_month(world.a, this_month())
    few_scores = list(MonthlyScore.objects.all())
    for i in range(6):
        person = staff("receptionist", world.a, username=f"r{i}", company=world.company)
        desk_entry(world, world.a, n=10 + i)
        attendance_day(world, world.a, "receptionist", employee=person)
    with CaptureQueriesContext(connection) as many:
        services.compute_month(world.a, this_month())
    assert MonthlyScore.objects.count() == 6 + len(few_scores)
    assert len(many) <= len(few) + 2
