"""The permission matrix: what every route promises about who may use it.

Each app lists its routes in `<app>/tests/routes.py` as `ROUTES: list[RouteCase]`. The test in
`test_route_matrix.py` walks the URL configuration and fails on any route that no app lists,
then proves for each case: anonymous -> login (401 for the API), wrong role -> 403, an object
of another community -> 404 with nothing changed, the right role -> success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from guanjia.core.models import Community

# (world, community) -> URL kwargs, or -> POST body. Build the object the route acts on.
Builder = Callable[[Any, Community], dict[str, Any]]


@dataclass(frozen=True)
class RouteCase:
    """One route's promises. `allowed` and `denied` are role codes holding a membership in
    community A (company-wide for company roles)."""

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

    def __post_init__(self) -> None:
        if self.kwargs is None and self.scoped and not self.public:
            # A route without an object in its URL or body cannot show a 404 for another
            # community; say why instead.
            assert self.data is not None or self.why_unscoped, (
                f"{self.name}: give kwargs/data or why_unscoped"
            )
