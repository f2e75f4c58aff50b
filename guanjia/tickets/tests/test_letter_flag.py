"""The persisted "reply deadline missed" flag of letters: the sweep, pages, filter, API, KPI."""

import datetime as dt

import time_machine
from django.urls import reverse

from guanjia.tickets import services
from guanjia.tickets.models import ServiceRequest
from guanjia.tickets.selectors.letters import letter_kpis
from guanjia.tickets.services.sla import sweep_deadlines

from .factories import entry

BEIJING = dt.timezone(dt.timedelta(hours=8))
RECEIVED = dt.datetime(2026, 3, 6, 10, 0, tzinfo=BEIJING)  # a Friday: due Friday 2026-03-13
AFTER_DUE = dt.datetime(2026, 3, 14, 0, 1, tzinfo=BEIJING)


def _letter(world, subject="绿化"):
    with time_machine.travel(RECEIVED, tick=False):
        world.user("supervisor")  # a member from that day on
        return entry(world, world.a, "suggestion", channel="letter", subject=subject)


def _approve(world, register_entry, at):
    with time_machine.travel(at, tick=False):
        register_entry = services.draft_letter_reply(
            entry=register_entry, text="感谢来函", by=world.user("receptionist")
        )
        register_entry = services.check_letter_reply(
            entry=register_entry, by=world.user("supervisor")
        )
        return services.approve_letter_reply(entry=register_entry, by=world.user("director"))


def _missed(register_entry):
    return ServiceRequest.objects.get(pk=register_entry.pk).letter_reply_missed


def test_the_sweep_sets_the_flag_of_a_late_letter_exactly_once(world):
    register_entry = _letter(world)
    with time_machine.travel(dt.datetime(2026, 3, 13, 23, 59, tzinfo=BEIJING), tick=False):
        before = sweep_deadlines()  # still due today: not missed
    assert (before.letters_missed, _missed(register_entry)) == (0, False)
    with time_machine.travel(AFTER_DUE, tick=False):
        first = sweep_deadlines()
        again = sweep_deadlines()
    assert (first.letters_missed, again.letters_missed) == (1, 0)
    assert _missed(register_entry) is True


def test_a_letter_replied_in_time_is_never_flagged(world):
    register_entry = _approve(world, _letter(world), dt.datetime(2026, 3, 12, 9, 0, tzinfo=BEIJING))
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=BEIJING), tick=False):
        result = sweep_deadlines()
    assert result.letters_missed == 0
    assert _missed(register_entry) is False


def test_a_letter_approved_after_its_deadline_is_flagged_even_without_a_sweep(world):
    register_entry = _approve(world, _letter(world), dt.datetime(2026, 3, 16, 9, 0, tzinfo=BEIJING))
    assert register_entry.letter_reply_missed is True
    assert _missed(register_entry) is True


def test_the_flag_shows_as_a_red_badge_in_the_list_and_the_detail(world):
    late, fine = _letter(world, "迟复"), _letter(world, "按时")
    ServiceRequest.objects.filter(pk=late.pk).update(letter_reply_missed=True)
    client = world.client("receptionist")
    listing = client.get(reverse("tickets:request-list"), {"channel": "letter"}).content.decode()
    assert fine.number in listing
    assert listing.count("data-letter-missed") == 1
    detail = client.get(reverse("tickets:request-detail", args=[late.pk])).content.decode()
    assert 'class="badge text-bg-danger" data-letter-missed' in detail
    other = client.get(reverse("tickets:request-detail", args=[fine.pk])).content.decode()
    assert "data-letter-missed" not in other


def test_the_overdue_filter_of_the_register_lists_the_late_letters(world):
    late = _letter(world, "迟复")
    on_time = _approve(world, _letter(world, "按时"), dt.datetime(2026, 3, 9, 9, 0, tzinfo=BEIJING))
    entry(world, world.a, "suggestion")  # not a letter
    ServiceRequest.objects.filter(pk=late.pk).update(letter_reply_missed=True)
    response = world.client("receptionist").get(
        reverse("tickets:request-list"), {"overdue": "true"}
    )
    numbers = [r.number for r in response.context["page_obj"]]
    assert numbers == [late.number]
    assert on_time.number not in numbers


def test_the_api_shows_the_flag_and_filters_on_it(world):
    register_entry = _letter(world)
    _approve(world, _letter(world), dt.datetime(2026, 3, 9, 9, 0, tzinfo=BEIJING))
    ServiceRequest.objects.filter(pk=register_entry.pk).update(letter_reply_missed=True)
    client = world.client("receptionist")
    body = client.get(reverse("tickets-api:request-detail", args=[register_entry.pk]))
    assert body.json()["letter_reply_missed"] is True
    rows = client.get(reverse("tickets-api:request-list"), {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [register_entry.pk]
    bad = client.get(reverse("tickets-api:request-list"), {"overdue": "yes"})
    assert bad.status_code == 400
    assert "overdue" in bad.json()


def test_letters_replied_on_time_counts_decided_letters_only(world):
    in_time = _approve(world, _letter(world), dt.datetime(2026, 3, 10, 9, 0, tzinfo=BEIJING))
    _approve(world, _letter(world), dt.datetime(2026, 3, 17, 9, 0, tzinfo=BEIJING))  # late
    _letter(world)  # still open, past due on the 20th: missed
    k = letter_kpis(
        community=world.a,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        today=dt.date(2026, 3, 20),
    )
    assert (k.due, k.pending, k.on_time.numerator, k.on_time.denominator) == (3, 0, 1, 3)
    early = letter_kpis(
        community=world.a,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        today=dt.date(2026, 3, 11),
    )
    # On the 11th the open letter is not late yet; the late approval is flagged already.
    assert (early.pending, early.on_time.numerator, early.on_time.denominator) == (1, 1, 2)
    assert in_time.letter_reply_missed is False


def test_the_kpi_page_shows_letters_replied_on_time(world):
    _approve(world, _letter(world), dt.datetime(2026, 3, 10, 9, 0, tzinfo=BEIJING))
    _approve(world, _letter(world), dt.datetime(2026, 3, 17, 9, 0, tzinfo=BEIJING))  # late
    world.language = "en"
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=BEIJING), tick=False):
        page = world.client("director").get(
            reverse("tickets:kpis"), {"start": "2026-03-01", "end": "2026-03-31"}
        )
    html = page.content.decode()
    figure = html[html.index('id="kpi-letters"') :][:200]
    assert "50.0%" in figure
    assert "1/2" in figure
    assert "Letters replied on time" in html[html.index("<svg") :]
