"""Dunning (催缴, spec §10): arrears cases up the ladder, their steps, promises, disputes,
instalment plans and notices; the daily job that opens cases, prepares the month's notices
and moves cases whose deadlines passed. Every amount owed is read from billing's ledger.

Nothing here (nor anywhere) cuts water or power for arrears: the ladder ends in a director's
visit and legal action (§10 legal notes; Civil Code art. 944)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.billing.models import UnitBalance
from guanjia.billing.selectors.late_fees import late_fee_rule
from guanjia.core import workflows
from guanjia.core.access import User, require_perm
from guanjia.core.calendars.selectors import add_working_days
from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.estates.models import Unit
from guanjia.estates.models.identity import field_error
from guanjia.estates.selectors.access import can_edit_in_zone

from .. import policies as keys
from ..models import (
    LADDER,
    STAGE_NOTICE,
    ArrearsCase,
    CaseStage,
    DunningNotice,
    DunningStep,
    Instalment,
    InstalmentPlan,
    NoticeKind,
    PaymentPromise,
    StepMethod,
)
from ..models.dunning import may_chase
from ..selectors.account import owner_names
from ..selectors.dunning import UnitOwed, old_arrears, outstanding, owed_by_unit

ZERO = Decimal("0.00")
CHASE = "cashier.change_arrearscase"
# The stage the daily job moves a case to when its deadline passed unpaid.
NEXT_WRITTEN: dict[str, str] = {
    CaseStage.OVERDUE: CaseStage.NOTICE,
    CaseStage.PHONE: CaseStage.NOTICE,
    CaseStage.NOTICE: CaseStage.SECOND_NOTICE,
    CaseStage.SECOND_NOTICE: CaseStage.FINAL_NOTICE,
}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def stage_days(community: Community, stage: str, day: dt.date) -> int | None:
    """Days the step gives the resident to pay (None: no deadline, the case waits for a
    person: legal action, an instalment plan)."""
    keys_by_stage: dict[str, str] = {
        CaseStage.OVERDUE: keys.DUNNING_OVERDUE_DAYS,
        CaseStage.PHONE: keys.DUNNING_PHONE_DAYS,
        CaseStage.NOTICE: "billing.reminder1_days",
        CaseStage.SECOND_NOTICE: "billing.reminder2_days",
        CaseStage.FINAL_NOTICE: keys.FINAL_NOTICE_DAYS,
        CaseStage.DIRECTOR_VISIT: keys.VISIT_DAYS,
    }
    key = keys_by_stage.get(stage)
    return None if key is None else int(policy(community, key, on=day))


def deadline_after(community: Community, stage: str, day: dt.date) -> dt.date | None:
    days = stage_days(community, stage, day)
    return None if days is None else day + dt.timedelta(days=days)


def _check_chase(case: ArrearsCase, by: User) -> None:
    """The permission and, for an area manager, the zone (403 otherwise)."""
    require_perm(by, CHASE, case.community)
    if not may_chase(by, case):
        raise PermissionDenied(_("This unit is in a zone another area manager looks after."))


def _check_open(case: ArrearsCase) -> None:
    if not case.is_open:
        raise ValidationError(
            _("This case is %(stage)s: nothing more is recorded on it.")
            % {"stage": case.get_status_display()},
            code="case_closed",
        )


def _check_not_disputed(case: ArrearsCase) -> None:
    if case.disputed:
        raise ValidationError(
            _(
                "The owner disputes the bill (complaint %(ref)s): the case is paused until "
                "the dispute is cleared."
            )
            % {"ref": case.dispute_ref or "—"},
            code="disputed",
        )


def _text(value: str | None, name: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise field_error(name, _("This field is required."), "required")
    if len(text) > limit:
        raise field_error(name, _("At most %(limit)s characters.") % {"limit": limit}, "too_long")
    return text


def _money(value: Any, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise field_error(name, _("Enter an amount such as 120.50."), "bad_amount") from None
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise field_error(
            name, _("Enter an amount above zero with at most two decimals."), "bad_amount"
        )
    if amount > Decimal("10000000"):
        raise field_error(name, _("At most 10,000,000.00."), "too_large")
    return amount.quantize(Decimal("0.01"))


# --- Cases ------------------------------------------------------------------


def _open(unit: Unit, amount: Decimal, reason: str, by: User | None, day: dt.date) -> ArrearsCase:
    case = ArrearsCase.objects.create(
        community=unit.community,
        unit=unit,
        opened_amount=amount,
        opened_reason=reason[:200],
        deadline=deadline_after(unit.community, CaseStage.OVERDUE, day),
    )
    workflows.record_creation(case, by=by, note=reason[:200], action="opened")
    return case


def open_case_for(unit: Unit) -> ArrearsCase | None:
    return (
        ArrearsCase.objects.filter(unit=unit).exclude(status__in=("settled", "written_off")).first()
    )


@transaction.atomic
def open_case(*, unit: Unit, by: User, reason: str = "") -> ArrearsCase:
    """Open a case for a unit that owes (the cashier, supervisor, director; an area manager in
    their zone). Refused: a unit that owes nothing, a unit with an open case."""
    require_perm(by, "cashier.add_arrearscase", unit.community)
    if not can_edit_in_zone(by, unit.community, unit.building.zone_id):
        raise PermissionDenied(_("This unit is in a zone another area manager looks after."))
    reason = _text(reason, "reason", 200)
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    if open_case_for(unit) is not None:
        raise ValidationError(_("This unit already has an open arrears case."), code="case_open")
    owed = outstanding(unit)
    if owed <= 0:
        raise ValidationError(
            _("%(room)s owes nothing: there is nothing to chase.") % {"room": unit.room_code},
            code="nothing_owed",
        )
    return _open(unit, owed, reason, by, timezone.localdate())


def _notice_for(case: ArrearsCase, kind: str, day: dt.date, by: User | None) -> DunningNotice:
    """The case's notice of `kind` for `day`'s month (prepared once a month)."""
    found = DunningNotice.objects.filter(
        unit_id=case.unit_id, kind=kind, month=month_start(day)
    ).first()
    if found is not None:
        return found
    owed = owed_by_unit(case.community, day, [case.unit_id]).get(case.unit_id)
    return _make_notice(case.unit, kind, day, owed, case=case, by=by)


def _make_notice(
    unit: Unit,
    kind: str,
    day: dt.date,
    owed: UnitOwed | None,
    *,
    case: ArrearsCase | None,
    by: User | None,
    owner: str | None = None,
) -> DunningNotice:
    community = unit.community
    if kind == NoticeKind.FEE:
        deliver = day.replace(day=min(int(policy(community, "billing.notice_deliver_day")), 28))
        deliver = max(deliver, day)
        window = int(policy(community, "billing.pay_window_workdays", on=day))
        deadline = add_working_days(deliver, window, community=community)
    else:
        stage = {v: k for k, v in STAGE_NOTICE.items()}[kind]
        deadline = deadline_after(community, stage, day) or day
    return DunningNotice.objects.create(
        community=community,
        unit=unit,
        case=case,
        kind=kind,
        month=month_start(day),
        issued_on=day,
        deadline=deadline,
        owner_name=owner if owner is not None else owner_names(unit, day),
        principal=owed.principal if owed else ZERO,
        late_fee=owed.late_fee if owed else ZERO,
        late_fee_rate=late_fee_rule(community, day).rate,
        prepaid=owed.prepaid if owed else ZERO,
        lines=[item.as_json() for item in owed.items] if owed else [],
        recorded_by=by,
    )


def _move(case: ArrearsCase, to: str, *, by: User | None, day: dt.date, note: str) -> None:
    workflows.transition(
        case, to, by=by, note=note, deadline=deadline_after(case.community, to, day)
    )
    kind = STAGE_NOTICE.get(to)
    if kind is not None:
        _notice_for(case, kind, day, by)


@transaction.atomic
def record_step(
    *,
    case: ArrearsCase,
    stage: str,
    method: str,
    done_on: dt.date | None,
    contact: str = "",
    answer: str = "",
    legal_ref: str = "",
    by: User,
) -> DunningStep:
    """One line of the dunning register. A step further up the ladder moves the case there
    (its notice prepared, its deadline set); the same step again is a repeated reminder."""
    case = workflows.lock(case)
    _check_chase(case, by)
    _check_open(case)
    _check_not_disputed(case)
    if stage not in LADDER or stage == CaseStage.OVERDUE:
        raise field_error("stage", _("Choose a step of the ladder."), "bad_stage")
    if method not in StepMethod.values:
        raise field_error("method", _("Choose how the resident was reached."), "bad_method")
    today = timezone.localdate()
    if done_on is None:
        raise field_error("done_on", _("Enter the date of the step."), "required")
    if done_on > today:
        raise field_error("done_on", _("The date cannot be in the future."), "future")
    if done_on < timezone.localtime(case.created_at).date():
        raise field_error(
            "done_on", _("The date cannot be before the case was opened."), "before_case"
        )
    contact = _text(contact, "contact", 100)
    answer = _text(answer, "answer", 500)
    legal_ref = _text(legal_ref, "legal_ref", 100)
    if case.status in LADDER and LADDER.index(stage) < LADDER.index(case.status):
        raise field_error(
            "stage",
            _("The case is already at “%(stage)s”: the ladder is not taken back.")
            % {"stage": case.get_status_display()},
            "stage_back",
        )
    if stage != case.status:
        if stage == CaseStage.LEGAL:
            case.legal_ref = legal_ref
        _move(case, stage, by=by, day=done_on, note=answer)
    elif stage == CaseStage.LEGAL and legal_ref:
        ArrearsCase.objects.filter(pk=case.pk).update(legal_ref=legal_ref)
    return DunningStep.objects.create(
        case=case,
        stage=stage,
        done_on=done_on,
        method=method,
        contact=contact,
        answer=answer,
        by=by,
    )


@transaction.atomic
def add_promise(
    *, case: ArrearsCase, pay_by: dt.date | None, amount: Any, note: str = "", by: User
) -> PaymentPromise:
    """A promise to pay `amount` by `pay_by`: today or later, within the policy's days, and
    no more than the unit owes."""
    case = workflows.lock(case)
    _check_chase(case, by)
    _check_open(case)
    today = timezone.localdate()
    if pay_by is None:
        raise field_error("pay_by", _("Enter the date promised."), "required")
    if pay_by < today:
        raise field_error("pay_by", _("The date promised cannot be in the past."), "date_past")
    longest = int(policy(case.community, keys.PROMISE_DAYS_MAX, on=today))
    if pay_by > today + dt.timedelta(days=longest):
        raise field_error(
            "pay_by",
            _("A promise gives at most %(days)s days.") % {"days": longest},
            "too_far",
        )
    value = _money(amount, "amount")
    owed = outstanding(case.unit)
    if value > owed:
        raise field_error(
            "amount",
            _("The unit owes %(owed)s: a promise cannot be for more.") % {"owed": owed},
            "above_owed",
        )
    promise = PaymentPromise.objects.create(
        case=case, made_on=today, pay_by=pay_by, amount=value, note=_text(note, "note", 200), by=by
    )
    workflows.record_event(
        case,
        by=by,
        action="promised",
        note=f"{value} / {pay_by.isoformat()}",
        data={"amount": str(value), "pay_by": pay_by.isoformat()},
    )
    return promise


@transaction.atomic
def flag_dispute(*, case: ArrearsCase, complaint_ref: str, note: str, by: User) -> ArrearsCase:
    """The owner withholds because of a service complaint (§10 "Disputed bills"): the case is
    paused (no step, no notice, no move by the job) until the dispute is cleared."""
    case = workflows.lock(case)
    _check_chase(case, by)
    _check_open(case)
    ref = _text(complaint_ref, "complaint_ref", 60, required=True)
    note = _text(note, "note", 500, required=True)
    if case.disputed:
        raise ValidationError(_("This case is already disputed."), code="already_disputed")
    ArrearsCase.objects.filter(pk=case.pk).update(disputed=True, dispute_ref=ref, dispute_note=note)
    case.disputed, case.dispute_ref, case.dispute_note = True, ref, note
    workflows.record_event(case, by=by, action="disputed", note=f"{ref}: {note}")
    return case


@transaction.atomic
def clear_dispute(*, case: ArrearsCase, note: str, by: User) -> ArrearsCase:
    """The complaint is resolved: the case goes on, its deadline counted again from today."""
    case = workflows.lock(case)
    _check_chase(case, by)
    note = _text(note, "note", 500, required=True)
    if not case.disputed:
        raise ValidationError(_("This case is not disputed."), code="not_disputed")
    today = timezone.localdate()
    deadline = deadline_after(case.community, case.status, today)
    ArrearsCase.objects.filter(pk=case.pk).update(disputed=False, deadline=deadline)
    case.disputed, case.deadline = False, deadline
    workflows.record_event(case, by=by, action="dispute_cleared", note=note)
    return case


def parse_schedule(text: str) -> list[tuple[dt.date, Decimal]]:
    """Lines "2024-04-30 500" (a date and an amount, one a line) as the form types them."""
    lines = []
    for number, raw in enumerate((text or "").splitlines(), 1):
        parts = raw.replace(",", " ").replace("，", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise field_error(
                "schedule",
                _("Line %(n)s: write a date and an amount, such as 2024-04-30 500.")
                % {"n": number},
                "bad_line",
            )
        try:
            due = dt.date.fromisoformat(parts[0])
        except ValueError:
            raise field_error(
                "schedule",
                _("Line %(n)s: “%(text)s” is not a date (YYYY-MM-DD).")
                % {"n": number, "text": parts[0][:20]},
                "bad_date",
            ) from None
        try:
            amount = _money(parts[1], "schedule")
        except ValidationError:
            raise field_error(
                "schedule",
                _("Line %(n)s: “%(text)s” is not an amount above zero with two decimals.")
                % {"n": number, "text": parts[1][:20]},
                "bad_amount",
            ) from None
        lines.append((due, amount))
    return lines


@transaction.atomic
def set_instalment_plan(
    *,
    case: ArrearsCase,
    schedule: Iterable[tuple[dt.date, Any]],
    note: str = "",
    by: User,
) -> InstalmentPlan:
    """The supervisor (or director) agrees an instalment plan (§26 "SUP U A (instalments)"):
    the instalments add up to what the unit owes now, due today or later in date order, no
    more than the policy's number. The case moves to 分期付款."""
    case = workflows.lock(case)
    require_perm(by, "cashier.approve_instalment_plan", case.community)
    _check_open(case)
    _check_not_disputed(case)
    today = timezone.localdate()
    if InstalmentPlan.objects.filter(case=case).exists():
        raise ValidationError(
            _("This case already has an instalment plan; open a new case to agree another."),
            code="plan_exists",
        )
    lines = [(due, _money(amount, "schedule")) for due, amount in schedule]
    if not lines:
        raise field_error("schedule", _("Enter at least one instalment."), "required")
    most = int(policy(case.community, keys.INSTALMENTS_MAX, on=today))
    if len(lines) > most:
        raise field_error("schedule", _("At most %(n)s instalments.") % {"n": most}, "too_many")
    dates = [due for due, _amount in lines]
    if min(dates) < today:
        raise field_error("schedule", _("An instalment cannot be due in the past."), "date_past")
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise field_error(
            "schedule", _("Write the instalments in date order, one a date."), "bad_order"
        )
    owed = outstanding(case.unit)
    total = sum((amount for _due, amount in lines), ZERO)
    if total != owed:
        raise field_error(
            "schedule",
            _("The instalments add up to %(total)s but the unit owes %(owed)s.")
            % {"total": total, "owed": owed},
            "sum_mismatch",
        )
    plan = InstalmentPlan.objects.create(
        case=case, starts_on=today, total=total, note=_text(note, "note", 500), by=by
    )
    Instalment.objects.bulk_create(
        Instalment(plan=plan, position=n, due_on=due, amount=amount)
        for n, (due, amount) in enumerate(lines, 1)
    )
    workflows.transition(
        case,
        CaseStage.INSTALMENT,
        by=by,
        note=plan.note,
        data={"instalments": len(lines), "total": str(total)},
        deadline=dates[0],
    )
    return plan


@transaction.atomic
def close_case(*, case: ArrearsCase, to: str, note: str = "", by: User) -> ArrearsCase:
    """Settled (the unit owes nothing: whoever chases it) or written off (finance or the
    company, with the decision's reason and reference)."""
    case = workflows.lock(case)
    _check_open(case)
    if to not in (CaseStage.SETTLED, CaseStage.WRITTEN_OFF):
        raise field_error("to", _("Choose settled or written off."), "bad_stage")
    workflows.check_transition(case, to, by=by)  # who, and from which stage, first
    note = _text(note, "note", 500, required=to == CaseStage.WRITTEN_OFF)
    if to == CaseStage.SETTLED:
        owed = outstanding(case.unit)
        if owed > 0:
            raise ValidationError(
                _("%(room)s still owes %(owed)s: the case is not settled.")
                % {"room": case.unit.room_code, "owed": owed},
                code="still_owing",
            )
    workflows.transition(
        case, to, by=by, note=note, closed_on=timezone.localdate(), closed_note=note, deadline=None
    )
    return case


@transaction.atomic
def record_signature(
    *, notice: DunningNotice, signed_by: str, signed_on: dt.date | None, by: User
) -> DunningNotice:
    """Who signed for a delivered notice (签收), and when."""
    require_perm(by, CHASE, notice.community)
    if not can_edit_in_zone(by, notice.community, notice.unit.building.zone_id):
        raise PermissionDenied(_("This unit is in a zone another area manager looks after."))
    notice = DunningNotice.objects.select_for_update().get(pk=notice.pk)
    name = _text(signed_by, "signed_by", 100, required=True)
    if signed_on is None:
        raise field_error("signed_on", _("Enter the date it was signed for."), "required")
    if signed_on > timezone.localdate():
        raise field_error("signed_on", _("The date cannot be in the future."), "future")
    if signed_on < notice.issued_on:
        raise field_error(
            "signed_on", _("A notice is not signed for before it was issued."), "before_issue"
        )
    if notice.signed_by:
        raise ValidationError(
            _("%(name)s already signed for this notice.") % {"name": notice.signed_by},
            code="already_signed",
        )
    notice.signed_by, notice.signed_on = name, signed_on
    notice.save(update_fields=["signed_by", "signed_on", "updated_at"])
    if notice.case is not None:
        workflows.record_event(
            notice.case,
            by=by,
            action="signed",
            note=f"{notice.get_kind_display()} {name} {signed_on.isoformat()}",
        )
    return notice


@transaction.atomic
def prepare_notice(*, unit: Unit, kind: str, by: User) -> DunningNotice:
    """This month's notice of `kind` for one unit (a fee notice, or the case's notice of its
    stage). Refused: a unit that owes nothing; a reminder for a unit without a case."""
    require_perm(by, CHASE, unit.community)
    if kind not in NoticeKind.values:
        raise field_error("kind", _("Choose a notice."), "bad_kind")
    today = timezone.localdate()
    owed = owed_by_unit(unit.community, today, [unit.pk]).get(unit.pk)
    if owed is None or owed.total <= 0:
        raise ValidationError(
            _("%(room)s owes nothing: there is no notice to send.") % {"room": unit.room_code},
            code="nothing_owed",
        )
    found = DunningNotice.objects.filter(unit=unit, kind=kind, month=month_start(today)).first()
    if found is not None:
        return found
    case = open_case_for(unit)
    if kind != NoticeKind.FEE and case is None:
        raise ValidationError(
            _("%(room)s has no arrears case: open one first.") % {"room": unit.room_code},
            code="no_case",
        )
    return _make_notice(unit, kind, today, owed, case=case, by=by)


# --- After a reversal (冲红) ------------------------------------------------------------------


def after_reversal(*, unit: Unit, receipt_number: str, by: User | None) -> ArrearsCase | None:
    """A payment reversed (a bounced cheque, a failed debit): what it paid is owed again and
    the first reminder goes out (§05 edge cases): the unit's case is opened (or found) and
    moved to the written notice, with this month's 催缴通知单. A disputed case stays paused."""
    owed = outstanding(unit)
    if owed <= 0:
        return None
    today = timezone.localdate()
    note = _("Receipt %(number)s reversed (冲红)") % {"number": receipt_number}
    case = open_case_for(unit) or _open(unit, owed, note, None, today)
    if case.disputed:
        return case
    if case.status in (CaseStage.OVERDUE, CaseStage.PHONE):
        _move(case, CaseStage.NOTICE, by=None, day=today, note=note)
    else:
        workflows.record_event(case, by=by, action="reversal", note=note)
    return case


# --- The daily job ------------------------------------------------------------------


def run_daily(community: Community, day: dt.date) -> dict[str, int]:
    """Open cases for units owing old bills, settle the cases of units that paid, move cases
    whose deadline passed one written step up, and prepare the month's fee notices for the
    units that owe. Idempotent: run twice the same day, the second adds nothing."""
    done = {"opened": 0, "settled": 0, "moved": 0, "fee_notices": 0}
    months = int(policy(community, keys.DUNNING_OPEN_AFTER_MONTHS, on=day))
    minimum = Decimal(str(policy(community, keys.DUNNING_MIN_AMOUNT, on=day)))
    cutoff = month_start(day)
    for _n in range(months):
        cutoff = month_start(cutoff - dt.timedelta(days=1))
    owing_old = old_arrears(community, cutoff, max(minimum, Decimal("0.01")))
    with transaction.atomic():
        cases = {
            c.unit_id: c
            for c in ArrearsCase.objects.in_community(community)
            .exclude(status__in=("settled", "written_off"))
            .select_related("unit", "community")
        }
        owes = dict(
            UnitBalance.objects.filter(community=community, outstanding__gt=0)
            .values("unit_id")
            .annotate(t=Sum("outstanding"))
            .values_list("unit_id", "t")
            .order_by()
        )
        for unit_id, case in cases.items():
            if owes.get(unit_id, ZERO) <= 0:
                workflows.transition(
                    case,
                    CaseStage.SETTLED,
                    by=None,
                    note=_("Paid in full"),
                    closed_on=day,
                    deadline=None,
                )
                done["settled"] += 1
            elif (
                not case.disputed
                and case.deadline is not None
                and case.deadline < day
                and case.status in NEXT_WRITTEN
            ):
                _move(case, NEXT_WRITTEN[case.status], by=None, day=day, note=_("Deadline passed"))
                done["moved"] += 1
        new = [u for u in owing_old if u not in cases]
        for unit in Unit.objects.filter(pk__in=new).select_related("community"):
            _open(unit, owes.get(unit.pk, owing_old[unit.pk]), _("Unpaid bills"), None, day)
            done["opened"] += 1
    done["fee_notices"] = prepare_fee_notices(community, day)
    return done


def prepare_fee_notices(community: Community, day: dt.date) -> int:
    """This month's 缴费通知单 for every unit that owes (one aggregate read; units already
    given theirs this month are left alone)."""
    month = month_start(day)
    have = set(
        DunningNotice.objects.filter(
            community=community, kind=NoticeKind.FEE, month=month
        ).values_list("unit_id", flat=True)
    )
    owed = {k: v for k, v in owed_by_unit(community, day).items() if v.total > 0 and k not in have}
    if not owed:
        return 0
    from guanjia.estates.models import Ownership

    names: dict[int, list[str]] = {}
    for unit_id, name in (
        Ownership.objects.current(day)
        .filter(unit_id__in=owed)
        .order_by("unit_id", "-share", "pk")
        .values_list("unit_id", "person__name")
    ):
        names.setdefault(unit_id, [])
        if name not in names[unit_id]:
            names[unit_id].append(name)
    cases = dict(
        ArrearsCase.objects.in_community(community)
        .exclude(status__in=("settled", "written_off"))
        .values_list("unit_id", "pk")
    )
    deliver = day.replace(day=min(int(policy(community, "billing.notice_deliver_day")), 28))
    deadline = add_working_days(
        max(deliver, day),
        int(policy(community, "billing.pay_window_workdays", on=day)),
        community=community,
    )
    rate = late_fee_rule(community, day).rate
    rows = [
        DunningNotice(
            community=community,
            unit_id=unit_id,
            case_id=cases.get(unit_id),
            kind=NoticeKind.FEE,
            month=month,
            issued_on=day,
            deadline=deadline,
            owner_name="、".join(names.get(unit_id, [])),
            principal=o.principal,
            late_fee=o.late_fee,
            late_fee_rate=rate,
            prepaid=o.prepaid,
            lines=[item.as_json() for item in o.items],
        )
        for unit_id, o in owed.items()
    ]
    try:
        with transaction.atomic():
            DunningNotice.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:  # prepared at the same moment by another run: keep theirs
        return 0
    return len(rows)


def run_daily_all() -> dict[str, Any]:
    """The scheduled job (`cashier.dunning`): each active community once a day."""
    from guanjia.core.jobs.services import run_once

    day = timezone.localdate()
    results: dict[str, Any] = {}
    for community in Community.objects.filter(is_active=True).order_by("pk"):
        result = run_once(
            f"cashier.dunning:{community.pk}:{day.isoformat()}",
            partial(run_daily, community, day),
            label=_("Dunning of %(community)s") % {"community": community.name},
        )
        results[str(community.pk)] = result
    return results
