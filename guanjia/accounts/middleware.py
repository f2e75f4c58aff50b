"""Session security: the idle logout of shared front-desk computers, and the lockout answer.

Front-desk computers are shared and often left logged in. After `security.idle_timeout_minutes`
(a company-wide policy) without activity the session ends: the next page request is sent to
the login page with `?expired=1&next=...`, an htmx request gets `HX-Redirect`, an API request
continues as anonymous (DRF answers 401). Requests authenticated by an API token carry no
session and are never affected.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from guanjia.core.http import as_guanjia

IDLE_POLICY = "security.idle_timeout_minutes"
LAST_ACTIVITY_KEY = "last_activity"
# The session is written at most this often: an exact-to-the-second idle clock is not worth a
# database write on every request.
REFRESH_SECONDS = 60
# Requests that are not the user's own activity (a bell polling for new notifications) send
# this header; they do not keep the session alive. Usage in a template:
# hx-headers='{"X-Guanjia-Background": "1"}'.
BACKGROUND_HEADER = "HTTP_X_GUANJIA_BACKGROUND"


def idle_limit_seconds() -> int:
    """The company-wide idle timeout, in seconds."""
    from guanjia.core.policies.selectors import policy

    return int(policy(None, IDLE_POLICY)) * 60


class IdleTimeoutMiddleware:
    """Log out a session idle for longer than the policy allows (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _has_token(request):
            return None
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int) and _expired(now - last):
            logout(request)
            as_guanjia(request).community = None  # set for the user just gone
            if not getattr(view_func, "login_required", True):
                return None  # a public page, or the API (DRF answers 401): go on as anonymous
            return expired_response(request)
        background = request.META.get(BACKGROUND_HEADER) == "1"
        if not background and (not isinstance(last, int) or now - last >= REFRESH_SECONDS):
            request.session[LAST_ACTIVITY_KEY] = now
        return None


def _expired(idle_seconds: int) -> bool:
    # A session active within the last refresh interval is not read against the policy: the
    # policy's smallest value (minutes) is far above it, and most requests skip the lookup.
    if idle_seconds <= REFRESH_SECONDS:
        return False
    return idle_seconds > idle_limit_seconds()


def _has_token(request: HttpRequest) -> bool:
    result: bool = request.META.get("HTTP_AUTHORIZATION", "").startswith(("Token ", "Bearer "))
    return result


def expired_response(request: HttpRequest) -> HttpResponse:
    """To the login page with `expired=1` and the page to come back to."""
    query = {"expired": "1"}
    back = _return_path(request)
    if back:
        query["next"] = back
    url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode(query)}"
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _return_path(request: HttpRequest) -> str:
    """The page the user was on: this one for a GET, the page that sent the form otherwise."""
    if request.headers.get("HX-Request") == "true":
        candidate = request.headers.get("HX-Current-URL", "")
    elif request.method in ("GET", "HEAD"):
        return request.get_full_path()
    else:
        candidate = request.headers.get("Referer", "")
    if not candidate or not url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(candidate)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE): JSON for the API,
    the translated locked-out page otherwise; 429 in both cases."""
    from axes.helpers import get_cool_off

    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    message = _(
        "Too many failed logins for this account from this computer. "
        "Try again later or ask an administrator to unlock it."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=status)
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {"cooloff_minutes": minutes, "message": message}
    return render(request, "registration/locked_out.html", context, status=status)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for the lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind `TRUSTED_PROXY_COUNT` proxies that each append to X-Forwarded-For, the client is the
    entry that many places from the right; anything further left was sent by the client itself
    and may be forged. Without trusted proxies: the socket's address.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if count > 0 and len(forwarded) >= count:
        result: str | None = forwarded[-count]
        return result
    return request.META.get("REMOTE_ADDR")
