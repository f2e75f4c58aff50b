"""Who is told, end to end through the services (after commit)."""

import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.conduct import services
from guanjia.core.notifications.models import Notification

from .factories import open_check, record

pytestmark = pytest.mark.django_db


def _told(event):
    return sorted(n.recipient.username for n in Notification.objects.filter(event=event))


def test_the_employee_is_told_to_sign_a_check(world, django_capture_on_commit_callbacks):
    check = open_check(world, kinds=["three_voices"])
    results = {i.pk: services.ItemResult("pass") for i in check.items.all()}
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_check(check=check, results=results, by=check.inspector)
    assert _told("conduct.check_to_sign") == ["receptionist-a"]


def test_a_record_reaches_the_employee_then_the_approvers_of_its_community_only(
    world, django_capture_on_commit_callbacks
):
    world.user("director")
    staff("director", world.b, username="director-b", company=world.company)
    rec = record(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_facts(record=rec, by=world.user("director"))
    assert _told("conduct.record_to_sign") == ["receptionist-a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_record(record=rec, by=world.user("receptionist"))
    assert _told("conduct.record_to_approve") == ["director-a"]  # not the proposer


def test_effect_appeal_and_the_cap_are_told(world, django_capture_on_commit_callbacks):
    world.user("hr")
    rec = record(world, "acknowledged", amount="900", monthly_pay="3000")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_record(record=rec, by=world.user("director"))
    assert _told("conduct.record_effective") == ["receptionist-a"]
    assert _told("conduct.over_cap") == ["hr-a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_record(record=rec, by=world.user("receptionist"), grounds="不服")
    assert _told("conduct.appeal_to_decide") == ["hr-a"]


def _codes(user, community):
    from guanjia.core.workbench.selectors import workbench

    return {t.kind.code for t in workbench(user, community).tasks}


def test_the_workbench_shows_each_step_to_whom_it_waits_for(world):
    rec = record(world)
    assert "conduct.to_confirm" in _codes(world.user("director"), world.a)
    assert "conduct.to_confirm" not in _codes(world.user("receptionist"), world.a)
    assert "conduct.to_confirm" not in _codes(world.user("director"), world.b)
    services.confirm_facts(record=rec, by=world.user("director"))
    assert "conduct.record_to_sign" in _codes(world.user("receptionist"), world.a)
    assert "conduct.record_to_sign" not in _codes(world.user("cashier"), world.a)
    services.sign_record(record=rec, by=world.user("receptionist"))
    assert "conduct.to_approve" in _codes(world.user("director"), world.a)
    assert "conduct.to_approve" not in _codes(world.user("supervisor"), world.a)  # proposed it
