"""Recording a visit (spec §14): attempts, answers, signature, the supervisor's review, and
the closed loop: a dissatisfied answer reopens the ticket through the tickets app's services
(never by writing its status) and escalates; a second dissatisfied visit goes to the
director."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.accounts.services.separation import ensure_different_people
from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.files.signatures import RESIDENT_MUST_SIGN, signature_file
from guanjia.core.policies.selectors import policy

from ..models import Answer, Method, Visit, VisitAttempt, VisitStatus
from ..models.visits import AttemptOutcome
from .loop import close_repair_if_waiting, close_the_loop

QUESTIONS = ("quality", "timeliness", "attitude", "conduct", "satisfaction")


@dataclass(frozen=True)
class Answers:
    """What the resident said: each question on the scale 满意 / 较满意 / 不满意."""

    method: str
    quality: str
    timeliness: str
    attitude: str
    conduct: str
    satisfaction: str
    comments: str = ""
    signature: str = ""  # a PNG data URL from the signature pad (in person)


def _lock(visit: Visit) -> Visit:
    locked: Visit = workflows.lock(visit)
    return locked


def _may_make(visit: Visit, by: User) -> None:
    """The visitor holds the permission, is not the person whose work is judged (nor the
    person a complaint is about), and a major complaint's visit is the director's."""
    require_perm(by, "visits.change_visit", visit.community)
    ensure_different_people(actor=by, other=visit.judged, rule="visit_own_work")
    if visit.complaint is not None:
        ensure_different_people(
            actor=by, other=visit.complaint.about_employee, rule="visit_own_work"
        )
    if visit.by_director and not has_perm_in(by, "visits.make_director_visit", visit.community):
        raise PermissionDenied(_("The office director visits a major complaint in person."))


def _check(visit: Visit, answers: Answers) -> None:
    errors: dict[str, str] = {}
    if answers.method not in Method.values:
        errors["method"] = _("Choose how the resident was visited.")
    elif visit.by_director and answers.method != Method.IN_PERSON:
        errors["method"] = _("A major complaint is visited in person.")
    for name in QUESTIONS:
        if getattr(answers, name) not in Answer.values:
            errors[name] = _("Choose satisfied, fairly satisfied or dissatisfied.")
    if len(answers.comments) > Visit._meta.get_field("comments").max_length:  # type: ignore[operator]
        errors["comments"] = _("The comments are too long.")
    if answers.satisfaction == Answer.DISSATISFIED and not answers.comments.strip():
        errors["comments"] = _("Write what the resident is dissatisfied with.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_visit(*, visit: Visit, answers: Answers, by: User) -> Visit:
    """The resident answered: the visit is done (or, dissatisfied, escalated) and the ticket
    moves on through its own services."""
    locked = _lock(visit)
    _may_make(locked, by)
    _check(locked, answers)
    target = (
        VisitStatus.ESCALATED if answers.satisfaction == Answer.DISSATISFIED else VisitStatus.DONE
    )
    workflows.check_transition(locked, target, by=by)
    if answers.method == Method.IN_PERSON:
        locked.signature.save(
            "signature.png",
            signature_file(answers.signature, missing=RESIDENT_MUST_SIGN),
            save=False,
        )
    now = timezone.now()
    values = {f.name: getattr(answers, f.name) for f in fields(answers) if f.name != "signature"}
    values["comments"] = answers.comments.strip()
    workflows.transition(
        locked,
        target,
        by=by,
        action="recorded",
        note=values["comments"][:500],
        visitor=by,
        visited_at=now,
        visited_on=timezone.localdate(now),
        **values,
    )
    close_the_loop(locked, by=by)
    close_repair_if_waiting(locked, by=by)
    return locked


@transaction.atomic
def record_attempt(*, visit: Visit, outcome: str, by: User, note: str = "") -> Visit:
    """The resident could not be reached; after the policy's number of attempts on different
    days the visit is unreachable (counted as attempted, never as satisfied)."""
    locked = _lock(visit)
    _may_make(locked, by)
    if outcome not in AttemptOutcome.values:
        raise ValidationError({"outcome": _("Choose what happened.")})
    if len(note) > VisitAttempt._meta.get_field("note").max_length:  # type: ignore[operator]
        raise ValidationError({"note": _("The note is too long.")})
    now = timezone.now()
    today = timezone.localdate(now)
    if locked.attempts.filter(on=today).exists():
        raise ValidationError(
            _("This visit was already attempted today: try again on another day."),
            code="same_day",
        )
    tries = locked.attempts.count() + 1
    limit = policy(locked.community, "visit.max_attempts")
    target = VisitStatus.UNREACHABLE if tries >= limit else VisitStatus.ATTEMPTED
    workflows.check_transition(locked, target, by=by)
    VisitAttempt.objects.create(
        visit=locked, at=now, on=today, by=by, outcome=outcome, note=note.strip()
    )
    workflows.transition(
        locked, target, by=by, action="attempted", note=f"{tries}/{limit} {note.strip()}".strip()
    )
    if target == VisitStatus.UNREACHABLE:
        close_repair_if_waiting(locked, by=by)
    return locked


@transaction.atomic
def record_declined(*, visit: Visit, note: str, by: User) -> Visit:
    """The resident refused the visit: attempted, left out of the satisfaction rates."""
    locked = _lock(visit)
    _may_make(locked, by)
    if not note.strip():
        raise ValidationError({"note": _("Say what the resident said.")})
    now = timezone.now()
    workflows.transition(
        locked,
        VisitStatus.DECLINED,
        by=by,
        action="declined",
        note=note.strip()[:500],
        visitor=by,
        visited_at=now,
        visited_on=timezone.localdate(now),
    )
    close_repair_if_waiting(locked, by=by)
    return locked


@transaction.atomic
def review_visit(*, visit: Visit, note: str, by: User) -> Visit:
    """The supervisor reads the visit form and notes what was done about it."""
    locked = _lock(visit)
    require_perm(by, "visits.review_visit", locked.community)
    ensure_different_people(actor=by, other=locked.judged, rule="visit_own_work")
    if len(note) > Visit._meta.get_field("review_note").max_length:  # type: ignore[operator]
        raise ValidationError({"note": _("The review is too long.")})
    workflows.transition(
        locked,
        VisitStatus.REVIEWED,
        by=by,
        action="reviewed",
        note=note.strip(),
        reviewed_by=by,
        reviewed_at=timezone.now(),
        review_note=note.strip(),
    )
    return locked
