"""Work plans (spec §02): draft, submitted, approved or returned with comments, in progress,
summarised, archived; the refusals leave everything as it was."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.core.workflows import WorkflowDenied, WorkflowError
from guanjia.plans import services
from guanjia.plans.models import PlanEvent, PlanStatus
from guanjia.plans.selectors import plan_completion, plan_completion_by_owner, plan_progress

from .factories import actor, approved, draft, submitted, this_month

pytestmark = pytest.mark.django_db


def test_a_plan_goes_from_draft_to_archived_with_an_event_per_step(world):
    sup, director = world.user("supervisor"), world.user("director")
    plan = approved(world, world.a)
    assert plan.status == PlanStatus.APPROVED
    assert plan.decided_by == director
    services.start_plan(plan=plan, by=sup)
    item = plan.items.get()
    services.record_progress(item=item, done_pct=100, note="完成", by=sup)
    services.summarise_plan(plan=plan, summary="全部完成", by=sup)
    services.archive_plan(plan=plan, by=sup)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ARCHIVED
    assert plan.summary == "全部完成"
    moves = list(PlanEvent.objects.filter(plan=plan).values_list("action", "to_status"))
    assert moves == [
        ("created", "draft"),
        ("requested", "submitted"),
        ("approved", "approved"),
        ("started", "in_progress"),
        ("summarised", "summarised"),
        ("archived", "archived"),
    ]


def test_a_plan_submitted_twice_is_refused_with_a_clear_message_and_nothing_changes(world):
    plan = submitted(world, world.a)
    before = PlanEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.submit_plan(plan=plan, by=world.user("supervisor"))
    assert refused.value.messages == ["This plan has already been submitted to the director."]
    assert PlanEvent.objects.count() == before
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_the_author_cannot_approve_their_own_plan(world):
    plan = submitted(world, world.a)
    with pytest.raises(PermissionDenied) as refused:
        services.approve_plan(plan=plan, by=world.user("supervisor"))
    assert "author" in str(refused.value)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.decided_by is None


def test_a_director_who_wrote_the_plan_cannot_approve_it_either(world):
    director = world.user("director")
    plan = draft(world, world.a)
    plan.author = director  # a plan the director wrote and the supervisor submitted
    plan.save(update_fields=["author"])
    services.submit_plan(plan=plan, by=world.user("supervisor"))
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan=plan, by=director)


def test_a_second_decision_is_refused(world):
    plan = approved(world, world.a)
    with pytest.raises(WorkflowError) as refused:
        services.approve_plan(plan=plan, by=world.user("director"))
    assert refused.value.code == "already_decided"


def test_a_returned_plan_goes_back_to_draft_with_the_comments(world):
    plan = submitted(world, world.a)
    services.return_plan(plan=plan, comments="补充回访计划", by=world.user("director"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.reason == "补充回访计划"
    assert plan.events.last().note == "补充回访计划"


def test_returning_needs_comments(world):
    plan = submitted(world, world.a)
    with pytest.raises(WorkflowError) as refused:
        services.return_plan(plan=plan, comments="  ", by=world.user("director"))
    assert refused.value.code == "reason_required"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_role_without_the_authority_cannot_approve(world):
    plan = submitted(world, world.a)
    with pytest.raises(WorkflowDenied) as refused:
        services.approve_plan(plan=plan, by=world.user("receptionist"))
    assert refused.value.code == "not_permitted"


def test_a_plan_without_items_cannot_be_submitted(world):
    plan = draft(world, world.a, items=0)
    with pytest.raises(ValidationError) as refused:
        services.submit_plan(plan=plan, by=world.user("supervisor"))
    assert refused.value.code == "no_items"


def test_a_second_plan_for_the_same_month_is_refused(world):
    draft(world, world.a)
    with pytest.raises(ValidationError) as refused:
        draft(world, world.a)
    assert "period" in refused.value.message_dict


def test_an_item_needs_an_owner_of_the_community_and_a_due_date_in_the_period(world):
    plan = draft(world, world.a, items=0)
    sup = world.user("supervisor")
    outsider = actor(world, world.b, "receptionist")
    cases = [
        ({"owner": None, "due_on": plan.period}, "owner"),
        ({"owner": outsider, "due_on": plan.period}, "owner"),
        ({"owner": sup, "due_on": None}, "due_on"),
        ({"owner": sup, "due_on": plan.period.replace(year=plan.period.year + 1)}, "due_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            services.add_item(plan=plan, title="x", by=sup, **kwargs)
        assert field in refused.value.message_dict
    assert plan.items.count() == 0


def test_items_cannot_change_once_submitted(world):
    plan = submitted(world, world.a)
    with pytest.raises(ValidationError) as refused:
        services.add_item(
            plan=plan,
            title="x",
            owner=world.user("supervisor"),
            due_on=plan.period,
            by=world.user("supervisor"),
        )
    assert refused.value.code == "not_draft"


def test_progress_is_recorded_by_the_owner_only_while_the_plan_runs(world):
    plan = draft(world, world.a)
    item = plan.items.get()
    owner = world.user("receptionist")
    with pytest.raises(ValidationError):
        services.record_progress(item=item, done_pct=50, by=owner)
    sup = world.user("supervisor")
    services.submit_plan(plan=plan, by=sup)
    services.approve_plan(plan=plan, by=world.user("director"))
    services.record_progress(item=item, done_pct=50, note="一半", by=owner)
    with pytest.raises(PermissionDenied):
        services.record_progress(item=item, done_pct=60, by=world.user("cashier"))
    with pytest.raises(ValidationError):
        services.record_progress(item=item, done_pct=101, by=owner)
    item.refresh_from_db()
    assert item.done_pct == 50


def test_plan_completion_counts_the_approved_plans_items_per_owner(world):
    plan = approved(world, world.a, items=3)
    sup = world.user("supervisor")
    first, second, third = plan.items.all()
    services.record_progress(item=first, done_pct=100, by=sup)
    services.record_progress(item=second, done_pct=80, by=sup)
    third.owner = sup
    third.save(update_fields=["owner"])
    draft(world, world.a, kind="annual", title="年度计划")  # a draft does not count
    start = this_month()
    end = start.replace(day=28)
    assert plan_completion(world.a, start, end) == (1, 3)
    assert plan_completion(world.b, start, end) == (0, 0)
    by_owner = plan_completion_by_owner(world.a, start, end)
    assert by_owner == {world.user("receptionist").pk: (1, 2), sup.pk: (0, 1)}
    assert plan_progress(plan).rate == 33


def test_an_acting_supervisor_writes_and_submits_for_the_period_of_the_cover(world):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from guanjia.accounts.tests.factories import grant

    cover = world.user("receptionist")
    today = timezone.localdate()
    grant(cover, "supervisor", world.a, starts_on=today, ends_on=today, is_acting=True)
    plan = services.create_plan(
        community=world.a, kind="monthly", period=this_month(), title="代理计划", by=cover
    )
    services.add_item(plan=plan, title="x", owner=cover, due_on=plan.period, by=cover)
    services.submit_plan(plan=plan, by=cover)
    assert plan.requested_by == cover
    with time_machine.travel(today + dt.timedelta(days=1)):
        fresh = type(cover).objects.get(pk=cover.pk)
        with pytest.raises(PermissionDenied):
            services.create_plan(
                community=world.a, kind="annual", period=this_month(), title="年度", by=fresh
            )
