"""Who is told as a renovation moves: reviewers and engineering when it comes up for review,
engineering when acceptance is asked, the director when a refund waits, the cashier when it is
approved; never the person who acted, never another community's staff."""

import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.core.notifications.models import Notification
from guanjia.renovation import services

from .factories import final_accepted, in_progress, under_review

pytestmark = pytest.mark.django_db


def _told(event):
    return sorted(n.recipient.username for n in Notification.objects.filter(event=event))


def test_an_application_under_review_reaches_the_reviewers_and_engineering(
    world, django_capture_on_commit_callbacks
):
    for role in ("supervisor", "director", "engineering_lead"):
        world.user(role)
    staff("supervisor", world.b, username="supervisor-b", company=world.company)
    with django_capture_on_commit_callbacks(execute=True):
        under_review(world, world.a)
    assert _told("renovation.to_review") == ["director-a", "engineering_lead-a", "supervisor-a"]


def test_acceptance_and_the_refund_reach_who_acts_next(world, django_capture_on_commit_callbacks):
    for role in ("director", "engineering_lead", "cashier"):
        world.user(role)
    reno = in_progress(world, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_completion(renovation=reno, by=world.user("receptionist"))
    assert _told("renovation.acceptance_requested") == ["engineering_lead-a"]
    reno = final_accepted(world, world.a)
    with django_capture_on_commit_callbacks(execute=True):
        refund = services.request_refund(
            renovation=reno, payee="王业主", by=world.user("supervisor")
        )
    assert _told("renovation.refund_to_decide") == ["director-a"]
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_refund(refund=refund, approve=True, by=world.user("director"))
    assert _told("renovation.refund_to_pay") == ["cashier-a"]
