"""Who is told about a run's reversal, end to end through the services (core.workflows'
hook after commit): the approvers when it is requested, the requester when it is decided."""

import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.billing.services import (
    approve_run_reversal,
    reject_run_reversal,
    request_run_reversal,
)
from guanjia.core.notifications.models import Notification

from .test_runs import MARCH, run, standard, units  # noqa: F401  # fixtures

pytestmark = pytest.mark.django_db


def _told(event):
    return sorted(n.recipient.username for n in Notification.objects.filter(event=event))


@pytest.mark.usefixtures("units")
def test_a_requested_reversal_reaches_the_approvers_of_its_community_only(
    clock, world, item, cashier, django_capture_on_commit_callbacks
):
    result = run(world, item, cashier)
    world.user("director")
    staff("director", world.b, username="director-b", company=world.company)
    with django_capture_on_commit_callbacks(execute=True):
        request_run_reversal(run=result.run, by=cashier, reason="单价录错")
    assert _told("billing.run_reversal_requested") == ["director-a"]
    note = Notification.objects.get(event="billing.run_reversal_requested")
    assert "单价录错" in note.body
    assert note.link == f"/billing/runs/{result.run.pk}/"


@pytest.mark.usefixtures("units")
@pytest.mark.parametrize("approve", [True, False])
def test_the_requester_learns_the_decision(
    clock, world, item, cashier, approve, django_capture_on_commit_callbacks
):
    result = run(world, item, cashier)
    director = world.user("director")
    request_run_reversal(run=result.run, by=cashier, reason="单价录错")
    with django_capture_on_commit_callbacks(execute=True):
        if approve:
            approve_run_reversal(run=result.run, by=director)
        else:
            reject_run_reversal(run=result.run, by=director, reason="单价无误")
    event = "billing.run_reversal_approved" if approve else "billing.run_reversal_rejected"
    assert _told(event) == [cashier.username]
    assert not Notification.objects.filter(recipient=director).exists()  # not of their own act
