"""The permission matrix: what every route promises about who may use it.

Each app lists its routes in `<app>/tests/routes.py` as `ROUTES: list[RouteCase]`. The test in
`test_route_matrix.py` walks the URL configuration and fails on any route that no app lists,
then proves for each case: anonymous -> login (401 for the API), wrong role -> 403, an object
of another community -> 404 with nothing changed (no row added, removed or altered), the right
role -> success within the case's query ceiling.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import guanjia
from guanjia.core.models import Community

# (world, community) -> URL kwargs, or -> POST body. Build the object the route acts on.
Builder = Callable[[Any, Community], dict[str, Any]]

# A case that does not say otherwise: a page or an API call that needs more is either doing
# too much or says so with its own, measured ceiling.
DEFAULT_MAX_QUERIES = 20

# Tables a request writes whatever its route does (the session, the login lockout's log) or
# that only the admin writes: a 404 may touch them.
NOT_FINGERPRINTED = ("sessions.", "axes.", "admin.")


@dataclass(frozen=True)
class RouteCase:
    """One route's promises. `allowed` and `denied` are role codes holding a membership in
    community A (company-wide for company roles). `max_queries`: the most SQL queries the
    right role's request may run (measured, plus a small margin; see docs/testing.md)."""

    name: str
    allowed: str | None
    denied: str | None = None
    method: str = "GET"
    kwargs: Builder | None = None
    data: Builder | None = None
    scoped: bool = True  # an object of community B answers 404
    public: bool = False  # no login needed (login page, health, schema)
    api: bool = False  # anonymous gets 401 rather than a redirect to the login page
    ok: tuple[int, ...] = (200, 302)
    query: str = ""
    why_unscoped: str = ""
    max_queries: int = DEFAULT_MAX_QUERIES
    # Where in <app>/tests/routes.py the case is written (path:first line-last line): named
    # when the ceiling is passed, and used by route_queries.py to write measured ceilings.
    defined_at: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kwargs is None and self.scoped and not self.public:
            # A route without an object in its URL or body cannot show a 404 for another
            # community; say why instead.
            assert self.data is not None or self.why_unscoped, (
                f"{self.name}: give kwargs/data or why_unscoped"
            )
        assert self.max_queries > 0, f"{self.name}: max_queries must be positive"
        if not self.defined_at:
            object.__setattr__(self, "defined_at", _written_at())

    @property
    def key(self) -> str:
        return f"{self.name}|{self.method}"


def _written_at() -> str:
    """The span of the call in a routes.py that made this case: the call written in the list
    (or in a loop), also when a helper such as `unscoped(...)` made the case for it."""
    frame: Any = sys._getframe(2)
    while frame is not None and not frame.f_code.co_filename.endswith("routes.py"):
        frame = frame.f_back
    # Out of helpers, up to the code that writes the list: the module or a loop in it.
    while frame is not None and not frame.f_code.co_name.startswith("<"):
        frame = frame.f_back
    if frame is None:
        return ""
    where = inspect.getframeinfo(frame, context=0).positions
    if where is None or where.lineno is None:
        return f"{frame.f_code.co_filename}:{frame.f_lineno}"
    return f"{frame.f_code.co_filename}:{where.lineno}-{where.end_lineno}"


def all_cases() -> dict[str, RouteCase]:
    """Every app's cases by `name|METHOD`; a route listed twice is an error."""
    cases: dict[str, RouteCase] = {}
    for module in pkgutil.walk_packages(guanjia.__path__, "guanjia."):
        if module.name.endswith(".tests.routes"):
            for case in importlib.import_module(module.name).ROUTES:
                assert case.key not in cases, f"route {case.key} listed twice"
                cases[case.key] = case
    return cases


def prepare(case: RouteCase, world: Any, community: Community) -> tuple[str, dict[str, Any]]:
    """Build the route's object (and so its URL and body) before any snapshot is taken."""
    url = reverse(case.name, kwargs=case.kwargs(world, community) if case.kwargs else None)
    if case.query:
        url += "?" + case.query
    return url, case.data(world, community) if case.data else {}


def call(client: Client, case: RouteCase, prepared: tuple[str, dict[str, Any]]) -> Any:
    url, body = prepared
    if case.method == "GET":
        return client.get(url, body)
    if case.api:
        return client.generic(case.method, url, json.dumps(body), content_type="application/json")
    if case.method == "POST":
        return client.post(url, body)
    return client.generic(case.method, url, body)


def as_right_role(world: Any, case: RouteCase) -> tuple[Any, list[str]]:
    """The right role's request on an object of community A: the response and the SQL of
    the request alone (the login and the object are made before counting)."""
    client = world.client(case.allowed)
    prepared = prepare(case, world, world.a)
    with CaptureQueriesContext(connection) as queries:
        response = call(client, case, prepared)
    return response, [query["sql"] for query in queries.captured_queries]


# --- Nothing changed ---------------------------------------------------------------------


def fingerprint() -> dict[str, str]:
    """Per table, its row count and a digest of every row's contents in primary-key order.

    A count alone misses an UPDATE (or a delete plus an insert); the digest changes when any
    column of any row does. Many-to-many and history tables are included. The rows are read
    as stored (raw SQL: no decryption or other field conversion), one query per table."""
    prints: dict[str, str] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            label, meta = model._meta.label, model._meta
            if label.startswith(NOT_FINGERPRINTED) or meta.proxy:
                continue
            table, pk = quote(meta.db_table), quote(meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 (model names)
            rows = cursor.fetchall()
            digest = hashlib.sha256(json.dumps(rows, default=_plain).encode()).hexdigest()
            prints[label] = f"{len(rows)}:{digest[:16]}"
    return prints


def _plain(value: Any) -> str:
    """A column value json cannot write, as text (bytes as hex: a memoryview's repr would
    name its address)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return repr(value)


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    )


def assert_unchanged(before: dict[str, str], what: str) -> None:
    """Fail, naming the tables, when anything changed since the `before` fingerprint."""
    changed = changed_tables(before, fingerprint())
    assert not changed, f"{what}: a refused request changed {', '.join(changed)}"
