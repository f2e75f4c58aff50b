"""The buttons of each ticket page: which form, which permission, from which states, which
service. `urls.py` gives each its own URL; `views.tickets.action_view` runs one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .. import forms as f
from .. import services as s
from ..models import ComplaintStatus as C
from ..models import RepairStatus as R

Perform = Callable[[Any, dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Action:
    """One workflow button of a ticket page."""

    name: str
    label: Promise
    form: type[f.DeskForm]
    perm: str
    states: frozenset[str]
    perform: Perform
    technician: bool = False  # shown on the technician's phone page


def _classify(o: Any, d: dict[str, Any], by: Any) -> Any:
    keys = ("validity", "severity", "category", "department", "handler", "invalid_reason")
    cls = s.Classification(
        resolve_due=d.get("resolve_due"),
        about_employee=d.get("about_employee"),
        clear_about_employee=bool(d.get("clear_about_employee")),
        **{k: d[k] for k in keys},
    )
    return s.classify_complaint(complaint=o, classification=cls, by=by)


def _complete(o: Any, d: dict[str, Any], by: Any) -> Any:
    return s.complete_repair(order=o, completion=s.Completion(**d), by=by)


CHANGE = "tickets.change_complaint"
OPEN_C = frozenset({C.REGISTERED, C.HANDLING})
COMPLAINT_ACTIONS = [
    Action("classify", _("Classify"), f.ClassifyForm, CHANGE, frozenset({C.REGISTERED}), _classify),
    Action(
        "progress",
        _("Progress note"),
        f.ProgressForm,
        CHANGE,
        frozenset(C.values) - {C.CLOSED},
        lambda o, d, by: s.record_progress(complaint=o, by=by, **d),
    ),
    Action(
        "promise",
        _("Promise"),
        f.PromiseForm,
        CHANGE,
        OPEN_C,
        lambda o, d, by: s.promise_complaint(complaint=o, by=by, **d),
    ),
    Action(
        "resolve",
        _("Record the result"),
        f.ResultForm,
        CHANGE,
        frozenset({C.HANDLING}),
        lambda o, d, by: s.resolve_complaint(complaint=o, by=by, **d),
    ),
    Action(
        "reply",
        _("Reply"),
        f.ReplyForm,
        CHANGE,
        frozenset({C.RESOLVED, C.INVALID}),
        lambda o, d, by: s.reply_complaint(
            complaint=o, by=by, reply=d["reply"], method=d["reply_method"]
        ),
    ),
    Action(
        "close",
        _("Close"),
        f.CloseForm,
        CHANGE,
        frozenset({C.REPLIED, C.RESOLVED, C.INVALID}),
        lambda o, d, by: s.close_complaint(complaint=o, by=by, **d),
    ),
    Action(
        "reopen",
        _("Reopen"),
        f.NoteForm,
        CHANGE,
        frozenset({C.RESOLVED, C.REPLIED}),
        lambda o, d, by: s.reopen_complaint(complaint=o, by=by, **d),
    ),
    Action(
        "action",
        _("Corrective or preventive action"),
        f.ActionForm,
        "tickets.add_complaintaction",
        frozenset(C.values),
        lambda o, d, by: s.add_complaint_action(complaint=o, by=by, **d),
    ),
]

WORK = "tickets.work_repairorder"
REPAIR_ACTIONS = [
    Action(
        "dispatch",
        _("Dispatch"),
        f.DispatchForm,
        "tickets.dispatch_repairorder",
        frozenset({R.REGISTERED, R.DISPATCHED}),
        lambda o, d, by: s.dispatch_repair(order=o, by=by, **d),
    ),
    Action(
        "accept",
        _("Accept"),
        f.EmptyForm,
        WORK,
        frozenset({R.DISPATCHED, R.NO_ACCESS}),
        lambda o, d, by: s.accept_repair(order=o, by=by),
        technician=True,
    ),
    Action(
        "arrive",
        _("Arrived on site"),
        f.EmptyForm,
        WORK,
        frozenset({R.ACCEPTED}),
        lambda o, d, by: s.arrive_repair(order=o, by=by),
        technician=True,
    ),
    Action(
        "photo",
        _("Add a photo"),
        f.PhotoForm,
        WORK,
        frozenset({R.ON_SITE, R.COMPLETED}),
        lambda o, d, by: s.add_photo(order=o, by=by, **d),
        technician=True,
    ),
    Action(
        "quote",
        _("Quote"),
        f.QuoteForm,
        WORK,
        frozenset({R.ON_SITE}),
        lambda o, d, by: s.quote_repair(order=o, by=by, **d),
        technician=True,
    ),
    Action(
        "decide-quote",
        _("Resident's answer to the quote"),
        f.DecideQuoteForm,
        "tickets.change_repairorder",
        frozenset({R.QUOTED}),
        lambda o, d, by: s.decide_quote(order=o, by=by, **d),
        technician=True,
    ),
    Action(
        "parts",
        _("Wait for parts"),
        f.PartsForm,
        WORK,
        frozenset({R.ON_SITE}),
        lambda o, d, by: s.wait_for_parts(order=o, by=by, **d),
        technician=True,
    ),
    Action(
        "resume",
        _("Parts arrived: resume"),
        f.EmptyForm,
        WORK,
        frozenset({R.WAITING_PARTS}),
        lambda o, d, by: s.resume_repair(order=o, by=by),
        technician=True,
    ),
    Action(
        "no-access",
        _("No access"),
        f.NoteForm,
        WORK,
        frozenset({R.ACCEPTED}),
        lambda o, d, by: s.record_no_access(order=o, by=by, **d),
        technician=True,
    ),
    Action(
        "complete",
        _("Complete"),
        f.CompleteForm,
        WORK,
        frozenset({R.ON_SITE}),
        _complete,
        technician=True,
    ),
    Action(
        "verify",
        _("Resident verifies and signs"),
        f.VerifyForm,
        "tickets.change_repairorder",
        frozenset({R.COMPLETED}),
        lambda o, d, by: s.verify_repair(order=o, by=by, **d),
        technician=True,
    ),
    Action(
        "rework",
        _("Fault returned: rework"),
        f.NoteForm,
        "tickets.add_repairorder",
        frozenset({R.VERIFIED}),
        lambda o, d, by: s.open_rework(order=o, by=by, **d),
    ),
    Action(
        "cancel",
        _("Cancel"),
        f.NoteForm,
        "tickets.dispatch_repairorder",
        frozenset({R.REGISTERED, R.DISPATCHED, R.NO_ACCESS}),
        lambda o, d, by: s.cancel_repair(order=o, by=by, **d),
    ),
]
