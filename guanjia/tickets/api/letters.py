"""Moves of a register entry through the API: the answer given to the requester, a letter's
written reply (draft, check, approve) and attachments — the page's forms, permissions and
services, as `moves.move_view` runs them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .. import forms as f
from .. import services as s
from ..models import RequestStatus
from ..views.actions import Action
from ..views.requests import LETTER_PERMS

OPEN = frozenset({RequestStatus.OPEN})


def _attach(entry: Any, d: dict[str, Any], by: Any) -> Any:
    return s.add_attachment(entry=entry, upload=d["file"], by=by)


# (URL path under requests/<id>/, the move)
LETTER_MOVES = [
    ("answer/", Action(
        "request-answer", _("Record the answer"), f.AnswerForm, "tickets.change_servicerequest",
        OPEN, lambda e, d, by: s.answer_request(entry=e, answer=d["answer"], by=by),
    )),
    ("letter/draft/", Action(
        "letter-draft", _("Save the draft"), f.LetterDraftForm, LETTER_PERMS["draft"], OPEN,
        lambda e, d, by: s.draft_letter_reply(entry=e, text=d["text"], by=by),
    )),
    ("letter/check/", Action(
        "letter-check", _("Checked"), f.EmptyForm, LETTER_PERMS["check"], OPEN,
        lambda e, d, by: s.check_letter_reply(entry=e, by=by),
    )),
    ("letter/approve/", Action(
        "letter-approve", _("Approve and send"), f.EmptyForm, LETTER_PERMS["approve"], OPEN,
        lambda e, d, by: s.approve_letter_reply(entry=e, by=by),
    )),
    ("attachments/", Action(
        "attachment-add", _("Attach"), f.AttachmentForm, LETTER_PERMS["attachment"], OPEN, _attach,
    )),
]  # fmt: skip
