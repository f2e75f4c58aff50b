import importlib
import json
import pkgutil

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import guanjia
from guanjia.core.tests.matrix import RouteCase

# Routes that belong to the frameworks we use, not to Guanjia.
# No "media/": uploads have no public route (guanjia/core/files); one would need a case.
FRAMEWORK_PREFIXES = ("django-admin/", "i18n/", "static/")


def _all_cases() -> dict[str, RouteCase]:
    cases: dict[str, RouteCase] = {}
    for module in pkgutil.walk_packages(guanjia.__path__, "guanjia."):
        if module.name.endswith(".tests.routes"):
            for case in importlib.import_module(module.name).ROUTES:
                key = f"{case.name}|{case.method}"
                assert key not in cases, f"route {key} listed twice"
                cases[key] = case
    return cases


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


CASES = _all_cases()


def test_every_route_is_in_the_matrix():
    listed = {case.name for case in CASES.values()}
    missing = sorted(_url_names() - listed)
    assert not missing, f"routes without a RouteCase in <app>/tests/routes.py: {missing}"


def _fingerprint() -> str:
    """Row counts of every table: a 404 must leave all of them as they were."""
    return json.dumps(
        {
            m._meta.label: m._default_manager.count()
            for m in apps.get_models()
            if not m._meta.label.startswith(("sessions.", "axes.", "admin."))
        }
    )


def _prepare(case: RouteCase, world, community) -> tuple[str, dict]:
    """Build the route's object (and so its URL and body) before any snapshot is taken."""
    url = reverse(case.name, kwargs=case.kwargs(world, community) if case.kwargs else None)
    if case.query:
        url += "?" + case.query
    return url, case.data(world, community) if case.data else {}


def _call(client, case: RouteCase, world, community, prepared=None):
    url, body = prepared or _prepare(case, world, community)
    if case.method == "GET":
        return client.get(url, body)
    if case.api:
        return client.generic(case.method, url, json.dumps(body), content_type="application/json")
    return (
        client.generic(case.method, url, body) if case.method != "POST" else client.post(url, body)
    )


@pytest.mark.parametrize("key", sorted(CASES))
def test_anonymous_is_sent_to_login(world, key):
    case = CASES[key]
    response = _call(world.client(None), case, world, world.a)
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
    prepared = _prepare(case, world, world.a)
    before = _fingerprint()
    response = _call(client, case, world, world.a, prepared)
    assert response.status_code == 403
    assert _fingerprint() == before


@pytest.mark.parametrize(
    "key", sorted(k for k, c in CASES.items() if c.scoped and not c.public and c.allowed)
)
def test_other_community_gets_404_and_nothing_changes(world, key):
    case = CASES[key]
    client = world.client(case.allowed)
    prepared = _prepare(case, world, world.b)
    before = _fingerprint()
    response = _call(client, case, world, world.b, prepared)
    assert response.status_code == 404
    assert _fingerprint() == before


@pytest.mark.parametrize("key", sorted(k for k, c in CASES.items() if c.allowed or c.public))
def test_right_role_succeeds(world, key):
    case = CASES[key]
    response = _call(world.client(case.allowed), case, world, world.a)
    assert response.status_code in case.ok, getattr(response, "content", b"")[:500]
