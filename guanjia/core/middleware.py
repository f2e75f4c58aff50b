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
    from guanjia.accounts.selectors import visible_community_ids

    ids = visible_community_ids(request.user)
    chosen = request.session.get(SESSION_KEY)
    queryset = Community.objects.filter(is_active=True).select_related("company")
    if ids is not None:
        if not ids:
            return None
        queryset = queryset.filter(pk__in=ids)
    if chosen is not None:
        found = queryset.filter(pk=chosen).first()
        if found is not None:
            return found
    return queryset.order_by("name").first()
