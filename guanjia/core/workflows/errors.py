"""The one vocabulary of workflow and approval refusals: a code, and its translated message.

A rule the user can fix (a move the table does not list, a decision already taken, a stale
page) is a `WorkflowError`, a Django ValidationError, so forms show it and
`core.api.exception_handler` answers 400 with `{"detail": [...], "code": ...}`. A question of
authority (not permitted, one's own request, above one's limit) is a `WorkflowDenied`, a
PermissionDenied, so pages and the API answer 403. Both carry `.code` from `Code`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Code(models.TextChoices):
    MOVE_NOT_ALLOWED = "move_not_allowed", _("This move is not allowed from the current state.")
    NOT_PERMITTED = "not_permitted", _("You may not make this move.")
    OWN_REQUEST = "own_request", _("You cannot decide on your own request.")
    ALREADY_DECIDED = "already_decided", _("This has already been decided.")
    NOT_REQUESTED = "not_requested", _("Nothing awaits a decision here.")
    STALE = "stale", _("Someone changed this in the meantime: reload the page and try again.")
    CONDITION = "condition", _("A condition of this move is not met.")
    OVER_LIMIT = "over_limit", _("The amount is above the limit you may approve.")
    REASON_REQUIRED = "reason_required", _("Give a reason.")
    REFERENCE_REQUIRED = "reference_required", _("Give the approval reference.")
    TOO_LONG = "too_long", _("This text is too long.")


# Codes that are a matter of authority (answered 403), the others are the user's to fix.
DENIED_CODES = frozenset({Code.NOT_PERMITTED, Code.OWN_REQUEST, Code.OVER_LIMIT})


class WorkflowError(ValidationError):
    """A move or decision refused for a reason the user can fix; `.code` is a `Code`."""

    def __init__(self, code: Code | str, message: Any = None, **params: Any) -> None:
        code = Code(code)
        text = message if message is not None else code.label
        super().__init__(str(text) % params if params else text, code=code.value)


class WorkflowDenied(PermissionDenied):
    """A move or decision refused for lack of authority; `.code` is a `Code`."""

    def __init__(self, code: Code | str, message: Any = None) -> None:
        self.code = Code(code).value
        super().__init__(str(message if message is not None else Code(code).label))


def refuse(code: Code | str, message: Any = None, **params: Any) -> Exception:
    """The exception for `code`: a WorkflowDenied for authority codes, else a WorkflowError."""
    if Code(code) in DENIED_CODES:
        text = message if message is not None else Code(code).label
        return WorkflowDenied(code, str(text) % params if params else text)
    return WorkflowError(code, message, **params)
