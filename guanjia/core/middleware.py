"""Request-wide context: the community the staff member is working in right now; no caching
of signed-in pages."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from .http import as_guanjia
from .models import Community

SESSION_KEY = "community_id"


class CurrentCommunityMiddleware:
    """Sets `request.community` (the chosen community if still visible, else the first one)
    and `request.access` (computed on first use): see guanjia/core/http.py."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from guanjia.core.access import get_access

        typed = as_guanjia(request)
        typed.community = None
        typed.access = SimpleLazyObject(lambda: get_access(request.user))  # type: ignore[assignment]
        if request.user.is_authenticated:
            typed.community = current_community(request)
        return self.get_response(request)


def current_community(request: HttpRequest) -> Community | None:
    """The chosen community if still visible, else the first by name (no query: the user's
    visible communities are loaded once with their access)."""
    from guanjia.core.access import get_access

    communities = get_access(request.user).communities
    chosen = request.session.get(SESSION_KEY)
    for community in communities:
        if community.pk == chosen:
            return community
    return communities[0] if communities else None


class NoStoreMiddleware:
    """Signed-in pages and API answers are never stored by a browser or a proxy: they carry
    personal data (`Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`).
    A response that sets its own Cache-Control (static files, the health check) keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response


class NumberOutOfRangeMiddleware:
    """A page given an integer beyond 64 bits (in its URL, query or form) answers 400 with
    the bad-request page rather than 500: SQLite's driver raises OverflowError and
    PostgreSQL numeric_value_out_of_range for such numbers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .api import number_out_of_range

        if number_out_of_range(exception):
            return render(request, "400.html", status=400)
        return None
