import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guanjia.core.tests.matrix import (
    all_cases,
    as_right_role,
    assert_unchanged,
    call,
    fingerprint,
    prepare,
)

# Routes that belong to the frameworks we use, not to Guanjia.
# No "media/": uploads have no public route (guanjia/core/files); one would need a case.
FRAMEWORK_PREFIXES = ("django-admin/", "i18n/", "static/")


def _url_names(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> set[str]:
    names: set[str] = set()
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(FRAMEWORK_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner_ns = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            names |= _url_names(pattern, route, inner_ns)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"route {route} has no name"
            names.add(ns + pattern.name)
    return names


CASES = all_cases()


def test_every_route_is_in_the_matrix():
    listed = {case.name for case in CASES.values()}
    missing = sorted(_url_names() - listed)
    assert not missing, f"routes without a RouteCase in <app>/tests/routes.py: {missing}"


@pytest.mark.parametrize("key", sorted(CASES))
def test_anonymous_is_sent_to_login(world, key):
    case = CASES[key]
    response = call(world.client(None), case, prepare(case, world, world.a))
    if case.public:
        assert response.status_code < 400 or response.status_code == 405
    elif case.api:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("key", sorted(k for k, c in CASES.items() if c.denied))
def test_wrong_role_gets_403(world, key):
    case = CASES[key]
    client = world.client(case.denied)
    prepared = prepare(case, world, world.a)
    before = fingerprint()
    response = call(client, case, prepared)
    assert response.status_code == 403
    assert_unchanged(before, key)


@pytest.mark.parametrize(
    "key", sorted(k for k, c in CASES.items() if c.scoped and not c.public and c.allowed)
)
def test_other_community_gets_404_and_nothing_changes(world, key):
    case = CASES[key]
    client = world.client(case.allowed)
    prepared = prepare(case, world, world.b)
    before = fingerprint()
    response = call(client, case, prepared)
    assert response.status_code == 404
    assert_unchanged(before, key)


@pytest.mark.parametrize("key", sorted(k for k, c in CASES.items() if c.allowed or c.public))
def test_right_role_succeeds(world, key):
    case = CASES[key]
    response, queries = as_right_role(world, case)
    assert response.status_code in case.ok, getattr(response, "content", b"")[:500]
    assert len(queries) <= case.max_queries, (
        f"{key}: {len(queries)} queries, over its ceiling of {case.max_queries} "
        f"(max_queries at {case.defined_at}):\n" + "\n".join(q[:200] for q in queries)
    )
