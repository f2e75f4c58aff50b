from guanjia.core.tests.matrix import RouteCase

ROUTES = [
    RouteCase(
        "documents:contact-sheet",
        allowed="technician",
        scoped=False,
        why_unscoped=(
            "prints the community the user works in now (request.community, chosen through "
            "the scoped community switch); any staff member of it may print it"
        ),
        max_queries=13,
    ),
]
