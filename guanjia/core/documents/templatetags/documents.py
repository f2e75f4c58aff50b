"""Template tags for printable documents: `{% load documents %}`."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def qr_svg(data: str, scale: int = 3) -> SafeString:
    """An inline SVG QR code of `data`; empty output for empty data."""
    # Imported here: loading the tag library must not load WeasyPrint with it.
    from guanjia.core.documents.services import qr_svg as make_qr_svg

    if not data:
        return mark_safe("")
    return mark_safe(make_qr_svg(str(data), scale=int(scale)))  # noqa: S308  # segno's own SVG
