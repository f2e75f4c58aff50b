from guanjia.core.tests.matrix import RouteCase

ROUTES = [
    RouteCase("login", allowed=None, public=True),
    RouteCase(
        "logout",
        allowed="receptionist",
        method="POST",
        scoped=False,
        why_unscoped="logging out concerns no community",
    ),
    RouteCase(
        "password_change",
        allowed="receptionist",
        scoped=False,
        why_unscoped="a user's own password",
    ),
    RouteCase(
        "password_change_done",
        allowed="receptionist",
        scoped=False,
        why_unscoped="a user's own password",
    ),
    RouteCase(
        "accounts-api:me",
        allowed="receptionist",
        api=True,
        scoped=False,
        why_unscoped="the caller's own profile",
    ),
]
