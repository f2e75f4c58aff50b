"""The steps of a breach record (spec §19): report, verify, decide, notify, execute, appeal,
decide the appeal, close, cancel; every write checks its permission, locks the record and
writes its event. Execution calls the other apps' services: the pass is confiscated by
`guanjia.passes.services.confiscate_pass`, the contractor banned by
`guanjia.renovation.services.ban_contractor`, and the deduction is carried into the
renovation's deposit refund (the registry of `pending_deductions`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import User, has_perm_in, require_perm
from guanjia.core.files.checks import CheckedUpload, check_upload
from guanjia.core.files.signatures import RESIDENT_MUST_SIGN, signature_file
from guanjia.core.files.types import PICTURES
from guanjia.core.models import Community
from guanjia.core.numbering.services import next_number
from guanjia.core.policies.selectors import policy
from guanjia.core.workflows.errors import Code, WorkflowError
from guanjia.passes.models import PassStatus
from guanjia.passes.services import confiscate_pass
from guanjia.renovation.models import Renovation
from guanjia.renovation.services import ban_contractor, lift_ban

from .. import selectors
from ..models import (
    MEASURES,
    AppealDecision,
    Breach,
    BreachNotice,
    BreachPhoto,
    BreachStatus,
    Party,
    PersonKind,
    SanctionType,
    Source,
)
from ..policies import APPEAL_DAYS, BAN_AFTER, DAMAGE_MAX, DECIDE_LIMIT, PHOTO_MAX_MB
from ._common import ZERO, field_error, text, yuan

S = BreachStatus
REPORT = "sanctions.add_breach"


def _choice(value: str, allowed: list[str], field: str) -> str:
    if value not in allowed:
        raise field_error(field, _("Select a valid choice."), "invalid")
    return value


def _checked_photo(community: Community, upload: UploadedFile, field: str) -> CheckedUpload:
    limit_mb = int(policy(community, PHOTO_MAX_MB))
    if (upload.size or 0) > limit_mb * 1024 * 1024:
        raise field_error(
            field, _("A photo is larger than %(mb)s MB.") % {"mb": limit_mb}, "too_large"
        )
    return check_upload(upload, PICTURES, field=field)


def _identify(breach: Breach, number: str) -> None:
    """Fill the person from the pass (the passes app's lookup), or refuse the number."""
    found = selectors.identify(breach.community, number)
    if found is None:
        raise field_error(
            "pass_number", _("No pass with this number in this community."), "not_found"
        )
    breach.pass_obj = found.pass_obj
    breach.pass_number = found.pass_obj.number
    breach.person_name = breach.person_name or found.person_name
    breach.employer = breach.employer or found.employer
    breach.unit = found.unit
    if found.renovation is not None:
        breach.renovation = found.renovation
    if breach.renovation is not None:
        breach.unit = breach.renovation.unit
        breach.contractor = breach.renovation.contractor
        breach.employer = breach.employer or breach.renovation.contractor.name


@dataclass(frozen=True)
class Report:
    """What the guard, the manager or the desk (for a resident) reports."""

    kind: SanctionType
    place: str
    description: str
    source: str
    person_kind: str
    pass_number: str = ""
    person_name: str = ""
    employer: str = ""
    resident_name: str = ""
    unidentified: bool = False
    occurred_at: dt.datetime | None = None
    renovation: Renovation | None = None


@transaction.atomic
def report_breach(
    *, community: Community, report: Report, by: User, photos: Iterable[UploadedFile] = ()
) -> Breach:
    """Record a breach (numbered RY-…). A pass number names the person, the employer, the
    unit and the renovation; a person who refuses to identify is recorded as such, escorted
    out and flagged for no re-entry; damage found later on CCTV names the renovation."""
    require_perm(by, REPORT, community)
    if report.kind.community_id != community.pk or not report.kind.active:
        raise field_error("kind", _("Choose a line of this community's sanction table."), "invalid")
    now = timezone.now()
    occurred = report.occurred_at or now
    if occurred > now + dt.timedelta(minutes=5):
        raise field_error("occurred_at", _("The breach cannot be in the future."), "future")
    breach = Breach(
        community=community,
        kind=report.kind,
        occurred_at=occurred,
        place=text(report.place, "place", 100, required=True),
        description=text(report.description, "description", 2000, required=True),
        source=_choice(report.source, Source.values, "source"),
        person_kind=_choice(report.person_kind, PersonKind.values, "person_kind"),
        person_name=text(report.person_name, "person_name", 50),
        employer=text(report.employer, "employer", 100),
        resident_name=text(report.resident_name, "resident_name", 50),
        unidentified=bool(report.unidentified),
        reported_by=by,
    )
    if breach.source == Source.RESIDENT and not breach.resident_name:
        raise field_error(
            "resident_name", _("Name the resident who reported the breach."), "required"
        )
    number = text(report.pass_number, "pass_number", 80)
    if report.renovation is not None:
        if report.renovation.community_id != community.pk:
            raise field_error(
                "renovation", _("Choose a renovation of this community."), "other_community"
            )
        breach.renovation = report.renovation
        breach.unit = report.renovation.unit
        breach.contractor = report.renovation.contractor
    if breach.unidentified:
        if number or breach.person_name:
            raise field_error(
                "unidentified",
                _("A person who refused to identify has no name or pass no. on the record."),
                "contradiction",
            )
        breach.no_reentry = True
    elif number:
        _identify(breach, number)
    elif not breach.person_name and breach.renovation is None:
        raise field_error(
            "pass_number",
            _("Give the pass no. or the person's name, or record that the person refused "
              "to identify."),
            "required",
        )  # fmt: skip
    checked = [_checked_photo(community, photo, "photos") for photo in photos]
    breach.number = str(next_number(community=community, kind="sanction"))
    breach.save()
    for photo in checked:
        BreachPhoto.objects.create(
            breach=breach, image=photo.file, original_name=photo.original_name, taken_by=by
        )
    note = breach.description
    if breach.unidentified:
        note = _("Refused to identify: escorted out, no re-entry.") + " " + note
    workflows.record_creation(breach, by=by, action="reported", note=note[:2000])
    return breach


@transaction.atomic
def add_photo(*, breach: Breach, image: UploadedFile, by: User) -> BreachPhoto:
    """A further photo as evidence, while the record is open."""
    locked = workflows.lock(breach)
    require_perm(by, REPORT, locked.community)
    if not locked.is_open:
        raise WorkflowError(Code.MOVE_NOT_ALLOWED, _("This record is closed."))
    photo = _checked_photo(locked.community, image, "image")
    row = BreachPhoto.objects.create(
        breach=locked, image=photo.file, original_name=photo.original_name, taken_by=by
    )
    workflows.record_event(locked, by=by, action="photo", note=row.original_name)
    return row


def _copy(source: Breach, target: Breach) -> Breach:
    if source is not target:
        for field in source._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))
    return source


@transaction.atomic
def verify_breach(
    *,
    breach: Breach,
    note: str,
    by: User,
    pass_number: str = "",
    person_name: str = "",
    employer: str = "",
) -> Breach:
    """The breach checked: evidence photographed, the person identified (by pass no. here
    if the report had none)."""
    locked: Breach = workflows.lock(breach)
    workflows.check_transition(locked, S.VERIFIED, by=by)
    words = text(note, "note", 2000, required=True)
    number = text(pass_number, "pass_number", 80)
    if number:
        if locked.unidentified:
            raise field_error(
                "pass_number",
                _("The person refused to identify: report a new breach if found again."),
                "contradiction",
            )
        locked.person_name = text(person_name, "person_name", 50) or locked.person_name
        locked.employer = text(employer, "employer", 100) or locked.employer
        _identify(locked, number)
    else:
        locked.person_name = text(person_name, "person_name", 50) or locked.person_name
        locked.employer = text(employer, "employer", 100) or locked.employer
    if not locked.photos.exists():
        raise field_error("note", _("Add at least one evidence photo first."), "no_evidence")
    known = locked.pass_obj_id or locked.person_name or locked.renovation_id
    if not (locked.unidentified or known):
        raise field_error(
            "pass_number", _("Identify the person by the pass no. or the name."), "required"
        )
    workflows.transition(
        locked,
        S.VERIFIED,
        by=by,
        note=words,
        verified_by=by,
        verified_at=timezone.now(),
        verify_note=words,
        pass_obj=locked.pass_obj,
        pass_number=locked.pass_number,
        person_name=locked.person_name,
        employer=locked.employer,
        unit=locked.unit,
        renovation=locked.renovation,
        contractor=locked.contractor,
    )
    return _copy(locked, breach)


def ban_is_proposed(breach: Breach) -> bool:
    """The contractor's people have breached the policy's number of times in the window."""
    if breach.contractor_id is None:
        return False
    count = selectors.contractor_breaches(
        breach.community, breach.contractor_id, timezone.localdate()
    )
    return count >= int(policy(breach.community, BAN_AFTER))


def _measures(breach: Breach, measures: Mapping[str, bool]) -> dict[str, bool]:
    chosen = {name: bool(measures.get(name)) for name in MEASURES}
    if chosen["confiscate_pass"] and breach.pass_obj_id is None:
        raise field_error(
            "confiscate_pass", _("There is no pass on the record to confiscate."), "no_pass"
        )
    if chosen["ban_contractor"] and breach.contractor_id is None:
        raise field_error(
            "ban_contractor", _("There is no contractor on the record to ban."), "no_contractor"
        )
    return chosen


def _amounts(breach: Breach, amount: Any, damage: Any) -> tuple[Decimal, Decimal]:
    high = breach.kind.max_amount
    money = yuan(amount, "amount", high=high)
    loss = yuan(damage, "damage", high=Decimal(policy(breach.community, DAMAGE_MAX)))
    if money + loss > 0:
        if breach.unidentified:
            raise field_error(
                "amount",
                _("Nobody can be charged for a person who refused to identify."),
                "unidentified",
            )
        if breach.renovation_id is None:
            raise field_error(
                "amount",
                _("A deduction is taken from a renovation deposit: link the renovation first."),
                "no_deposit",
            )
    return money, loss


def _check_limit(breach: Breach, total: Decimal, by: User) -> None:
    limit = Decimal(policy(breach.community, DECIDE_LIMIT))
    if total > limit and not has_perm_in(by, "sanctions.decide_major_breach", breach.community_id):
        raise PermissionDenied(
            _("Above %(limit)s yuan the director decides the sanction.") % {"limit": f"{limit:.2f}"}
        )


@transaction.atomic
def decide_sanction(
    *,
    breach: Breach,
    amount: Any,
    damage: Any = ZERO,
    measures: Mapping[str, bool],
    note: str,
    by: User,
) -> Breach:
    """The supervisor decides (the director above the policy's limit; never the reporter):
    the amount within the table's highest, the damage, the measures."""
    locked: Breach = workflows.lock(breach)
    workflows.check_transition(locked, S.DECIDED, by=by)
    money, loss = _amounts(locked, amount, damage)
    chosen = _measures(locked, measures)
    if money + loss == 0 and not any(chosen.values()):
        raise field_error("amount", _("Choose an amount or at least one measure."), "nothing")
    _check_limit(locked, money + loss, by)
    words = text(note, "note", 2000)
    workflows.transition(
        locked,
        S.DECIDED,
        by=by,
        note=words,
        data={"amount": f"{money:.2f}", "damage": f"{loss:.2f}"},
        amount=money,
        damage=loss,
        decision_note=words,
        decided_by=by,
        decided_at=timezone.now(),
        ban_proposed=ban_is_proposed(locked),
        **chosen,  # type: ignore[arg-type]
    )
    return _copy(locked, breach)


def parties(breach: Breach) -> list[str]:
    """Who is told and signs: the contractor and the owner of a renovation; else the
    contractor; else the person."""
    if breach.renovation_id is not None:
        return [Party.CONTRACTOR, Party.OWNER]
    if breach.contractor_id is not None:
        return [Party.CONTRACTOR]
    return [Party.PERSON]


@transaction.atomic
def notify_party(
    *,
    breach: Breach,
    party: str,
    signer: str,
    by: User,
    signature: str = "",
    refused_to_sign: bool = False,
    refusal_note: str = "",
) -> BreachNotice:
    """One party told of the decision, signing on the screen or refusing (recorded); once
    every party is told the record is notified and the appeal period starts."""
    locked: Breach = workflows.lock(breach)
    workflows.check_transition(locked, S.NOTIFIED, by=by)
    if locked.status != S.DECIDED:
        raise WorkflowError(Code.MOVE_NOT_ALLOWED)
    needed = parties(locked)
    if party not in needed:
        raise field_error("party", _("This party is not told of this record."), "invalid")
    if locked.notices.filter(party=party).exists():
        raise field_error("party", _("This party has already been told."), "duplicate")
    notice = BreachNotice(
        breach=locked,
        party=party,
        signer=text(signer, "signer", 50, required=True),
        refused_to_sign=bool(refused_to_sign),
        refusal_note=text(refusal_note, "refusal_note", 200),
        served_at=timezone.now(),
        served_by=by,
    )
    if notice.refused_to_sign:
        if not notice.refusal_note:
            raise field_error(
                "refusal_note", _("Record how the refusal happened and who saw it."), "required"
            )
    else:
        content = signature_file(signature, missing=RESIDENT_MUST_SIGN)
        notice.signature.save("signature.png", content, save=False)
    notice.save()
    told = set(locked.notices.values_list("party", flat=True))
    label = f"{notice.get_party_display()} {notice.signer}"
    if set(needed) <= told:
        workflows.transition(locked, S.NOTIFIED, by=by, note=label, notified_at=timezone.now())
        _copy(locked, breach)
    else:
        workflows.record_event(locked, by=by, action="told", note=label)
    return notice


def appeal_until(breach: Breach) -> dt.date | None:
    if breach.notified_at is None:
        return None
    days = int(policy(breach.community, APPEAL_DAYS))
    return timezone.localdate(breach.notified_at) + dt.timedelta(days=days)


def _execute(locked: Breach, by: User, until: dt.date | None) -> list[str]:
    """The measures, each through its app's service. What was done, for the event."""
    done: list[str] = []
    reason = f"{locked.number} {locked.kind.name}"
    if locked.confiscate_pass and locked.pass_obj is not None:
        current = locked.pass_obj
        if current.status == PassStatus.CONFISCATED:
            done.append(_("pass already confiscated"))
        else:
            confiscate_pass(pass_obj=current, reason=reason, by=by)
            done.append(_("pass confiscated"))
    if locked.ban_contractor and locked.contractor is not None and locked.ban_id is None:
        locked.ban = ban_contractor(
            contractor=locked.contractor,
            reason=reason,
            by=by,
            until=until,
            source=f"sanctions:{locked.number}",
        )
        done.append(_("contractor banned"))
    if locked.deduction > 0:
        done.append(
            _("%(amount)s yuan carried into the deposit refund")
            % {"amount": f"{locked.deduction:.2f}"}
        )
    return done


@transaction.atomic
def execute_breach(
    *,
    breach: Breach,
    note: str,
    by: User,
    police_ref: str = "",
    ban_until: dt.date | None = None,
) -> Breach:
    """Carry out the sanction: the pass confiscated (passes), the contractor banned
    (renovation), the deduction carried into the renovation's refund, expulsion and the
    police recorded."""
    locked: Breach = workflows.lock(breach)
    workflows.check_transition(locked, S.EXECUTED, by=by)
    words = text(note, "note", 2000, required=True)
    ref = text(police_ref, "police_ref", 60)
    if locked.call_police and not ref:
        raise field_error(
            "police_ref", _("Give the police's reference (the station and the case)."), "required"
        )
    if ban_until is not None and ban_until < timezone.localdate():
        raise field_error("ban_until", _("A ban ends on or after today."), "past")
    done = _execute(locked, by, ban_until)
    workflows.transition(
        locked,
        S.EXECUTED,
        by=by,
        note="; ".join([words, *done]),
        executed_by=by,
        executed_at=timezone.now(),
        execution_note=words,
        police_ref=ref,
        ban=locked.ban,
    )
    return _copy(locked, breach)


@transaction.atomic
def lodge_appeal(*, breach: Breach, party: str, grounds: str, by: User) -> Breach:
    """The contractor or the owner (the person, where no contractor answers for them)
    appeals to the director within the policy's days of the notice; what it disputes (the
    deduction) is held until the director decides."""
    locked: Breach = workflows.lock(breach)
    workflows.check_transition(locked, S.APPEALED, by=by)
    if party not in parties(locked):
        raise field_error("party", _("This party is not on the record."), "invalid")
    words = text(grounds, "grounds", 2000, required=True)
    last = appeal_until(locked)
    if last is not None and timezone.localdate() > last:
        raise field_error(
            "grounds",
            _("The appeal period ended on %(date)s.") % {"date": last.isoformat()},
            "appeal_late",
        )
    if locked.status == S.EXECUTED and locked.deduction > 0 and selectors.refund_requested(locked):
        raise field_error(
            "grounds",
            _("The deduction is already in the deposit refund: appeal on the refund."),
            "in_refund",
        )
    workflows.transition(
        locked,
        S.APPEALED,
        by=by,
        note=words,
        action="appealed",
        appeal_party=party,
        appeal_at=timezone.now(),
        appeal_grounds=words,
        appeal_from=locked.status,
        appeal_decision="",
        appeal_note="",
    )
    return _copy(locked, breach)


@transaction.atomic
def decide_appeal(
    *, breach: Breach, decision: str, note: str, by: User, amount: Any = None
) -> Breach:
    """The director upholds the sanction, changes its amount, or cancels it; the record
    goes back to where it was (notified or executed) or is cancelled (a ban it caused is
    lifted)."""
    locked: Breach = workflows.lock(breach)
    require_perm(by, "sanctions.decide_breach_appeal", locked.community)
    if locked.status != S.APPEALED:
        raise WorkflowError(Code.NOT_REQUESTED)
    _choice(decision, AppealDecision.values, "decision")
    words = text(note, "note", 2000, required=True)
    fields: dict[str, Any] = {
        "appeal_decision": decision,
        "appeal_note": words,
        "appeal_decided_by": by,
        "appeal_decided_at": timezone.now(),
    }
    if decision == AppealDecision.CANCELLED:
        if locked.ban is not None and locked.ban.lifted_at is None:
            lift_ban(ban=locked.ban, by=by)
        workflows.transition(
            locked, S.CANCELLED, by=by, note=words, action="appeal_cancelled", **fields
        )
        return _copy(locked, breach)
    if decision == AppealDecision.MODIFIED:
        if amount is None or str(amount).strip() == "":
            raise field_error("amount", _("Give the new amount."), "required")
        fields["amount"], _loss = _amounts(locked, amount, locked.damage)
    target = locked.appeal_from or S.NOTIFIED
    workflows.transition(locked, target, by=by, note=words, action=f"appeal_{decision}", **fields)
    return _copy(locked, breach)


@transaction.atomic
def close_breach(*, breach: Breach, note: str, by: User) -> Breach:
    """Closed once executed and the appeal period is over."""
    locked: Breach = workflows.lock(breach)
    workflows.check_transition(locked, S.CLOSED, by=by)
    last = appeal_until(locked)
    if last is not None and timezone.localdate() <= last:
        raise WorkflowError(
            Code.CONDITION,
            _("The appeal period runs until %(date)s: close the record after it."),
            date=last.isoformat(),
        )
    words = text(note, "note", 2000)
    workflows.transition(locked, S.CLOSED, by=by, note=words, closed_at=timezone.now())
    return _copy(locked, breach)


@transaction.atomic
def cancel_breach(*, breach: Breach, note: str, by: User) -> Breach:
    """An unfounded report (before a sanction) is cancelled by the supervisor, with reasons."""
    locked: Breach = workflows.lock(breach)
    if locked.status == S.APPEALED:
        raise WorkflowError(Code.MOVE_NOT_ALLOWED)
    workflows.check_transition(locked, S.CANCELLED, by=by)
    words = text(note, "note", 2000, required=True)
    workflows.transition(locked, S.CANCELLED, by=by, note=words, closed_at=timezone.now())
    return _copy(locked, breach)
