"""Rewards and penalties (spec §23): proposed (by a manager or generated), facts confirmed,
signed by the employee or their refusal noted, approved within the approver's authority,
effective, appealed within `rp.appeal_days` to the next level or HR, and lapsed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.models import Community
from guanjia.core.money import to_fen
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy
from guanjia.core.workflows import Code, WorkflowDenied
from guanjia.tickets.models import Complaint, ServiceRequest
from guanjia.tickets.models.complaints import Validity
from guanjia.tickets.models.requests import RequestKind

from ..models import (
    Authority,
    ConductRecord,
    RecordKind,
    RecordLevel,
    RecordStatus,
    Source,
    SpotCheck,
)
from ..models.checks import SIGNED_STATUSES
from ..models.records import authority_of
from ._common import add_months, back, field_error, is_staff_of, text

PROPOSE = "conduct.add_conductrecord"


@dataclass(frozen=True)
class Evidence:
    """What a record rests on. `reference` is a number (a complaint TS-…, a register entry
    DJ-…, a check JC-…) or, for a source this app does not store (attendance), any reference
    the calling app gives with `text`; the linked rows are set when known."""

    source: str = Source.MANUAL
    reference: str = ""
    text: str = ""
    complaint: Complaint | None = None
    praise: ServiceRequest | None = None
    spot_check: SpotCheck | None = None


def _lock(record: ConductRecord) -> ConductRecord:
    locked: ConductRecord = workflows.lock(record)
    return locked


def _resolve(community: Community, evidence: Evidence) -> Evidence:
    """The evidence with its linked row found by number in the community (else a field error
    on `evidence_ref`)."""
    if evidence.source not in Source.values:
        raise field_error("source", _("Choose where the facts come from."), "invalid")
    ref = text(evidence.reference, "evidence_ref", 60)
    details = text(evidence.text, "evidence_text", 500)
    complaint, praise, check = evidence.complaint, evidence.praise, evidence.spot_check
    missing = _("No such record in this community: check the number.")
    if evidence.source == Source.COMPLAINT and complaint is None:
        complaint = Complaint.objects.filter(community=community, number=ref).first()
        if complaint is None:
            raise field_error("evidence_ref", missing, "not_found")
    if complaint is not None and complaint.validity != Validity.VALID:
        raise field_error(
            "evidence_ref", _("Only a valid (substantiated) complaint is evidence."), "invalid"
        )
    if evidence.source == Source.PRAISE and praise is None:
        praise = ServiceRequest.objects.filter(
            community=community, number=ref, kind=RequestKind.PRAISE
        ).first()
        if praise is None:
            raise field_error(
                "evidence_ref", _("No praise with this number in the register."), "not_found"
            )
    if evidence.source == Source.SPOT_CHECK and check is None:
        check = SpotCheck.objects.filter(community=community, number=ref).first()
        if check is None:
            raise field_error("evidence_ref", missing, "not_found")
    if check is not None and (
        check.status not in (*SIGNED_STATUSES, "submitted") or not check.failures
    ):
        raise field_error(
            "evidence_ref", _("Only a submitted check with a failure is evidence."), "invalid"
        )
    if evidence.source == Source.ATTENDANCE and not ref:
        raise field_error("evidence_ref", _("Give the attendance record's reference."), "required")
    for row in (complaint, praise, check):
        if row is not None and row.community_id != community.pk:
            raise field_error("evidence_ref", missing, "other_community")
    number = ref or next((r.number for r in (complaint, praise, check) if r is not None), "")
    return Evidence(evidence.source, number, details, complaint, praise, check)


def _money(value: Decimal | str | None, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
        to_fen(amount)
    except (InvalidOperation, ValueError, TypeError, ValidationError):
        raise field_error(
            field, _("Give an amount in yuan, at most two decimals."), "invalid"
        ) from None
    if amount < 0 or amount > Decimal("1000000"):
        raise field_error(field, _("Give an amount from 0 to 1,000,000 yuan."), "out_of_range")
    return amount.quantize(Decimal("0.01"))


def over_cap(community: Community, kind: str, amount: Decimal | None, pay: Decimal | None) -> bool:
    """A deduction above the policy's share of the monthly pay (spec §23, labour law)."""
    if kind != RecordKind.PENALTY or not amount or pay is None:
        return False
    cap = policy(community, "rp.pay_cut_cap_ratio") * pay
    return bool(amount > cap)


@transaction.atomic
def propose_record(
    *,
    community: Community,
    employee: User,
    level: RecordLevel,
    facts: str,
    event_date: dt.date,
    evidence: Evidence,
    by: User | None,
    amount: Decimal | str | None = None,
    monthly_pay: Decimal | str | None = None,
    is_public: bool = False,
    position_held: str = "",
    based_on: Iterable[ConductRecord] = (),
) -> ConductRecord:
    """A proposed record (by a manager, or with `by=None` by the nightly proposals). It
    changes nothing until a person confirms the facts, the employee signs and it is
    approved."""
    if by is not None:
        require_perm(by, PROPOSE, community)
        if by.pk == employee.pk:
            raise field_error(
                "employee", _("Nobody proposes a reward or penalty for themselves."), "self"
            )
    if not is_staff_of(community, employee):
        raise field_error(
            "employee", _("This person does not work in this community."), "not_staff"
        )
    if level.company_id != community.company_id:
        raise field_error("level", _("Choose a level of this company."), "invalid")
    cleaned = text(facts, "facts", 2000, required=_("Write the facts."))
    if event_date > timezone.localdate():
        raise field_error("event_date", _("The event cannot be in the future."), "future")
    money = _money(amount, "amount")
    pay = _money(monthly_pay, "monthly_pay")
    if money and level.kind == RecordKind.PENALTY and pay is None:
        raise field_error(
            "monthly_pay",
            _("Give the monthly pay: a deduction is checked against its cap."),
            "required",
        )
    found = _resolve(community, evidence)
    record = ConductRecord.objects.create(
        community=community,
        number=str(next_number(community=community, kind="conduct_record")),
        employee=employee,
        position_held=text(position_held, "position_held", 50),
        kind=level.kind,
        level=level,
        points=level.points,
        event_date=event_date,
        facts=cleaned,
        amount=money,
        monthly_pay=pay,
        over_cap=over_cap(community, level.kind, money, pay),
        is_public=is_public,
        source=found.source,
        evidence_ref=found.reference,
        evidence_text=found.text,
        complaint=found.complaint,
        praise=found.praise,
        spot_check=found.spot_check,
        proposed_by=by,
    )
    record.based_on.set(list(based_on))
    workflows.record_creation(record, by=by, action="proposed")
    return record


@transaction.atomic
def confirm_facts(*, record: ConductRecord, by: User, note: str = "") -> ConductRecord:
    """The facts are checked (spec §23: facts checked before the employee signs)."""
    locked = _lock(record)
    workflows.transition(
        locked,
        RecordStatus.CONFIRMED,
        by=by,
        action="confirmed",
        note=text(note, "note", 1000),
        confirmed_by=by,
        confirmed_at=timezone.now(),
    )
    return back(record, locked)


@transaction.atomic
def drop_record(*, record: ConductRecord, by: User, reason: str) -> ConductRecord:
    """A proposal whose facts do not hold (a generated suggestion nobody confirms)."""
    locked = _lock(record)
    why = text(reason, "reason", 500, required=_("Say why it is dropped."))
    workflows.transition(locked, RecordStatus.DROPPED, by=by, action="dropped", note=why)
    return back(record, locked)


@transaction.atomic
def sign_record(*, record: ConductRecord, by: User, statement: str = "") -> ConductRecord:
    """The employee signs the record (with their statement); only the employee."""
    locked = _lock(record)
    if by.pk != locked.employee_id:
        raise WorkflowDenied(Code.NOT_PERMITTED, _("Only the employee signs their own record."))
    words = text(statement, "statement", 1000)
    workflows.request_approval(locked, by=by, note=words, signed_by_employee=True, statement=words)
    return back(record, locked)


@transaction.atomic
def note_refusal(*, record: ConductRecord, by: User, statement: str) -> ConductRecord:
    """The employee refuses to sign: a manager notes it with what the employee said."""
    locked = _lock(record)
    if by.pk == locked.employee_id:
        raise WorkflowDenied(
            Code.NOT_PERMITTED, _("A manager notes the refusal, not the employee.")
        )
    words = text(statement, "statement", 1000, required=_("Write what the employee said."))
    workflows.request_approval(locked, by=by, note=words, signed_by_employee=False, statement=words)
    return back(record, locked)


def _check_authority(record: ConductRecord, by: User) -> None:
    if by.pk == record.employee_id:
        raise WorkflowDenied(Code.OWN_REQUEST, _("Nobody approves their own record."))
    if by.pk == record.proposed_by_id:
        raise WorkflowDenied(
            Code.NOT_PERMITTED, _("The person who proposed a record does not approve it.")
        )
    needed = record.level.authority
    if 0 < authority_of(by, record.community_id) < needed:
        raise WorkflowDenied(
            Code.OVER_LIMIT,
            _("A %(level)s is approved by the %(who)s or above.")
            % {"level": record.level.name, "who": Authority(needed).label},
        )


@transaction.atomic
def approve_record(*, record: ConductRecord, by: User, reason: str = "") -> ConductRecord:
    """Approved within the approver's authority, and effective at once: the appeal window
    and the lapse date start today."""
    locked = _lock(record)
    _check_authority(locked, by)
    workflows.decide(locked, True, by=by, reason=text(reason, "reason", 500))
    today = timezone.localdate()
    days = policy(locked.community, "rp.appeal_days")
    lapses = None
    if locked.level.lapses:
        lapses = add_months(today, policy(locked.community, "rp.lapse_months"))
    workflows.transition(
        locked,
        RecordStatus.EFFECTIVE,
        by=by,
        action="effective",
        effective_on=today,
        appeal_until=today + dt.timedelta(days=days) if locked.kind == RecordKind.PENALTY else None,
        expires_on=lapses,
    )
    return back(record, locked)


@transaction.atomic
def reject_record(*, record: ConductRecord, by: User, reason: str) -> ConductRecord:
    locked = _lock(record)
    _check_authority(locked, by)
    workflows.decide(locked, False, by=by, reason=text(reason, "reason", 500))
    return back(record, locked)


@transaction.atomic
def appeal_record(*, record: ConductRecord, by: User, grounds: str) -> ConductRecord:
    """The employee appeals a penalty within `rp.appeal_days` of its effect."""
    locked = _lock(record)
    if by.pk != locked.employee_id:
        raise WorkflowDenied(Code.NOT_PERMITTED, _("Only the employee appeals their record."))
    if locked.kind != RecordKind.PENALTY:
        raise ValidationError(_("Only a penalty can be appealed."), code="not_penalty")
    if locked.status == RecordStatus.EFFECTIVE and (
        locked.appeal_until is None or timezone.localdate() > locked.appeal_until
    ):
        raise ValidationError(
            _("The appeal window closed on %(day)s.") % {"day": locked.appeal_until},
            code="appeal_late",
        )
    why = text(grounds, "grounds", 1000, required=_("Give the grounds of the appeal."))
    workflows.transition(
        locked,
        RecordStatus.APPEALED,
        by=by,
        action="appealed",
        note=why,
        appeal_grounds=why,
        appealed_at=timezone.now(),
    )
    return back(record, locked)


APPEAL_OUTCOMES = (RecordStatus.UPHELD, RecordStatus.MODIFIED, RecordStatus.REVOKED)


@transaction.atomic
def decide_appeal(
    *,
    record: ConductRecord,
    outcome: str,
    reason: str,
    by: User,
    level: RecordLevel | None = None,
) -> ConductRecord:
    """The next level or HR decides, finally: upheld, modified (another level of the same
    type, its points) or revoked (no points)."""
    locked = _lock(record)
    if outcome not in APPEAL_OUTCOMES:
        raise field_error("outcome", _("Choose upheld, modified or revoked."), "invalid")
    why = text(reason, "reason", 1000, required=_("Give the reasons of the decision."))
    fields: dict[str, Any] = {"appeal_decided_by": by, "appeal_result": why}
    if outcome == RecordStatus.MODIFIED:
        if level is None or level.company_id != locked.community.company_id:
            raise field_error("level", _("Choose the new level."), "required")
        if level.kind != locked.kind or level.pk == locked.level_id:
            raise field_error("level", _("Choose another level of the same type."), "invalid")
        fields |= {"original_level": locked.level, "level": level, "points": level.points}
    workflows.transition(locked, outcome, by=by, action=outcome, note=why, **fields)
    return back(record, locked)


def expire_records(*, today: dt.date | None = None) -> int:
    """Minor penalties lapse on their date (the nightly job); returns how many."""
    day = today or timezone.localdate()
    due = ConductRecord.objects.in_force().filter(expires_on__lte=day).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            record = ConductRecord.objects.get(pk=pk)
            workflows.transition(record, RecordStatus.EXPIRED, by=None, action="expired")
            count += 1
    return count
