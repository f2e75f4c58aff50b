"""Issue 11: people are shown by their names (User.display_name), never by their username."""

from django.urls import reverse

from guanjia.estates.selectors import unit_timeline
from guanjia.tickets import services

from .factories import repair


def _named(user, name):
    user.full_name = name
    user.save(update_fields=["full_name"])
    return user


def test_the_dispatch_list_and_the_dispatch_note_name_the_technician(world):
    tech = _named(world.user("technician"), "刘洋")
    order = repair(world, world.a, "registered")
    page = world.client("engineering_lead").get(reverse("tickets:repair-detail", args=[order.pk]))
    text = page.content.decode()
    assert f'<option value="{tech.pk}">刘洋</option>' in text
    assert f">{tech.username}</option>" not in text
    order = services.dispatch_repair(
        order=order, technician=tech, by=world.user("engineering_lead")
    )
    event = order.events.get(action="dispatched")
    assert event.note == "刘洋"
    page = world.client("engineering_lead").get(reverse("tickets:repair-detail", args=[order.pk]))
    assert tech.username not in page.content.decode()


def test_the_units_timeline_names_who_received_the_contact(world):
    desk = _named(world.user("receptionist"), "王芳")
    order = repair(world, world.a, "registered")
    entries = [row for row in unit_timeline(order.unit) if row.kind == "ticket"]
    assert entries
    assert {row.actor for row in entries} == {"王芳"}
    assert desk.username not in {row.actor for row in entries}
