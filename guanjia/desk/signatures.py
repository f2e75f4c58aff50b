"""A signature drawn on the screen (static/js/tickets-signature.js sends the canvas as a PNG
data URL, the same pad as a repair's verification) read into a file for `core.files`."""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from guanjia.core.files.types import PNG, content_type_of

MAX_SIGNATURE_BYTES = 300 * 1024
PREFIX = "data:image/png;base64,"


def signature_file(data_url: str, *, field: str = "signature") -> ContentFile:
    """The PNG of a signature, or a field error: none drawn, unreadable, too large."""
    if not data_url or not data_url.startswith(PREFIX):
        raise ValidationError(
            {field: ValidationError(_("Sign on the screen."), code="no_signature")}
        )
    try:
        raw = base64.b64decode(data_url[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    content = ContentFile(raw, name="signature.png")
    if not raw or len(raw) > MAX_SIGNATURE_BYTES or content_type_of(content) is not PNG:
        raise ValidationError(
            {field: ValidationError(_("The signature could not be read."), code="bad_signature")}
        )
    content.seek(0)
    return content
