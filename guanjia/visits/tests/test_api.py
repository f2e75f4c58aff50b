"""The visits API: list, record, attempt, review, generate, with the pages' rules."""

from django.urls import reverse

from guanjia.tickets.models import Complaint, ComplaintStatus
from guanjia.visits.models import Visit, VisitStatus

from .factories import complaint_visit
from .routes import ANSWERS


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_dissatisfied_visit_recorded_through_the_api_reopens_the_complaint(world):
    visit = complaint_visit(world, world.a)
    url = reverse("visits-api:visit-record", args=[visit.pk])
    body = {**ANSWERS, "satisfaction": "dissatisfied", "comments": "没解决"}
    response = _post(world.client("area_manager"), url, body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "escalated"
    assert Complaint.objects.get(pk=visit.complaint_id).status == ComplaintStatus.HANDLING


def test_an_answer_outside_the_scale_is_a_400_by_field(world):
    world.language = "en"
    visit = complaint_visit(world, world.a)
    url = reverse("visits-api:visit-record", args=[visit.pk])
    response = _post(world.client("area_manager"), url, {**ANSWERS, "satisfaction": "great"})
    assert response.status_code == 400
    assert "satisfied" in response.json()["satisfaction"][0]
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DUE


def test_the_judged_person_gets_403_through_the_api(world):
    visit = complaint_visit(world, world.a)
    url = reverse("visits-api:visit-record", args=[visit.pk])
    response = _post(world.client("supervisor"), url, ANSWERS)
    assert response.status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DUE


def test_another_communitys_visit_is_404_through_the_api(world):
    visit = complaint_visit(world, world.b)
    url = reverse("visits-api:visit-record", args=[visit.pk])
    assert _post(world.client("area_manager"), url, ANSWERS).status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DUE


def test_the_list_holds_the_callers_communities_and_filters(world):
    mine = complaint_visit(world, world.a)
    complaint_visit(world, world.b)
    client = world.client("receptionist")
    rows = client.get(reverse("visits-api:visit-list")).json()
    ids = (
        [row["id"] for row in rows["results"]]
        if isinstance(rows, dict)
        else [r["id"] for r in rows]
    )
    assert ids == [mine.pk]
    due = client.get(reverse("visits-api:visit-list"), {"status": "done"}).json()
    assert (due["results"] if isinstance(due, dict) else due) == []


def test_generate_for_another_community_is_404_and_a_bad_body_400(world):
    from guanjia.tickets.tests.factories import complaint

    complaint(world, world.b, "resolved")
    client = world.client("supervisor")
    url = reverse("visits-api:generate")
    assert _post(client, url, {"community": world.b.pk}).status_code == 404
    assert _post(client, url, {"community": "x"}).status_code == 400
    assert not Visit.objects.exists()
