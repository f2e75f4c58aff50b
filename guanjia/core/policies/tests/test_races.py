import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from guanjia.accounts.tests.factories import staff
from guanjia.core.policies.models import PolicyProposal, PolicyValue, ProposalStatus
from guanjia.core.policies.services import approve_proposal, propose_policy
from guanjia.core.tests.factories import CommunityFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="race safety is proven on PostgreSQL"
)


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
    outcomes: list[str] = []
    barrier = threading.Barrier(len(directors))

    def approve(director) -> None:
        try:
            barrier.wait(timeout=30)
            approve_proposal(proposal=PolicyProposal.objects.get(pk=proposal.pk), by=director)
            outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append(exc.code or "invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(d,)) for d in directors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["already_decided"] * 7 + ["approved"]
    assert PolicyValue.objects.filter(proposal=proposal).count() == 1
    assert PolicyProposal.objects.get(pk=proposal.pk).status == ProposalStatus.APPROVED
