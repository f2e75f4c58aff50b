from guanjia.core.tests.matrix import RouteCase

ROUTES = [
    RouteCase(
        "core:home",
        allowed="receptionist",
        scoped=False,
        why_unscoped="the home page shows the user's own communities",
    ),
    RouteCase(
        "core:switch-community",
        allowed="receptionist",
        method="POST",
        data=lambda w, c: {"community": c.pk},
    ),
    RouteCase("healthz", allowed=None, public=True),
    RouteCase("api-schema", allowed=None, public=True),
    RouteCase("api-docs", allowed=None, public=True),
]
