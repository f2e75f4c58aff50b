"""The shell's own pages: home, health, community switch."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.access import get_access, get_visible_or_404, request_user
from guanjia.core.http import community_of
from guanjia.core.roles import role_label
from guanjia.core.workbench.selectors import workbench

from .middleware import SESSION_KEY
from .models import Community

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The workbench (工作台): my tasks with their deadlines, their counts, today's figures."""
    access = get_access(request.user)
    codes = {role for roles in access.roles_by_community.values() for role in roles}
    community = community_of(request)
    bench = workbench(request_user(request), community) if community is not None else None
    return render(
        request,
        "core/home.html",
        {"roles": sorted(role_label(c) for c in codes), "bench": bench},
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the job queue answer, 503 otherwise."""
    checks = {"database": _check_database(), "jobs": _check_jobs()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "down"; the detail goes to the log, not the probe
        logger.warning("health check: the database does not answer", exc_info=True)
        return "error"
    return "ok"


def _check_jobs() -> str:
    """The broker answers its ping; the ORM broker (whose ping is always true) must also be
    able to read its queue table, one row at most."""
    try:
        from django_q.brokers import get_broker
        from django_q.brokers.orm import ORM
        from django_q.models import OrmQ

        broker = get_broker()
        if not broker.ping():
            logger.warning("health check: the job broker does not answer its ping")
            return "error"
        if isinstance(broker, ORM):
            OrmQ.objects.only("pk").first()
    except Exception:  # a broker that cannot be reached raises its own client's errors
        logger.warning("health check: the job broker is not reachable", exc_info=True)
        return "error"
    return "ok"


@require_POST
def switch_community(request: HttpRequest) -> HttpResponse:
    community = get_visible_or_404(Community, request.user, pk=request.POST.get("community"))
    request.session[SESSION_KEY] = community.pk
    messages.success(request, _("Now working in %(community)s.") % {"community": community})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "core:home"
    return redirect(target)


# --- Error handlers (config/urls.py: handler404, handler500) --------------------------------


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/ (no API URL answers with a page), the translated page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: JSON under /api/, else the standalone 500.html (no request context, no queries)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error."), "code": "server_error"}, status=500)
    return defaults.server_error(request)
