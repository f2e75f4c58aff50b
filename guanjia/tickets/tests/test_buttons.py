"""Issue 11: a ticket page offers only the moves the state, the workflow and the user allow,
and a clock without a deadline says what it waits for."""

from decimal import Decimal

from django.urls import reverse

from guanjia.tickets import services

from .factories import complaint, repair


def _page(world, role, url_name, ticket):
    response = world.client(role).get(reverse(url_name, args=[ticket.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_resolved_complaint_without_a_reply_offers_no_close(world):
    resolved = complaint(world, world.a, "resolved")
    page = _page(world, "supervisor", "tickets:complaint-detail", resolved)
    assert reverse("tickets:complaint-close", args=[resolved.pk]) not in page
    assert reverse("tickets:complaint-reply", args=[resolved.pk]) in page
    assert reverse("tickets:complaint-reopen", args=[resolved.pk]) in page


def test_a_replied_complaint_offers_reopen_but_waits_for_its_visit_to_close(world):
    replied = complaint(world, world.a, "replied")
    page = _page(world, "supervisor", "tickets:complaint-detail", replied)
    assert reverse("tickets:complaint-close", args=[replied.pk]) not in page
    assert reverse("tickets:complaint-reopen", args=[replied.pk]) in page
    assert reverse("tickets:complaint-reply", args=[replied.pk]) not in page


def test_a_visited_complaint_offers_the_sign_off_to_the_supervisor_not_its_handler(world):
    visited = complaint(world, world.a, "visited")
    page = _page(world, "supervisor", "tickets:complaint-detail", visited)
    assert reverse("tickets:complaint-close", args=[visited.pk]) in page
    handler_page = _page(world, "area_manager", "tickets:complaint-detail", visited)
    assert reverse("tickets:complaint-close", args=[visited.pk]) not in handler_page


def test_a_closed_complaint_offers_no_move(world):
    visited = complaint(world, world.a, "visited")
    closed = services.close_complaint(complaint=visited, by=world.user("supervisor"))
    page = _page(world, "supervisor", "tickets:complaint-detail", closed)
    for name in ("close", "reopen", "reply", "resolve", "classify", "progress"):
        assert reverse(f"tickets:complaint-{name}", args=[closed.pk]) not in page


def test_the_employee_a_complaint_is_about_is_offered_no_move_on_it(world):
    about = world.user("supervisor")
    registered = complaint(world, world.a, "handling")
    registered.about_employee = about
    registered.save(update_fields=["about_employee"])
    page = _page(world, "supervisor", "tickets:complaint-detail", registered)
    for name in ("resolve", "progress", "promise", "action"):
        assert reverse(f"tickets:complaint-{name}", args=[registered.pk]) not in page


def test_a_repair_offers_the_technicians_steps_only_to_the_technician_of_the_job(world):
    dispatched = repair(world, world.a, "dispatched")
    lead_page = _page(world, "engineering_lead", "tickets:repair-detail", dispatched)
    assert reverse("tickets:repair-dispatch", args=[dispatched.pk]) in lead_page
    assert reverse("tickets:repair-cancel", args=[dispatched.pk]) in lead_page
    verified = repair(world, world.a, "verified")
    page = _page(world, "engineering_lead", "tickets:repair-detail", verified)
    assert reverse("tickets:repair-cancel", args=[verified.pk]) not in page


def test_the_resolution_clock_of_an_unclassified_complaint_says_it_waits_for_classification(
    world,
):
    registered = complaint(world, world.a, "registered")
    page = _page(world, "supervisor", "tickets:complaint-detail", registered)
    assert "starts when the complaint is classified" in page or "待分类后开始计时" in page
    assert "clock paused" not in page
    assert "计时暂停" not in page


def test_a_quoted_repair_says_its_clock_waits_for_the_residents_answer(world):
    on_site = repair(world, world.a, "on_site")
    quoted = services.quote_repair(
        order=on_site, amount=Decimal("50.00"), by=world.user("technician")
    )
    page = _page(world, "engineering_lead", "tickets:repair-detail", quoted)
    assert (
        "waiting for the resident&#x27;s answer to the quote" in page
        or "暂停：待业主确认报价" in page
    )
