"""The Policies pages and API in the permission matrix."""

from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.core.tests.matrix import RouteCase

OPS_KEY = "complaint.first_reply_hours"  # an operations key: the director sets it
UNSCOPED_LIST = "the list shows every key; values are those of the user's own community"
UNSCOPED_KEY = "a key is company-wide; its page shows only the user's communities"
UNSCOPED_DEFAULT = "the company default concerns no single community"


def _value(w, c):
    return {"value": "36", "effective_from": timezone.localdate().isoformat(), "reason": "测试"}


def _proposal(w, c):
    """An open proposal in community c by a supervisor other than the test users."""
    from guanjia.core.policies.services import propose_policy

    proposer = staff("supervisor", c, username=f"proposer-{c.code}", company=c.company)
    proposal = propose_policy(key=OPS_KEY, value=36, community=c, reason="测试", by=proposer)
    return {"pk": proposal.pk}


ROUTES = [
    RouteCase(
        "policies:list",
        allowed="director",
        denied="receptionist",
        scoped=False,
        why_unscoped=UNSCOPED_LIST,
        max_queries=13,
    ),
    RouteCase(
        "policies:proposals",
        allowed="supervisor",
        denied="receptionist",
        scoped=False,
        why_unscoped="lists only proposals of the user's communities",
        max_queries=12,
    ),
    RouteCase(
        "policies:detail",
        allowed="auditor",
        denied="receptionist",
        scoped=False,
        kwargs=lambda w, c: {"key": OPS_KEY},
        why_unscoped=UNSCOPED_KEY,
        max_queries=15,
    ),
    RouteCase(
        "policies:set-default",
        allowed="management",
        denied="director",
        scoped=False,
        kwargs=lambda w, c: {"key": OPS_KEY},
        why_unscoped=UNSCOPED_DEFAULT,
        max_queries=12,
    ),
    RouteCase(
        "policies:set-default",
        allowed="management",
        denied="director",
        method="POST",
        scoped=False,
        kwargs=lambda w, c: {"key": OPS_KEY},
        data=_value,
        ok=(302,),
        why_unscoped=UNSCOPED_DEFAULT,
        max_queries=15,
    ),
    RouteCase(
        "policies:set-override",
        allowed="director",
        denied="supervisor",
        kwargs=lambda w, c: {"key": OPS_KEY, "community_pk": c.pk},
        max_queries=14,
    ),
    RouteCase(
        "policies:set-override",
        allowed="director",
        denied="supervisor",
        method="POST",
        kwargs=lambda w, c: {"key": OPS_KEY, "community_pk": c.pk},
        data=_value,
        ok=(302,),
        max_queries=17,
    ),
    RouteCase(
        "policies:propose",
        allowed="supervisor",
        denied="receptionist",
        kwargs=lambda w, c: {"key": OPS_KEY},
        data=lambda w, c: {"community": c.pk},
        max_queries=14,
    ),
    RouteCase(
        "policies:propose",
        allowed="supervisor",
        denied="receptionist",
        method="POST",
        kwargs=lambda w, c: {"key": OPS_KEY},
        data=lambda w, c: {**_value(w, c), "community": c.pk},
        ok=(302,),
        max_queries=19,
    ),
    RouteCase(
        "policies:proposal-approve",
        allowed="director",
        denied="supervisor",
        method="POST",
        kwargs=_proposal,
        ok=(302,),
        max_queries=26,
    ),
    RouteCase(
        "policies:proposal-reject",
        allowed="director",
        denied="supervisor",
        method="POST",
        kwargs=_proposal,
        data=lambda w, c: {"note": "不合适"},
        ok=(302,),
        max_queries=22,
    ),
    RouteCase(
        "policies-api:list",
        allowed="auditor",
        denied="receptionist",
        api=True,
        scoped=False,
        why_unscoped=UNSCOPED_LIST,
        max_queries=11,
    ),
    RouteCase(
        "policies-api:detail",
        allowed="auditor",
        denied="receptionist",
        api=True,
        scoped=False,
        kwargs=lambda w, c: {"key": OPS_KEY},
        why_unscoped=UNSCOPED_KEY,
        max_queries=13,
    ),
    RouteCase(
        "policies-api:set-value",
        allowed="director",
        denied="supervisor",
        method="POST",
        api=True,
        kwargs=lambda w, c: {"key": OPS_KEY},
        data=lambda w, c: {"community": c.pk, "value": 36, "reason": "测试"},
        ok=(201,),
        max_queries=16,
    ),
]
