"""The ladder of spec §11: dissuaded on site, a rectification notice (signed for, or the
refusal recorded), the re-check at its deadline, a second notice or the director's letter, a
report to the owners' committee or an authority, the closure. Measures are recorded as
measures: the office fines no resident and cuts no service (spec §11 note)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.files.signatures import RESIDENT_MUST_SIGN, signature_file
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy

from .. import notifications
from ..models import (
    AWAITING_RECHECK,
    Authority,
    MeasureKind,
    NoticeKind,
    Responsible,
    Violation,
    ViolationMeasure,
    ViolationNotice,
    ViolationStatus,
)
from ._common import field_error, refusal, required, today

S = ViolationStatus


def _measure(violation: Violation, kind: str, note: str, by: User) -> None:
    ViolationMeasure.objects.create(
        violation=violation, kind=kind, note=note[:500], taken_on=today(), by=by
    )


@transaction.atomic
def dissuade_violation(*, violation: Violation, action: str, by: User) -> Violation:
    """Dissuaded on site with the duty lead; what was said and done is the record."""
    locked = workflows.lock(violation)
    text = required(action, "action", _("Say what was done on site."))
    workflows.transition(locked, S.DISSUADED, by=by, note=text, on_site_action=text)
    _measure(locked, MeasureKind.PERSUASION, text, by)
    return locked


@dataclass(frozen=True)
class Serving:
    """A notice as served: what must be done, by when (None: the policy's days), to whom,
    and the resident's signature on receipt or the recorded refusal to sign."""

    demand: str
    deadline: dt.date | None = None
    served_to: str = ""
    signature: str = ""
    refused_to_sign: bool = False
    refusal_note: str = ""


def _deadline(violation: Violation, asked: dt.date | None) -> tuple[dt.date, bool]:
    """The notice's deadline and whether it says stop at once (a structural case)."""
    issued = today()
    if violation.kind.structural:
        return issued, True
    if asked is None:
        return issued + dt.timedelta(
            days=int(policy(violation.community, "violation.fix_days"))
        ), False
    if asked < issued:
        raise field_error(
            "deadline", _("The rectification deadline cannot be in the past."), "deadline_in_past"
        )
    return asked, False


def _serve(violation: Violation, kind: str, serving: Serving, by: User) -> ViolationNotice:
    deadline, stop = _deadline(violation, serving.deadline)
    notice = ViolationNotice(
        violation=violation,
        kind=kind,
        issued_on=today(),
        deadline=deadline,
        stop_at_once=stop,
        demand=required(serving.demand, "demand", _("Say what must be done.")),
        served_to=serving.served_to.strip() or violation.person_name,
        refused_to_sign=serving.refused_to_sign,
        refusal_note=serving.refusal_note.strip()[:200],
        issued_by=by,
    )
    if not serving.refused_to_sign:
        content = signature_file(serving.signature, missing=RESIDENT_MUST_SIGN)
        notice.signature.save("signature.png", content, save=False)
    notice.number = str(next_number(community=violation.community, kind="violation_notice"))
    notice.save()
    return notice


def _notice_note(notice: ViolationNotice) -> str:
    signed = _("refused to sign") if notice.refused_to_sign else _("signed for")
    return f"{notice.number} · {notice.deadline.isoformat()} · {signed}"


@transaction.atomic
def issue_notice(*, violation: Violation, serving: Serving, by: User) -> ViolationNotice:
    """The rectification notice (违章整改通知书): numbered, deadline from the policy (a
    structural case: stop at once), signed for or the refusal recorded."""
    locked = workflows.lock(violation)
    workflows.check_transition(locked, S.NOTICED, by=by)
    notice = _serve(locked, NoticeKind.NOTICE, serving, by)
    workflows.transition(
        locked,
        S.NOTICED,
        by=by,
        action="notice_issued",
        note=_notice_note(notice),
        data={"notice": notice.number, "deadline": notice.deadline.isoformat()},
        deadline=notice.deadline,
    )
    kind = MeasureKind.STOP_WORK if notice.stop_at_once else MeasureKind.WRITTEN_NOTICE
    _measure(locked, kind, notice.number, by)
    if locked.responsible == Responsible.TENANT:
        notifications.tell_owners(locked, "violation.tenant_notice", notice=notice)
    return notice


@transaction.atomic
def escalate_violation(
    *, violation: Violation, kind: str, serving: Serving, by: User
) -> ViolationNotice:
    """Still not corrected at the re-check: a second notice or the director's letter."""
    locked = workflows.lock(violation)
    if kind not in (NoticeKind.SECOND, NoticeKind.DIRECTOR_LETTER):
        raise field_error("kind", _("Choose a second notice or the director's letter."), "invalid")
    workflows.check_transition(locked, S.ESCALATED, by=by)
    notice = _serve(locked, kind, serving, by)
    workflows.transition(
        locked,
        S.ESCALATED,
        by=by,
        action="escalated",
        note=_notice_note(notice),
        data={"notice": notice.number, "deadline": notice.deadline.isoformat()},
        deadline=notice.deadline,
        rechecked_on=None,
    )
    _measure(locked, MeasureKind.WRITTEN_NOTICE, notice.number, by)
    if locked.responsible == Responsible.TENANT:
        notifications.tell_owners(locked, "violation.tenant_notice", notice=notice)
    return notice


@transaction.atomic
def recheck_violation(*, violation: Violation, corrected: bool, note: str, by: User) -> Violation:
    """The re-check at the notice's deadline: corrected (closed; on time or late), or not
    (then a second notice, the director's letter or a report). Before a notice there is
    nothing to re-check; "not corrected" before the deadline is too early."""
    locked = workflows.lock(violation)
    if locked.status not in AWAITING_RECHECK:
        if locked.status in (S.FOUND, S.DISSUADED):
            raise refusal(
                _("Issue the rectification notice first: a re-check follows a notice."),
                "no_notice",
            )
        workflows.check_transition(locked, S.NOT_CORRECTED, by=by)
    text = required(note, "note", _("Write what the re-check found."))
    on = today()
    deadline = locked.deadline or on  # a notice sets it
    if not corrected and on < deadline:
        raise refusal(
            _("The deadline is %(date)s: the re-check that finds it not corrected comes then.")
            % {"date": deadline.isoformat()},
            "before_deadline",
        )
    if corrected:
        workflows.transition(
            locked,
            S.CORRECTED,
            by=by,
            action="rechecked",
            note=text,
            rechecked_on=on,
            recheck_note=text,
            closed_on=on,
            corrected_on_time=on <= deadline,
        )
    else:
        workflows.transition(
            locked,
            S.NOT_CORRECTED,
            by=by,
            action="rechecked",
            note=text,
            rechecked_on=on,
            recheck_note=text,
        )
    return locked


@transaction.atomic
def close_corrected(*, violation: Violation, note: str, by: User) -> Violation:
    """Corrected without a notice (after the dissuasion) or after a report: closed. A notice's
    deadline is closed by its re-check."""
    locked = workflows.lock(violation)
    if locked.status in AWAITING_RECHECK:
        raise refusal(_("A notice is out: record the re-check to close it."), "recheck_needed")
    text = required(note, "note", _("Say how it was corrected."))
    on_time = locked.status in (S.FOUND, S.DISSUADED)
    workflows.transition(
        locked,
        S.CORRECTED,
        by=by,
        action="corrected",
        note=text,
        closed_on=today(),
        corrected_on_time=on_time,
    )
    return locked


@dataclass(frozen=True)
class Report:
    """To whom it was reported (the owners' committee or an authority), on which day, who
    received it and their reference."""

    authority: str
    reported_on: dt.date
    contact: str = ""
    reference: str = ""


@transaction.atomic
def report_to_authority(*, violation: Violation, report: Report, by: User) -> Violation:
    locked = workflows.lock(violation)
    if report.authority not in Authority.values:
        raise field_error("authority", _("Choose to whom it was reported."), "invalid")
    if report.reported_on > today():
        raise field_error(
            "reported_on", _("The day of the report cannot be in the future."), "in_future"
        )
    label = Authority(report.authority).label
    workflows.transition(
        locked,
        S.REPORTED,
        by=by,
        action="reported",
        note=f"{label} {report.reference}".strip(),
        data={"authority": report.authority, "reference": report.reference},
        reported_to=report.authority,
        reported_on=report.reported_on,
        reported_contact=report.contact.strip()[:50],
        reported_ref=report.reference.strip()[:60],
    )
    if not locked.predates_office:
        _measure(locked, MeasureKind.REPORT, f"{label} {report.reference}".strip(), by)
    return locked


@transaction.atomic
def close_transferred(*, violation: Violation, note: str, by: User) -> Violation:
    """Reported and handed over: the authority (or the committee) follows it now."""
    locked = workflows.lock(violation)
    workflows.transition(
        locked,
        S.TRANSFERRED,
        by=by,
        action="transferred",
        note=(note or "").strip(),
        closed_on=today(),
    )
    return locked


@transaction.atomic
def record_measure(*, violation: Violation, kind: str, note: str, by: User) -> ViolationMeasure:
    """A further measure (the owner phoned, the committee's support asked, ...). None on a
    violation that predates the office, none once closed."""
    locked = workflows.lock(violation)
    require_perm(by, "violations.change_violation", locked.community)
    if kind not in MeasureKind.values:
        raise field_error("kind", _("Choose a measure from the list."), "invalid")
    if locked.predates_office:
        raise refusal(
            _("This violation predates the office: it is recorded and reported only."),
            "predates_office",
        )
    if not locked.is_open:
        raise refusal(_("This violation is closed."), "closed")
    row = ViolationMeasure.objects.create(
        violation=locked, kind=kind, note=(note or "").strip()[:500], taken_on=today(), by=by
    )
    workflows.record_event(locked, by=by, action="measure", note=row.get_kind_display())
    return row
