"""The visit pages: the list, the review list, recording, the ticket page's panel, the KPIs."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guanjia.tickets.models import Complaint, ComplaintStatus
from guanjia.visits import services
from guanjia.visits.models import Visit, VisitStatus

from .factories import answers, complaint_visit
from .routes import ANSWERS


def _form(prefix, values):
    return {f"{prefix}-{k}": v for k, v in values.items()}


def test_recording_a_dissatisfied_visit_on_the_page_reopens_the_complaint(world):
    visit = complaint_visit(world, world.a)
    body = _form("record", {**ANSWERS, "satisfaction": "dissatisfied", "comments": "还是很吵"})
    response = world.client("area_manager").post(
        reverse("visits:visit-record", args=[visit.pk]), body
    )
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.ESCALATED
    assert Complaint.objects.get(pk=visit.complaint_id).status == ComplaintStatus.HANDLING


def test_an_answer_outside_the_scale_on_the_page_is_a_clear_error_and_changes_nothing(world):
    world.language = "zh-hans"
    visit = complaint_visit(world, world.a)
    body = _form("record", {**ANSWERS, "satisfaction": "非常满意"})
    response = world.client("area_manager").post(
        reverse("visits:visit-record", args=[visit.pk]), body
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DUE


def test_the_judged_person_recording_on_the_page_gets_403(world):
    visit = complaint_visit(world, world.a)  # handled by the supervisor
    body = _form("record", ANSWERS)
    response = world.client("supervisor").post(
        reverse("visits:visit-record", args=[visit.pk]), body
    )
    assert response.status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DUE


def test_another_communitys_visit_is_404_and_unchanged(world):
    visit = complaint_visit(world, world.b)
    response = world.client("area_manager").post(
        reverse("visits:visit-record", args=[visit.pk]), _form("record", ANSWERS)
    )
    assert response.status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DUE


def test_the_complaint_page_shows_its_visits(world):
    visit = complaint_visit(world, world.a)
    services.record_visit(visit=visit, answers=answers(), by=world.user("area_manager"))
    world.language = "en"
    page = world.client("supervisor").get(
        reverse("tickets:complaint-detail", args=[visit.complaint_id])
    )
    html = page.content.decode()
    assert 'id="visits"' in html
    assert reverse("visits:visit-detail", args=[visit.pk]) in html


def test_the_complaint_page_hides_visits_from_a_role_without_them(world):
    visit = complaint_visit(world, world.a)
    from guanjia.core.access import has_perm_in

    cashier = world.user("cashier")
    assert not has_perm_in(cashier, "visits.view_visit", world.a)
    from guanjia.visits.selectors import ticket_panel

    assert ticket_panel(visit.complaint, cashier) is None


def test_generate_now_on_the_page_creates_the_owed_visits(world):
    from guanjia.tickets.tests.factories import complaint

    c = complaint(world, world.a, "resolved")
    response = world.client("supervisor").post(reverse("visits:generate"))
    assert response.status_code == 302
    assert Visit.objects.filter(complaint=c).count() == 1


def test_the_review_list_counts_due_overdue_and_late_visits(world):
    done = complaint_visit(world, world.a)
    services.record_visit(visit=done, answers=answers(), by=world.user("area_manager"))
    Visit.objects.filter(pk=done.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    late = complaint_visit(world, world.a)
    Visit.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    complaint_visit(world, world.a)
    response = world.client("supervisor").get(reverse("visits:review"))
    counts = response.context["counts"]
    assert (counts["due"], counts["overdue"], counts["late"]) == (1, 1, 1)
    overdue = world.client("supervisor").get(reverse("visits:review"), {"timing": "overdue"})
    assert [v.pk for v in overdue.context["object_list"]] == [late.pk]
    on_time_late = world.client("supervisor").get(reverse("visits:review"), {"timing": "late"})
    assert [v.pk for v in on_time_late.context["object_list"]] == [done.pk]


def test_a_bad_filter_value_lists_nothing_rather_than_failing(world):
    complaint_visit(world, world.a)
    response = world.client("supervisor").get(reverse("visits:visit-list"), {"timing": "soon"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []


def test_the_visit_list_query_count_does_not_grow_with_rows(world):
    complaint_visit(world, world.a)
    client = world.client("supervisor")
    client.get(reverse("visits:visit-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("visits:visit-list"))
    for _ in range(4):
        complaint_visit(world, world.a)
    from guanjia.visits.tests.factories import repair_visit

    repair_visit(world, world.a)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("visits:visit-list"))
    assert len(response.context["object_list"]) == 6
    assert len(many) == len(few)


def test_the_kpis_count_both_satisfaction_definitions_and_export_to_excel(world):
    manager = world.user("area_manager")
    for satisfaction in ("satisfied", "fairly", "dissatisfied"):
        visit = complaint_visit(world, world.a)
        services.record_visit(visit=visit, answers=answers(satisfaction), by=manager)
    complaint_visit(world, world.a)  # still due
    today = timezone.localdate()
    query = {"start": today.isoformat(), "end": (today + dt.timedelta(days=10)).isoformat()}
    response = world.client("supervisor").get(reverse("visits:kpis"), query)
    total = response.context["rows"][-1]
    row = response.context["rows"][0]
    assert (row.kind, row.required, row.completed, row.answered) == ("complaint", 4, 3, 3)
    assert (row.satisfied, row.fairly, row.dissatisfied, row.to_complaint) == (1, 1, 1, 1)
    assert str(row.satisfied_rate.rate) == "33.3"
    assert str(row.satisfied_or_fairly_rate.rate) == "66.7"
    assert str(row.visit_rate.rate) == "75.0"
    assert str(row.on_time_rate.rate) == "100.0"
    assert total.required == 4
    export = world.client("director").get(reverse("visits:kpis-export"), query)
    sheet = load_workbook(BytesIO(export.content)).active
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert any(r[0] == "投诉" or r[0] == "Complaint" for r in values)


@pytest.mark.parametrize(
    "query", [{"start": "2026-13-01"}, {"start": "2026-05-01", "end": "2026-04-01"}]
)
def test_a_bad_kpi_period_is_a_clear_400(world, query):
    response = world.client("supervisor").get(reverse("visits:kpis"), query)
    assert response.status_code == 400


def test_the_units_timeline_and_the_repair_page_show_the_visit(world):
    from guanjia.estates.selectors import unit_timeline

    from .factories import repair_visit

    visit = repair_visit(world, world.a)
    services.record_visit(visit=visit, answers=answers(), by=world.user("receptionist"))
    entries = [e for e in unit_timeline(visit.unit) if e.kind == "visit"]
    assert [e.url for e in entries] == [reverse("visits:visit-detail", args=[visit.pk])]
    page = world.client("engineering_lead").get(
        reverse("tickets:repair-detail", args=[visit.repair_id])
    )
    assert reverse("visits:visit-detail", args=[visit.pk]) in page.content.decode()
