"""Reads for the inbox and the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Value, When

from .models import Notification, NotificationQuerySet, OutboundMessage, OutboundMessageQuerySet

if TYPE_CHECKING:
    from guanjia.core.access import User


def unread_count(user: User) -> int:
    """How many unread notifications wait in the user's inbox: one indexed COUNT query."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).in_inbox().unread().count()


def inbox(user: User) -> NotificationQuerySet:
    """The user's inbox: unread first, then newest first."""
    return (
        Notification.objects.visible_to(user)
        .in_inbox()
        .select_related("community")
        .annotate(
            unread_first=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("unread_first", "-created_at", "-pk")
    )


def outbox(user: User) -> OutboundMessageQuerySet:
    """Outside messages the user may see (admins), newest first."""
    return (
        OutboundMessage.objects.visible_to(user)
        .select_related("recipient", "community")
        .order_by("-created_at", "-pk")
    )
