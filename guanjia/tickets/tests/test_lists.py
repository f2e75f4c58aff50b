"""The ticket lists, page and API: one FilterSet per list (filters.py) used by both, 25 rows
a page everywhere, a wrong filter refused (the page: no rows; the API: 400)."""

from django.urls import reverse

from guanjia.tickets.models import RepairOrder

from .factories import complaint, entry, repair


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_the_repair_list_api_searches_by_number_through_the_filterset(world):
    wanted = repair(world, world.a)
    repair(world, world.a)
    response = world.client("technician").get(
        reverse("tickets-api:repair-list"), {"q": wanted.number}
    )
    assert response.status_code == 200
    assert _ids(response) == [wanted.pk]


def test_the_complaint_list_api_filters_overdue_and_mine_like_the_page(world):
    sup = world.user("supervisor")
    mine = complaint(world, world.a, "handling")
    complaint(world, world.a)
    client = world.client("supervisor")
    response = client.get(reverse("tickets-api:complaint-list"), {"mine": "true"})
    assert _ids(response) == [mine.pk]
    assert mine.handler == sup
    page = client.get(reverse("tickets:complaint-list"), {"mine": "true"})
    assert [row.pk for row in page.context["page_obj"]] == [mine.pk]


def test_a_filter_value_that_does_not_fit_is_a_400_through_the_api(world):
    client = world.client("technician")
    for params in ({"overdue": "maybe"}, {"community": "abc"}, {"status": "lost"}):
        response = client.get(reverse("tickets-api:repair-list"), params)
        assert response.status_code == 400, params
        assert set(response.json()) == set(params)


def test_a_filter_value_that_does_not_fit_shows_no_rows_on_the_page(world):
    repair(world, world.a)
    response = world.client("technician").get(reverse("tickets:repair-list"), {"overdue": "maybe"})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_the_community_filter_of_the_api_keeps_to_the_callers_communities(world):
    own = repair(world, world.a)
    repair(world, world.b)
    client = world.client("technician")
    assert _ids(client.get(reverse("tickets-api:repair-list"), {"community": world.a.pk})) == [
        own.pk
    ]
    assert _ids(client.get(reverse("tickets-api:repair-list"), {"community": world.b.pk})) == []


def test_the_register_list_api_and_page_are_paginated(world):
    first = entry(world, world.a, "suggestion")
    for _number in range(25):
        entry(world, world.a, "suggestion", unit=first.unit)
    client = world.client("receptionist")
    body = client.get(reverse("tickets-api:request-list")).json()
    assert body["count"] == 26
    assert len(body["results"]) == 25
    assert body["next"]
    page = client.get(reverse("tickets:request-list"))
    assert page.context["page_obj"].paginator.num_pages == 2
    assert len(page.context["page_obj"]) == 25


def test_my_jobs_are_paginated(world):
    tech = world.user("technician")
    for _number in range(26):
        repair(world, world.a, "dispatched")
    assert RepairOrder.objects.filter(technician=tech).count() == 26
    response = world.client("technician").get(reverse("tickets:my-jobs"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25
    second = world.client("technician").get(reverse("tickets:my-jobs"), {"page": 2})
    assert len(second.context["page_obj"]) == 1
