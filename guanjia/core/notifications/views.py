"""The inbox, the navbar bell and the outbox of outside messages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from guanjia.core.access import User, get_visible_or_404, require_perm

from ..pages import paginate, query_without_page
from . import selectors, services
from .filters import OutboundMessageFilter
from .forms import PreferenceForm
from .models import Notification, NotificationPreference

CHANGED = "notificationsChanged"  # htmx event the bell listens to


class StaffRequest(HttpRequest):
    """What these views receive: LoginRequiredMiddleware and django-htmx ran before them."""

    user: User  # never anonymous here
    htmx: HtmxDetails


@require_GET
def inbox(request: StaffRequest) -> HttpResponse:
    page = paginate(request, selectors.inbox(request.user))
    return render(request, "notifications/notification_list.html", {"page_obj": page})


def preferences(request: StaffRequest) -> HttpResponse:
    """Which outside channels I accept; the inbox always keeps every notification."""
    current = NotificationPreference.objects.filter(user=request.user).first()
    initial = {"sms": True, "wechat": True, "email": True}
    if current is not None:
        initial = {"sms": current.sms, "wechat": current.wechat, "email": current.email}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_preference(by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/notificationpreference_form.html", {"form": form})


@require_GET
def bell(request: StaffRequest) -> HttpResponse:
    """The bell alone, for htmx polling: no page context, one COUNT query."""
    count = selectors.unread_count(request.user)
    return HttpResponse(render_to_string("notifications/_bell.html", {"inbox_unread": count}))


@require_POST
def mark_read(request: StaffRequest, pk: int) -> HttpResponse:
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    services.mark_read(notification=notification, by=request.user)
    if request.htmx:
        response = render(
            request, "notifications/_notification_item.html", {"notification": notification}
        )
        response["HX-Trigger"] = CHANGED
        return response
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request: StaffRequest) -> HttpResponse:
    count = services.mark_all_read(by=request.user)
    messages.success(request, _("Notifications marked read: %(count)d.") % {"count": count})
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("notifications:inbox")


@require_POST
def open_notification(request: StaffRequest, pk: int) -> HttpResponse:
    """Mark read and follow the notification's link (only links within this site)."""
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    services.mark_read(notification=notification, by=request.user)
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect("notifications:inbox")
    return redirect(target)


@require_GET
def outbox(request: StaffRequest) -> HttpResponse:
    require_perm(request.user, "notifications.view_outboundmessage")
    filterset = OutboundMessageFilter(request.GET, queryset=selectors.outbox(request.user))
    page = paginate(request, filterset.qs)
    return render(
        request,
        "notifications/outboundmessage_list.html",
        {"filter": filterset, "page_obj": page, "query": query_without_page(request)},
    )


@require_POST
def send_test(request: StaffRequest) -> HttpResponse:
    require_perm(request.user, "notifications.send_test_message")
    services.send_test_message(by=request.user)
    messages.success(request, _("A test message was sent to you on every channel."))
    return redirect("notifications:outbox")
