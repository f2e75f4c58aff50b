from guanjia.accounts.tests.factories import staff
from guanjia.core.notifications.tests.factories import NotificationFactory
from guanjia.core.tests.matrix import RouteCase

OWN = "a user's own inbox: it holds only notifications addressed to them"


def _notification(world, community):
    """In community A: the caller's own notification. In B: a colleague's there (so 404)."""
    if community == world.a:
        recipient = world.user("receptionist")
    else:
        recipient = staff("receptionist", community, company=world.company)
    return {"pk": NotificationFactory(recipient=recipient, community=community).pk}


ROUTES = [
    RouteCase(
        "notifications:inbox",
        allowed="receptionist",
        scoped=False,
        why_unscoped=OWN,
        max_queries=12,
    ),
    RouteCase(
        "notifications:preferences",
        allowed="receptionist",
        scoped=False,
        why_unscoped="a user's own choice of channels",
        max_queries=12,
    ),
    RouteCase(
        "notifications:bell", allowed="receptionist", scoped=False, why_unscoped=OWN, max_queries=11
    ),
    RouteCase(
        "notifications:read-all",
        allowed="receptionist",
        method="POST",
        scoped=False,
        why_unscoped=OWN,
        max_queries=13,
    ),
    RouteCase(
        "notifications:read",
        allowed="receptionist",
        method="POST",
        kwargs=_notification,
        max_queries=14,
    ),
    RouteCase(
        "notifications:open",
        allowed="receptionist",
        method="POST",
        kwargs=_notification,
        max_queries=14,
    ),
    RouteCase(
        "notifications:outbox",
        allowed="admin",
        denied="receptionist",
        scoped=False,
        why_unscoped="the company's outbox, rows filtered by visible_to",
        max_queries=12,
    ),
    RouteCase(
        "notifications:send-test",
        allowed="admin",
        denied="receptionist",
        method="POST",
        scoped=False,
        why_unscoped="a test message to the caller themselves",
        max_queries=18,
    ),
    RouteCase(
        "notifications-api:list",
        allowed="receptionist",
        api=True,
        scoped=False,
        why_unscoped=OWN,
        max_queries=11,
    ),
    RouteCase(
        "notifications-api:read",
        allowed="receptionist",
        method="POST",
        api=True,
        kwargs=_notification,
        max_queries=14,
    ),
]
