"""Dunning (催缴): cases up the ladder of §10, steps, promises, disputes, instalment plans,
notices, the daily job and the first reminder after a reversal. Unit 甲 owes January's and
February's service fee (100.00 each) and February's water (30.50); today is 2024-03-20."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.accounts.tests.factories import staff
from guanjia.cashier.models import (
    ArrearsCase,
    CaseStage,
    DunningNotice,
    DunningStep,
    InstalmentPlan,
    NoticeKind,
    PaymentPromise,
)
from guanjia.cashier.selectors.dunning import (
    missed_promises,
    owed_by_unit,
    plan_progress,
    promise_states,
)
from guanjia.cashier.services import (
    add_promise,
    clear_dispute,
    close_case,
    count_session,
    decide_reversal,
    flag_dispute,
    open_case,
    prepare_notice,
    record_signature,
    record_step,
    request_reversal,
    run_daily,
    set_instalment_plan,
)
from guanjia.core.workflows import WorkflowDenied

from .conftest import on
from .factories import charge, code_of, item, owned_unit, pay

pytestmark = pytest.mark.usefixtures("no_late_fees")
TODAY = dt.date(2024, 3, 20)


@pytest.fixture
def case(unit, cashier):
    return open_case(unit=unit, by=cashier, reason="欠费两个月")


def _refused(call, code):
    with pytest.raises(ValidationError) as error:
        call()
    assert code_of(error.value) == code


# --- Opening ----------------------------------------------------------------------------------


def test_a_case_opens_for_what_the_unit_owes(case, unit, cashier):
    assert (case.status, case.opened_amount) == (CaseStage.OVERDUE, Decimal("230.50"))
    assert case.deadline == TODAY + dt.timedelta(days=7)  # cashier.dunning_overdue_days
    _refused(lambda: open_case(unit=unit, by=cashier), "case_open")
    assert ArrearsCase.objects.count() == 1


def test_no_case_for_a_unit_that_owes_nothing(world, cashier):
    _refused(lambda: open_case(unit=owned_unit(world.a), by=cashier), "nothing_owed")
    assert not ArrearsCase.objects.exists()


def test_another_communitys_unit_is_refused(world, cashier):
    other = owned_unit(world.b)
    charge(other, item(world.b, "service", "物业服务费"), dt.date(2024, 1, 1), "50.00", cashier)
    with pytest.raises(PermissionDenied):
        open_case(unit=other, by=cashier)
    assert not ArrearsCase.objects.exists()


# --- Steps up the ladder --------------------------------------------------------------------


def test_a_phone_call_then_a_written_notice(case, cashier):
    step = record_step(
        case=case,
        stage="phone",
        method="phone",
        done_on=TODAY,
        contact="王业主",
        answer="月底前交",
        by=cashier,
    )
    case.refresh_from_db()
    assert (case.status, step.by, step.answer) == (CaseStage.PHONE, cashier, "月底前交")
    record_step(case=case, stage="notice", method="notice", done_on=TODAY, by=cashier)
    case.refresh_from_db()
    assert case.status == CaseStage.NOTICE
    assert case.deadline == TODAY + dt.timedelta(days=7)  # billing.reminder1_days
    notice = DunningNotice.objects.get(case=case, kind=NoticeKind.REMINDER)
    assert (notice.principal, notice.late_fee, notice.deadline) == (
        Decimal("230.50"),
        Decimal("0.00"),
        case.deadline,
    )
    assert [line["month"] for line in notice.lines] == ["2024-01", "2024-02", "2024-02"]
    # The same step again is a second reminder, the case stays.
    record_step(case=case, stage="notice", method="visit", done_on=TODAY, by=cashier)
    assert DunningStep.objects.filter(case=case).count() == 3


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("done_on", TODAY + dt.timedelta(days=1), "future"),
        ("done_on", dt.date(2024, 3, 1), "before_case"),
        ("done_on", None, "required"),
        ("stage", "settled", "bad_stage"),
        ("stage", "overdue", "bad_stage"),
        ("method", "cut_water", "bad_method"),
        ("answer", "长" * 501, "too_long"),
    ],
)
def test_a_bad_step_is_refused(case, cashier, field, value, code):
    data = {"stage": "phone", "method": "phone", "done_on": TODAY, "answer": ""} | {field: value}
    _refused(lambda: record_step(case=case, by=cashier, **data), code)
    assert not DunningStep.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStage.OVERDUE


def test_the_ladder_is_not_taken_back(case, cashier):
    record_step(case=case, stage="second_notice", method="notice", done_on=TODAY, by=cashier)
    _refused(
        lambda: record_step(case=case, stage="phone", method="phone", done_on=TODAY, by=cashier),
        "stage_back",
    )


def test_only_the_director_moves_a_case_to_legal_action(world, case, cashier):
    record_step(case=case, stage="director_visit", method="visit", done_on=TODAY, by=cashier)
    with pytest.raises(WorkflowDenied):
        record_step(case=case, stage="legal", method="court", done_on=TODAY, by=cashier)
    record_step(
        case=case,
        stage="legal",
        method="court",
        done_on=TODAY,
        legal_ref="(2024)粤0305民初1号",
        by=world.user("director"),
    )
    case.refresh_from_db()
    assert (case.status, case.legal_ref) == (CaseStage.LEGAL, "(2024)粤0305民初1号")


def test_an_area_manager_chases_only_in_their_zone(world, case, unit):
    manager = world.user("area_manager")
    with pytest.raises(PermissionDenied):
        record_step(case=case, stage="phone", method="phone", done_on=TODAY, by=manager)
    zone = unit.building.zone
    zone.area_manager = manager
    zone.save()
    manager.__dict__.pop("_estates_zones", None)
    record_step(case=case, stage="phone", method="phone", done_on=TODAY, by=manager)
    assert DunningStep.objects.get().by == manager


def test_roles_without_the_right_are_refused(world, case):
    for role in ("receptionist", "engineering_lead"):
        with pytest.raises(PermissionDenied):
            record_step(
                case=case, stage="phone", method="phone", done_on=TODAY, by=world.user(role)
            )


# --- Promises -------------------------------------------------------------------------------


def test_a_promise_missed_then_one_kept(world, case, unit, cashier):
    promise = add_promise(case=case, pay_by=dt.date(2024, 3, 25), amount="100", by=cashier)
    assert (promise.made_on, promise.amount) == (TODAY, Decimal("100.00"))
    assert [s.state for s in promise_states(case, TODAY)] == ["waiting"]
    with on(dt.date(2024, 3, 26)):
        assert [s.state for s in promise_states(case, dt.date(2024, 3, 26))] == ["missed"]
        missed = missed_promises(PaymentPromise.objects.all(), dt.date(2024, 3, 26))
        assert list(missed) == [promise]
        second = add_promise(case=case, pay_by=dt.date(2024, 3, 28), amount="50", by=cashier)
        pay(unit, "60.00", cashier)
        states = {
            s.promise.pk: (s.state, s.paid) for s in promise_states(case, dt.date(2024, 3, 26))
        }
        assert states[second.pk] == ("kept", Decimal("60.00"))


@pytest.mark.parametrize(
    ("pay_by", "amount", "code"),
    [
        (dt.date(2024, 3, 19), "100", "date_past"),
        (None, "100", "required"),
        (dt.date(2024, 12, 31), "100", "too_far"),
        (dt.date(2024, 3, 25), "0", "bad_amount"),
        (dt.date(2024, 3, 25), "1.005", "bad_amount"),
        (dt.date(2024, 3, 25), "abc", "bad_amount"),
        (dt.date(2024, 3, 25), "230.51", "above_owed"),
    ],
)
def test_a_bad_promise_is_refused(case, cashier, pay_by, amount, code):
    _refused(lambda: add_promise(case=case, pay_by=pay_by, amount=amount, by=cashier), code)
    assert not PaymentPromise.objects.exists()


# --- Disputes -------------------------------------------------------------------------------


def test_a_disputed_case_is_paused(case, cashier):
    flag_dispute(case=case, complaint_ref="TS-2024-000012", note="电梯长期故障", by=cashier)
    case.refresh_from_db()
    assert (case.disputed, case.dispute_ref) == (True, "TS-2024-000012")
    _refused(
        lambda: record_step(case=case, stage="phone", method="phone", done_on=TODAY, by=cashier),
        "disputed",
    )
    with on(dt.date(2024, 4, 20)):
        run_daily(case.community, dt.date(2024, 4, 20))
    case.refresh_from_db()
    assert case.status == CaseStage.OVERDUE  # the job leaves it alone
    _refused(
        lambda: flag_dispute(case=case, complaint_ref="x", note="y", by=cashier),
        "already_disputed",
    )
    clear_dispute(case=case, note="电梯已修复", by=cashier)
    case.refresh_from_db()
    assert not case.disputed
    record_step(case=case, stage="phone", method="phone", done_on=TODAY, by=cashier)


def test_a_dispute_needs_its_complaint(case, cashier):
    _refused(lambda: flag_dispute(case=case, complaint_ref=" ", note="x", by=cashier), "required")
    _refused(lambda: clear_dispute(case=case, note="x", by=cashier), "not_disputed")


# --- Instalments ----------------------------------------------------------------------------


def test_an_instalment_plan_and_its_progress(world, case, unit, cashier):
    supervisor = world.user("supervisor")
    plan = set_instalment_plan(
        case=case,
        schedule=[(dt.date(2024, 3, 31), "100.00"), (dt.date(2024, 4, 30), "130.50")],
        note="分两期",
        by=supervisor,
    )
    case.refresh_from_db()
    assert (case.status, plan.total, case.deadline) == (
        CaseStage.INSTALMENT,
        Decimal("230.50"),
        dt.date(2024, 3, 31),
    )
    pay(unit, "120.00", cashier)
    progress = plan_progress(plan, TODAY)
    assert progress.paid == Decimal("120.00")
    assert [(line.state, line.paid) for line in progress.lines] == [
        ("paid", Decimal("100.00")),
        ("part", Decimal("20.00")),
    ]
    assert progress.percent == 52
    later = plan_progress(plan, dt.date(2024, 5, 1))
    assert [line.state for line in later.lines] == ["paid", "overdue"]


@pytest.mark.parametrize(
    ("schedule", "code"),
    [
        ([(dt.date(2024, 3, 31), "100.00")], "sum_mismatch"),
        ([(dt.date(2024, 3, 31), "100.00"), (dt.date(2024, 4, 30), "200.00")], "sum_mismatch"),
        ([(dt.date(2024, 3, 1), "230.50")], "date_past"),
        ([(dt.date(2024, 4, 30), "100.00"), (dt.date(2024, 3, 31), "130.50")], "bad_order"),
        ([], "required"),
        ([(dt.date(2024, 3, 31), "-5")], "bad_amount"),
    ],
)
def test_a_bad_schedule_is_refused(world, case, schedule, code):
    _refused(
        lambda: set_instalment_plan(case=case, schedule=schedule, by=world.user("supervisor")),
        code,
    )
    assert not InstalmentPlan.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStage.OVERDUE


def test_the_cashier_does_not_agree_a_plan(case, cashier):
    with pytest.raises(PermissionDenied):
        set_instalment_plan(case=case, schedule=[(TODAY, "230.50")], by=cashier)


# --- Closing ---------------------------------------------------------------------------------


def test_settled_only_when_nothing_is_owed(world, case, unit, cashier):
    _refused(lambda: close_case(case=case, to="settled", note="", by=cashier), "still_owing")
    pay(unit, "230.50", cashier)
    close_case(case=case, to="settled", note="", by=cashier)
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStage.SETTLED, TODAY)
    _refused(lambda: close_case(case=case, to="settled", note="", by=cashier), "case_closed")


def test_finance_writes_off_after_the_directors_visit(world, case, cashier):
    _refused(  # the ladder first
        lambda: close_case(case=case, to="written_off", note="核销", by=world.user("finance")),
        "move_not_allowed",
    )
    record_step(case=case, stage="director_visit", method="visit", done_on=TODAY, by=cashier)
    _refused(
        lambda: close_case(case=case, to="written_off", note="", by=world.user("finance")),
        "required",
    )
    with pytest.raises(WorkflowDenied):
        close_case(case=case, to="written_off", note="无力偿还", by=cashier)
    close_case(case=case, to="written_off", note="无力偿还 CW-2024-3", by=world.user("finance"))
    case.refresh_from_db()
    assert case.status == CaseStage.WRITTEN_OFF


# --- Notices ---------------------------------------------------------------------------------


def test_notice_for_a_unit_that_owes_nothing_is_refused(world, cashier):
    _refused(
        lambda: prepare_notice(unit=owned_unit(world.a), kind="fee", by=cashier), "nothing_owed"
    )
    assert not DunningNotice.objects.exists()


def test_a_reminder_needs_a_case(unit, cashier):
    _refused(lambda: prepare_notice(unit=unit, kind="reminder", by=cashier), "no_case")
    fee = prepare_notice(unit=unit, kind="fee", by=cashier)
    assert (fee.kind, fee.total, fee.owner_name) == ("fee", Decimal("230.50"), "王业主")
    assert prepare_notice(unit=unit, kind="fee", by=cashier) == fee  # once a month


def test_the_signature_of_the_receiver(case, cashier):
    record_step(case=case, stage="notice", method="notice", done_on=TODAY, by=cashier)
    notice = DunningNotice.objects.get(case=case)
    _refused(
        lambda: record_signature(
            notice=notice, signed_by="王业主", signed_on=TODAY + dt.timedelta(days=1), by=cashier
        ),
        "future",
    )
    _refused(
        lambda: record_signature(notice=notice, signed_by=" ", signed_on=TODAY, by=cashier),
        "required",
    )
    record_signature(notice=notice, signed_by="王业主", signed_on=TODAY, by=cashier)
    notice.refresh_from_db()
    assert (notice.signed_by, notice.signed_on) == ("王业主", TODAY)
    _refused(
        lambda: record_signature(notice=notice, signed_by="李", signed_on=TODAY, by=cashier),
        "already_signed",
    )


# --- The daily job ---------------------------------------------------------------------------


def test_the_daily_job_opens_moves_and_settles(world, unit, cashier):
    done = run_daily(world.a, TODAY)
    assert (done["opened"], done["fee_notices"]) == (1, 1)
    assert run_daily(world.a, TODAY) == {"opened": 0, "settled": 0, "moved": 0, "fee_notices": 0}
    case = ArrearsCase.objects.get(unit=unit)
    stages = []
    day = TODAY
    for _step in range(4):
        day = ArrearsCase.objects.get(pk=case.pk).deadline + dt.timedelta(days=1)
        with on(day):
            run_daily(world.a, day)
        stages.append(ArrearsCase.objects.get(pk=case.pk).status)
    # Up the written notices, then the final notice waits for the director's visit.
    assert stages == ["notice", "second_notice", "final_notice", "final_notice"]
    kinds = set(DunningNotice.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds >= {"reminder", "second", "final"}
    with on(day):
        pay(unit, "230.50", cashier)
        assert run_daily(world.a, day)["settled"] == 1
    assert ArrearsCase.objects.get(pk=case.pk).status == CaseStage.SETTLED


def test_a_recent_bill_opens_no_case(world, cashier):
    recent = owned_unit(world.a)
    charge(recent, item(world.a, "service", "物业服务费"), dt.date(2024, 3, 1), "80.00", cashier)
    run_daily(world.a, TODAY)
    assert not ArrearsCase.objects.filter(unit=recent).exists()
    assert DunningNotice.objects.filter(unit=recent, kind="fee").exists()  # but a fee notice


def test_owed_by_unit_is_one_read_for_the_community(
    world, unit, cashier, django_assert_max_num_queries
):
    for _n in range(5):
        u = owned_unit(world.a)
        charge(u, item(world.a, "service", "物业服务费"), dt.date(2024, 2, 1), "10.00", cashier)
    with django_assert_max_num_queries(8):
        owed = owed_by_unit(world.a, TODAY)
    assert len(owed) == 6
    assert owed[unit.pk].total == Decimal("230.50")


# --- After a reversal (冲红) ---------------------------------------------------------------


def test_a_reversal_sends_the_first_reminder(world, unit, cashier):
    payment = pay(unit, "230.50", cashier, method="cheque")
    count_session(session=payment.session, denominations={"100": 2}, explanation="", by=cashier)
    assert not ArrearsCase.objects.exists()
    reversal = request_reversal(payment=payment, cause="bounced_cheque", reason="退票", by=cashier)
    decide_reversal(reversal=reversal, approve=True, by=world.user("director"))
    case = ArrearsCase.objects.get(unit=unit)
    assert case.status == CaseStage.NOTICE
    notice = DunningNotice.objects.get(case=case, kind=NoticeKind.REMINDER)
    assert notice.total == Decimal("230.50")


def test_staff_of_community_b_are_refused(world, case):
    other = staff("cashier", world.b, company=world.company, username="cashier-b")
    with pytest.raises(PermissionDenied):
        record_step(case=case, stage="phone", method="phone", done_on=TODAY, by=other)
