"""What every signed-in page costs before its own work: session, user, memberships, role
permissions and the visible communities (with the current one and the switcher taken from
them) — five queries, whatever the number of communities."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.core.tests.factories import CommunityFactory

BASE = 5  # session, user, memberships, role permissions, communities
INBOX = 2  # the bell's unread count, the inbox page's count and rows


def _community_reads(queries: list[str]) -> list[str]:
    return [q for q in queries if q.split(" FROM ")[1].startswith('"core_community"')]


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("role", ["supervisor", "finance"])  # one community / company-wide
def test_a_page_costs_five_queries_before_its_own(world, role):
    client = world.client(role)
    client.get("/inbox/")
    # The current community and the switcher come from the access: one read of communities.
    assert len(_community_reads(_queries(client, "/inbox/"))) == 1
    for _ in range(5):
        CommunityFactory(company=world.company)
    queries = _queries(client, "/inbox/")
    assert len(_community_reads(queries)) == 1
    assert len(queries) <= BASE + INBOX + 1
    page = client.get("/inbox/").content.decode()
    assert world.a.name in page  # the switcher still lists the communities


def test_the_chosen_community_is_kept_and_an_invisible_one_falls_back(world):
    client = world.client("finance")
    session = client.session
    session["community_id"] = world.b.pk
    session.save()
    assert client.get("/inbox/").wsgi_request.community == world.b
    session["community_id"] = 999_999
    session.save()
    first = sorted([world.a, world.b], key=lambda c: c.name)[0]
    assert client.get("/inbox/").wsgi_request.community == first
