"""Billing's approvals on the workbench: run reversals and fee standards to approve."""

import pytest
from django.urls import reverse

from guanjia.accounts.tests.factories import staff
from guanjia.billing.services import request_run_reversal
from guanjia.core.workbench.selectors import workbench

from .factories import FeeStandardFactory
from .test_runs import MARCH, run, standard, units  # noqa: F401  # fixtures

pytestmark = pytest.mark.django_db


def _counts(user, community):
    return {c.kind.code: (c.total, c.url) for c in workbench(user, community).counts}


@pytest.mark.usefixtures("units")
def test_a_requested_reversal_waits_for_the_director_not_for_its_poster(
    clock, world, item, cashier
):
    result = run(world, item, cashier)
    request_run_reversal(run=result.run, by=cashier, reason="单价录错")
    assert _counts(world.user("director"), world.a)["billing.run_reversal"] == (
        1,
        reverse("billing:run-list"),
    )
    assert "billing.run_reversal" not in _counts(cashier, world.a)
    director_b = staff("director", world.b, username="director-b", company=world.company)
    assert _counts(director_b, world.b)["billing.run_reversal"][0] == 0


def test_a_proposed_standard_waits_for_its_approvers_not_its_proposer(world, item):
    proposer = world.user("finance")
    colleague = staff("finance", None, username="finance-2", company=world.company)
    FeeStandardFactory(
        community=world.a, fee_item=item, approval_status="proposed", proposed_by=proposer
    )
    assert _counts(colleague, world.a)["billing.standard_approval"] == (
        1,
        reverse("billing:standard-waiting"),
    )
    assert _counts(proposer, world.a)["billing.standard_approval"][0] == 0
    assert "billing.standard_approval" not in _counts(world.user("cashier"), world.a)
