"""Dunning in the browser's terms: the case list and page, each form's refusal shown again
with 400 and nothing saved, the notices printed per building as one PDF (a background job),
the fee clearance certificate, the workbench and who is told."""

import datetime as dt

import pytest
from django.urls import reverse

from guanjia.cashier.models import (
    ArrearsCase,
    CaseStage,
    DunningNotice,
    DunningStep,
    InstalmentPlan,
    NoticeBatch,
    PaymentPromise,
)
from guanjia.cashier.services import add_promise, open_case, prepare_notice, record_step
from guanjia.cashier.services.notices import run_notice_print, start_notice_print
from guanjia.core.jobs.models import JobRun
from guanjia.core.notifications.models import Notification
from guanjia.core.workbench.selectors import workbench

from .conftest import on
from .factories import charge, item, owned_unit, pay

pytestmark = pytest.mark.usefixtures("no_late_fees")
TODAY = dt.date(2024, 3, 20)


@pytest.fixture
def case(unit, cashier):
    return open_case(unit=unit, by=cashier)


def _url(name, pk):
    return reverse(f"cashier:{name}", args=[pk])


def test_the_case_page_shows_what_is_owed_and_the_forms(world, case):
    response = world.client("cashier").get(_url("case-detail", case.pk))
    assert response.status_code == 200
    assert "230.50" in response.text
    assert 'data-form="step"' in response.text
    assert 'data-form="promise"' in response.text
    assert 'data-form="plan"' not in response.text  # the supervisor's
    supervisor = world.client("supervisor").get(_url("case-detail", case.pk))
    assert 'data-form="plan"' in supervisor.text


def test_the_desk_reads_a_case_but_records_nothing(world, case):
    client = world.client("receptionist")
    assert client.get(_url("case-detail", case.pk)).status_code == 200
    response = client.post(
        _url("case-step", case.pk), {"stage": "phone", "method": "phone", "done_on": "2024-03-20"}
    )
    assert response.status_code == 403
    assert not DunningStep.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"stage": "phone", "method": "phone", "done_on": "2024-03-21"}, "done_on"),
        ({"stage": "phone", "method": "phone", "done_on": "2024-13-01"}, "done_on"),
        ({"stage": "settled", "method": "phone", "done_on": "2024-03-20"}, "stage"),
        ({"stage": "phone", "method": "cut_power", "done_on": "2024-03-20"}, "method"),
    ],
)
def test_a_bad_step_is_shown_again(world, case, data, field):
    response = world.client("cashier").post(_url("case-step", case.pk), data)
    assert response.status_code == 400
    assert response.context["step_form"].errors[field]
    assert not DunningStep.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pay_by": "2024-03-19", "amount": "100"}, "pay_by"),
        ({"pay_by": "2024-03-25", "amount": "999"}, "amount"),
        ({"pay_by": "2024-03-25", "amount": "1.001"}, "amount"),
        ({"pay_by": "", "amount": "100"}, "pay_by"),
    ],
)
def test_a_bad_promise_is_shown_again(world, case, data, field):
    response = world.client("cashier").post(_url("case-promise", case.pk), data)
    assert response.status_code == 400
    assert response.context["promise_form"].errors[field]
    assert not PaymentPromise.objects.exists()


@pytest.mark.parametrize(
    "schedule",
    ["2024-03-31 100", "2024-03-31", "31/03/2024 230.50", "2024-03-31 abc", "2024-03-01 230.50"],
)
def test_a_bad_schedule_is_shown_again(world, case, schedule):
    response = world.client("supervisor").post(_url("case-plan", case.pk), {"schedule": schedule})
    assert response.status_code == 400
    assert response.context["plan_form"].errors["schedule"]
    assert not InstalmentPlan.objects.exists()


def test_reminder_then_promise_then_plan_on_the_pages(world, case):
    cashier, supervisor = world.client("cashier"), world.client("supervisor")
    step = {"stage": "phone", "method": "phone", "done_on": "2024-03-20", "answer": "下周交"}
    assert cashier.post(_url("case-step", case.pk), step).status_code == 302
    promise = {"pay_by": "2024-03-25", "amount": "100"}
    assert cashier.post(_url("case-promise", case.pk), promise).status_code == 302
    plan = {"schedule": "2024-03-31 100\n2024-04-30 130.50", "note": "分两期"}
    assert supervisor.post(_url("case-plan", case.pk), plan).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStage.INSTALMENT
    page = cashier.get(_url("case-detail", case.pk))
    assert 'data-plan-progress="0"' in page.text
    assert 'data-promise-state="waiting"' in page.text


def test_closing_as_settled_while_owing_is_refused_on_the_page(world, case):
    response = world.client("cashier").post(_url("case-close", case.pk), {"to": "settled"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStage.OVERDUE


def test_another_communitys_case_is_404(world, cashier):
    unit = owned_unit(world.b)
    charge(unit, item(world.b, "service", "物业服务费"), dt.date(2024, 1, 1), "50", cashier)
    from guanjia.accounts.tests.factories import staff

    other = staff("cashier", world.b, company=world.company, username="cashier-b2")
    found = open_case(unit=unit, by=other)
    client = world.client("cashier")
    assert client.get(_url("case-detail", found.pk)).status_code == 404
    response = client.post(
        _url("case-step", found.pk), {"stage": "phone", "method": "phone", "done_on": "2024-03-20"}
    )
    assert response.status_code == 404
    assert not DunningStep.objects.exists()


def test_an_area_manager_sees_the_cases_of_their_zones(world, case, unit):
    client = world.client("area_manager")
    listing = client.get(reverse("cashier:case-list"))
    assert unit.room_code not in listing.text
    assert client.get(_url("case-detail", case.pk)).status_code == 404
    zone = unit.building.zone
    zone.area_manager = world.user("area_manager")
    zone.save()
    assert unit.room_code in client.get(reverse("cashier:case-list")).text
    assert client.get(_url("case-detail", case.pk)).status_code == 200


def test_the_list_filters_and_a_bad_filter(world, case):
    client = world.client("cashier")
    assert (
        case.unit.room_code in client.get(reverse("cashier:case-list"), {"status": "overdue"}).text
    )
    assert (
        case.unit.room_code
        not in client.get(reverse("cashier:case-list"), {"status": "legal"}).text
    )
    bad = client.get(reverse("cashier:case-list"), {"status": "nonsense"})
    assert bad.status_code == 200
    assert case.unit.room_code not in bad.text


def test_the_list_query_count_does_not_grow(world, cashier, django_assert_max_num_queries):
    for _n in range(12):
        u = owned_unit(world.a)
        charge(u, item(world.a, "service", "物业服务费"), dt.date(2024, 1, 1), "10", cashier)
        open_case(unit=u, by=cashier)
    client = world.client("cashier")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cashier:case-list")).status_code == 200


# --- Notices and their PDF -------------------------------------------------------------------


def test_a_buildings_notices_print_as_one_pdf_job(world, unit, cashier):
    notice = prepare_notice(unit=unit, kind="fee", by=cashier)
    run = start_notice_print(building=unit.building, kind="fee", month=notice.month, by=cashier)
    batch = NoticeBatch.objects.get()
    result = run_notice_print(run, batch_id=batch.pk)
    assert result["pages"] == 1
    run.refresh_from_db()
    assert run.progress_total == run.progress_done  # the progress reached the end
    response = world.client("cashier").get(result["file_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_print_form_refuses_a_building_without_notices(world, unit):
    response = world.client("cashier").post(
        reverse("cashier:notice-print-batch"),
        {"building": unit.building_id, "kind": "final", "month": "2024-03"},
    )
    assert response.status_code == 400
    assert not JobRun.objects.exists()
    assert not NoticeBatch.objects.exists()


@pytest.mark.parametrize("month", ["2024-13", "march", ""])
def test_the_print_form_refuses_a_bad_month(world, unit, month):
    response = world.client("cashier").post(
        reverse("cashier:notice-print-batch"),
        {"building": unit.building_id, "kind": "fee", "month": month},
    )
    assert response.status_code == 400
    assert response.context["print_form"].errors["month"]


def test_a_notice_prints_with_its_amounts(world, unit, cashier):
    notice = prepare_notice(unit=unit, kind="fee", by=cashier)
    page = world.client("cashier").get(_url("notice-print", notice.pk))
    assert page.status_code == 200
    assert "230.50" in page.text
    assert "王业主" in page.text
    pdf = world.client("cashier").get(_url("notice-print", notice.pk), {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_the_signature_is_recorded_on_the_page(world, unit, cashier):
    notice = prepare_notice(unit=unit, kind="fee", by=cashier)
    client = world.client("cashier")
    bad = client.post(_url("notice-sign", notice.pk), {"signed_by": "", "signed_on": "2024-03-20"})
    assert bad.status_code == 400
    ok = client.post(
        _url("notice-sign", notice.pk), {"signed_by": "王业主", "signed_on": "2024-03-20"}
    )
    assert ok.status_code == 302
    notice.refresh_from_db()
    assert notice.signed_by == "王业主"


# --- Fee clearance certificate ---------------------------------------------------------------


def test_the_clearance_certificate_prints_only_when_nothing_is_owed(world, unit, cashier):
    client = world.client("cashier")
    refused = client.get(_url("clearance-certificate", unit.pk))
    assert refused.status_code == 400
    assert "230.50" in refused.text
    pay(unit, "230.50", cashier)
    printed = client.get(_url("clearance-certificate", unit.pk))
    assert printed.status_code == 200
    assert unit.room_code in printed.text
    pdf = client.get(_url("clearance-certificate", unit.pk), {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_the_clearance_certificate_counts_late_fees_to_today(world, cashier, service):
    from guanjia.cashier.tests.conftest import set_community_policy

    set_community_policy(world, "billing.late_fee_daily_rate", "0.003")
    unit = owned_unit(world.a)
    with on(dt.date(2024, 1, 5)):
        charge(unit, service, dt.date(2024, 1, 1), "100.00", cashier)
    pay(unit, "100.00", cashier)  # the late fee to today is still owed
    response = world.client("cashier").get(_url("clearance-certificate", unit.pk))
    assert response.status_code == 400


# --- Workbench and who is told ---------------------------------------------------------------


def _codes(user, community):
    return {c.kind.code: c.total for c in workbench(user, community).counts}


def test_reminders_due_and_promises_missed_are_tasks(world, case, cashier):
    assert _codes(cashier, world.a).get("cashier.dunning_due", 0) == 0
    add_promise(case=case, pay_by=dt.date(2024, 3, 22), amount="50", by=cashier)
    with on(dt.date(2024, 3, 28)):
        codes = _codes(cashier, world.a)
        assert codes["cashier.dunning_due"] == 1  # the 7 days after opening passed
        assert codes["cashier.promise_missed"] == 1
        listing = world.client("cashier").get(reverse("cashier:case-list"), {"missed": "true"})
        assert case.unit.room_code in listing.text
        due = world.client("cashier").get(reverse("cashier:case-list"), {"due": "true"})
        assert case.unit.room_code in due.text
    assert "cashier.dunning_due" not in _codes(world.user("receptionist"), world.a)


def test_the_final_notice_is_told_to_the_director_and_the_zone(
    world, case, unit, cashier, django_capture_on_commit_callbacks
):
    zone = unit.building.zone
    zone.area_manager = world.user("area_manager")
    zone.save()
    director = world.user("director")
    with django_capture_on_commit_callbacks(execute=True):
        record_step(case=case, stage="final_notice", method="notice", done_on=TODAY, by=cashier)
    told = set(
        Notification.objects.filter(event="cashier.case_final_notice").values_list(
            "recipient", flat=True
        )
    )
    assert told == {director.pk, world.user("area_manager").pk}


def test_a_dispute_is_told_to_the_supervisor(
    world, case, cashier, django_capture_on_commit_callbacks
):
    from guanjia.cashier.services import flag_dispute

    supervisor = world.user("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        flag_dispute(case=case, complaint_ref="TS-1", note="漏水未修", by=cashier)
    told = set(
        Notification.objects.filter(event="cashier.case_disputed").values_list(
            "recipient", flat=True
        )
    )
    assert supervisor.pk in told
    assert cashier.pk not in told


def test_a_notice_step_is_told_to_the_zones_area_manager(
    world, case, unit, cashier, django_capture_on_commit_callbacks
):
    zone = unit.building.zone
    zone.area_manager = world.user("area_manager")
    zone.save()
    with django_capture_on_commit_callbacks(execute=True):
        record_step(case=case, stage="notice", method="notice", done_on=TODAY, by=cashier)
    assert Notification.objects.filter(
        event="cashier.case_notice_to_deliver", recipient=world.user("area_manager")
    ).exists()
    assert DunningNotice.objects.filter(case=case, kind="reminder").exists()
    assert ArrearsCase.objects.get(pk=case.pk).status == CaseStage.NOTICE
