"""A signature drawn on the screen, read into a file for `core.files`: the one decoder of the
signature pad's PNG data URL (static/js/tickets-signature.js), used by a repair's
verification, a visit in person and the desk's loans, parcels, handovers and claims."""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.files.types import PNG, content_type_of

MAX_SIGNATURE_BYTES = 300 * 1024
PREFIX = "data:image/png;base64,"
SIGN_ON_SCREEN = gettext_lazy("Sign on the screen.")
RESIDENT_MUST_SIGN = gettext_lazy("The resident must sign on the screen.")


def signature_file(
    data_url: str,
    *,
    field: str = "signature",
    missing: str | Promise = SIGN_ON_SCREEN,
) -> ContentFile:
    """The PNG of a signature, or a field error: none drawn (`missing`: SIGN_ON_SCREEN,
    or RESIDENT_MUST_SIGN where staff hold the screen), unreadable, too large."""
    if not data_url or not data_url.startswith(PREFIX):
        raise ValidationError({field: ValidationError(str(missing), code="no_signature")})
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
