"""`{% ticket_panels obj %}`: the panels other apps registered (tickets/panels.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from guanjia.core.access import request_user

from ..panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def ticket_panels(context: template.Context, ticket: Any) -> SafeString:
    request = context["request"]  # ticket pages are for signed-in staff only
    user = request_user(request)
    parts = [
        render_to_string(name, panel_context, request=request)
        for name, panel_context in panels_for(ticket, user)
    ]
    return mark_safe("".join(parts))  # noqa: S308  # each part is a rendered template
