"""Per-request policy cache: empty when a request starts and when it ends."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .selectors import clear_policy_cache


class PolicyCacheMiddleware:
    """Policies read during a request come from one load per company, never older than the
    request; emptying at the end too keeps a thread's next request from seeing old values."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clear_policy_cache()
        try:
            return self.get_response(request)
        finally:
            clear_policy_cache()
