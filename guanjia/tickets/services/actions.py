"""Corrective and preventive actions of a complaint: done, then verified by another person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.accounts.models import User
from guanjia.accounts.services.separation import (
    SEPARATION_RULES,
    ensure_different_people,
    register_separation_rule,
)
from guanjia.core import workflows
from guanjia.core.access import has_perm_in

from ..models import ComplaintAction
from ._common import not_blank

ACTION_PERM = "tickets.add_complaintaction"

if "action_verify" not in SEPARATION_RULES:
    register_separation_rule(
        "action_verify",
        gettext_lazy("The owner of a corrective or preventive action cannot verify it."),
    )


def _lock(action: ComplaintAction) -> ComplaintAction:
    return (
        ComplaintAction.objects.select_related("complaint__community", "owner")
        .select_for_update(of=("self",))
        .get(pk=action.pk)
    )


def _event(action: ComplaintAction, by: User, name: str, note: str) -> None:
    """A step of an action is an event of its complaint (the state does not change)."""
    workflows.record_event(
        action.complaint, by=by, action=name, note=f"{action.description}: {note}"
    )


def _not_about_self(action: ComplaintAction, by: User) -> None:
    """The staff member a complaint is about makes no move on its actions."""
    other = action.complaint.about_employee
    ensure_different_people(actor=by, other=other, rule="complaint_about_self")


@transaction.atomic
def complete_complaint_action(*, action: ComplaintAction, note: str, by: User) -> ComplaintAction:
    """The owner (or a complaint handler) records the action as done, saying what was done."""
    locked = _lock(action)
    _not_about_self(locked, by)
    if by.pk != locked.owner_id and not has_perm_in(by, ACTION_PERM, locked.complaint.community):
        raise workflows.WorkflowDenied(
            workflows.Code.NOT_PERMITTED,
            _("Only the owner or a complaint handler can record this."),
        )
    if locked.done_at is not None:
        raise ValidationError(_("This action is already done."), code="already_done")
    not_blank(note, "note", _("Say what was done."))
    locked.done_at, locked.done_by, locked.done_note = timezone.now(), by, note.strip()
    locked.save(update_fields=["done_at", "done_by", "done_note", "updated_at"])
    _event(locked, by, "action_done", locked.done_note)
    return locked


@transaction.atomic
def verify_complaint_action(*, action: ComplaintAction, note: str, by: User) -> ComplaintAction:
    """A complaint handler other than the owner checks that the done action works."""
    locked = _lock(action)
    _not_about_self(locked, by)
    if not has_perm_in(by, ACTION_PERM, locked.complaint.community):
        raise workflows.WorkflowDenied(
            workflows.Code.NOT_PERMITTED, _("Only a complaint handler can verify an action.")
        )
    ensure_different_people(actor=by, other=locked.owner, rule="action_verify")
    if locked.done_at is None:
        raise ValidationError(_("Record the action as done first."), code="not_done")
    if locked.verified_at is not None:
        raise ValidationError(_("This action is already verified."), code="already_verified")
    not_blank(note, "note", _("Say how the action was checked."))
    locked.verified_at, locked.verified_by, locked.verify_note = timezone.now(), by, note.strip()
    locked.save(update_fields=["verified_at", "verified_by", "verify_note", "updated_at"])
    _event(locked, by, "action_verified", locked.verify_note)
    return locked
