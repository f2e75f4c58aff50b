"""Request-wide context: the community the staff member is working in right now."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .models import Community

SESSION_KEY = "community_id"


class CurrentCommunityMiddleware:
    """Sets `request.community`: the chosen community if still visible, else the first one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.community = None  # type: ignore[attr-defined]  # set lazily below
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.community = current_community(request)  # type: ignore[attr-defined]
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
