import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.core.policies.models import PolicyProposal, PolicyValue, ProposalStatus
from guanjia.core.policies.services import approve_proposal, propose_policy
from guanjia.core.tests.factories import CommunityFactory
from guanjia.core.tests.races import at_once, postgres_only


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_directors_approving_one_proposal_at_once_record_one_value():
    community = CommunityFactory()
    proposer = staff("supervisor", community)
    proposal = propose_policy(
        key="complaint.first_reply_hours", value=12, community=community, reason="x", by=proposer
    )
    directors = [staff("director", community) for _ in range(8)]

    def approve(director) -> None:
        approve_proposal(proposal=PolicyProposal.objects.get(pk=proposal.pk), by=director)

    outcomes = at_once(directors, approve, done="approved")
    assert sorted(outcomes) == ["already_decided"] * 7 + ["approved"]
    assert PolicyValue.objects.filter(proposal=proposal).count() == 1
    assert PolicyProposal.objects.get(pk=proposal.pk).status == ProposalStatus.APPROVED
