"""The workbench mechanism itself: declarations, and a core app's own task (policy proposals
waiting for the user's decision, guanjia/core/policies/workbench.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.policies.models import PolicyProposal
from guanjia.core.policies.services import approve_proposal, propose_policy
from guanjia.core.workbench import TaskKind, register_task
from guanjia.core.workbench.registry import _TASKS
from guanjia.core.workbench.selectors import _as_moment, workbench

pytestmark = pytest.mark.django_db

OPS_KEY = "complaint.first_reply_hours"  # an operations key: the director decides


def _proposals(user, community):
    return {c.kind.code: c.total for c in workbench(user, community).counts}.get(
        "policies.proposal"
    )


def test_a_task_kind_declared_twice_is_refused():
    kind = _TASKS["policies.proposal"]
    with pytest.raises(ValueError, match="already registered"):
        register_task(TaskKind(**{**kind.__dict__}))


def test_a_date_deadline_passes_at_the_end_of_its_day():
    moment = _as_moment(dt.date(2026, 3, 1))
    assert timezone.localtime(moment).date() == dt.date(2026, 3, 2)
    assert timezone.localtime(moment).time() == dt.time(0, 0)


def test_a_proposal_waits_for_the_director_not_for_its_proposer_nor_elsewhere(world):
    supervisor = world.user("supervisor")
    propose_policy(key=OPS_KEY, value=36, community=world.a, reason="夜班人手不足", by=supervisor)
    other = staff("supervisor", world.b, username="supervisor-b", company=world.company)
    propose_policy(key=OPS_KEY, value=40, community=world.b, reason="其他小区", by=other)
    assert _proposals(world.user("director"), world.a) == 1
    assert _proposals(supervisor, world.a) is None  # a supervisor decides nothing
    assert _proposals(world.user("receptionist"), world.a) is None


def test_a_decided_proposal_leaves_the_workbench(world):
    proposal = propose_policy(
        key=OPS_KEY, value=36, community=world.a, reason="夜班", by=world.user("supervisor")
    )
    approve_proposal(proposal=proposal, by=world.user("director"), note="同意")
    assert PolicyProposal.objects.get(pk=proposal.pk).status == "approved"
    assert _proposals(world.user("director"), world.a) == 0


def test_without_a_community_there_is_no_workbench(world):
    page = world.client("receptionist")
    user = world.user("receptionist")
    user.memberships.all().delete()
    response = page.get("/")
    assert response.status_code == 200
    assert response.context["bench"] is None
