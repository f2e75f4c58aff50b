from guanjia.core.tests.matrix import RouteCase

ROUTES = [
    RouteCase(
        "core:home",
        allowed="receptionist",
        scoped=False,
        why_unscoped="the home page shows the user's own communities",
        # The workbench: one query per task kind and figure group of the role (the desk:
        # letters to answer, checks and records to sign, overdue move-in defects, passes to
        # get back, own imports, handovers to take, keys out, parcels held, missing punches
        # to explain, training sessions to sign in to today and retests due, visits due,
        # appraisal and dunning tasks, the desk's figures), 28 counted on PostgreSQL.
        max_queries=28,
    ),
    RouteCase(
        "core:switch-community",
        allowed="receptionist",
        method="POST",
        data=lambda w, c: {"community": c.pk},
        max_queries=11,
    ),
    RouteCase("healthz", allowed=None, public=True, max_queries=4),
    RouteCase("api-schema", allowed=None, public=True, max_queries=2),
    RouteCase("api-docs", allowed=None, public=True, max_queries=2),
    # files:serve is listed in guanjia/estates/tests/routes.py (a household document): core
    # has no file field, and core's tests build no other app's rows.
]
