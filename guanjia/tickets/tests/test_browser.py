"""In a real browser: a complaint from registration to close, and a repair from registration
to the resident's signature on a phone-sized screen."""

import re

import pytest

from guanjia.core.tests.browser.harness import PHONE, login, screenshot
from guanjia.estates.tests.factories import BuildingFactory, EntranceFactory, UnitFactory
from guanjia.tickets.models import Complaint, RepairOrder

pytestmark = pytest.mark.browser


def _act(page, name, fields=None, selects=None):
    """Open one action of the ticket page, fill it and submit it."""
    page.click(f'button[data-bs-target="#act-{name}"]')
    page.wait_for_selector(f"#act-{name}.collapse.show")  # the opening animation is over
    box = page.locator(f"#act-{name}")
    for field, value in (selects or {}).items():
        box.locator(f"select[name={field}]").select_option(value)
    for field, value in (fields or {}).items():
        box.locator(f"[name={field}]").fill(value)
    with page.expect_navigation():
        box.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")


def _as(browser, live_server, username, viewport=None):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=viewport or {"width": 1280, "height": 800},
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    p = context.new_page()
    login(p, username)
    return p


def test_a_complaint_goes_from_registration_to_its_reply(page, world):
    """Then the visit and the sign-off: guanjia/visits/tests/test_browser.py."""
    sup = world.user("supervisor")
    login(page, sup.username)
    page.goto("/tickets/new/")
    page.select_option("select[name=kind]", "complaint")
    page.select_option("select[name=channel]", "phone")
    page.fill("input[name=content]", "楼上深夜噪音")
    page.fill("input[name=requester_name]", "周先生")
    page.press("input[name=content]", "Enter")
    page.wait_for_url(re.compile(r"/tickets/complaints/\d+/$"))
    _act(
        page,
        "classify",
        selects={
            "validity": "valid",
            "severity": "minor",
            "category": "neighbour",
            "department": "customer_service",
        },
    )
    _act(page, "resolve", fields={"result": "已上门协调，楼上承诺 22 点后不再施工"})
    _act(page, "reply", fields={"reply": "已协调处理"}, selects={"reply_method": "phone"})
    complaint = Complaint.objects.get()
    assert complaint.status == "replied"
    assert complaint.events.count() == 4
    assert page.js_errors == []
    screenshot(page, "complaint-replied")


def test_a_repair_goes_from_registration_to_the_residents_signature(
    page, world, browser, live_server
):
    building = BuildingFactory(community=world.a, number="3", name="3栋")
    UnitFactory(
        community=world.a,
        building=building,
        entrance=EntranceFactory(building=building, number="2"),
        room_number="1201",
    )
    login(page, world.user("receptionist").username)
    page.goto("/tickets/new/")
    page.fill("#requester-q", "1201")
    page.wait_for_selector("input[name=requester][type=radio]")
    page.locator("input[name=requester][type=radio]").first.check()  # nothing is preselected
    page.select_option("select[name=kind]", "repair")
    page.fill("input[name=content]", "卫生间下水道堵塞")
    page.select_option("select[name=location]", "home")
    page.select_option("select[name=category]", "plumbing")
    page.select_option("select[name=urgency]", "ordinary")
    page.press("input[name=content]", "Enter")
    page.wait_for_url(re.compile(r"/tickets/repairs/\d+/$"))
    order = RepairOrder.objects.get()
    assert order.unit is not None

    tech = world.user("technician")
    lead = _as(browser, live_server, world.user("engineering_lead").username)
    lead.goto(f"/tickets/repairs/{order.pk}/")
    _act(lead, "dispatch", selects={"technician": str(tech.pk)})

    phone = _as(browser, live_server, tech.username, viewport=PHONE)
    phone.goto("/tickets/repairs/mine/")
    phone.click(f"text={order.number}")
    phone.wait_for_url(re.compile(r"/tickets/repairs/\d+/$"))
    _act(phone, "accept")
    _act(phone, "arrive")
    _act(phone, "complete", fields={"fault": "管道堵塞", "work_done": "疏通下水道"})
    phone.click('button[data-bs-target="#act-verify"]')
    phone.wait_for_selector("#act-verify.collapse.show")
    pad = phone.locator("canvas[data-signature-pad]")
    pad.wait_for(state="visible")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    phone.mouse.move(box["x"] + 20, box["y"] + 40)
    phone.mouse.down()
    phone.mouse.move(box["x"] + 120, box["y"] + 90, steps=8)
    phone.mouse.move(box["x"] + 200, box["y"] + 30, steps=8)
    phone.mouse.up()
    with phone.expect_navigation():
        phone.locator("#act-verify button[type=submit]").click()
    phone.wait_for_selector(".alert-success")
    screenshot(phone, "repair-verified-phone")
    lead.context.close()  # no page of this test may call the live server after it
    phone.context.close()
    order.refresh_from_db()
    assert order.status == "verified"
    assert order.signature.name.endswith(".png")


def test_the_desk_registers_a_repair_with_the_keyboard_alone(page, world):
    """Search, pick the unit and its caller, choose the type, write, Enter: no mouse."""
    from guanjia.estates.models import Relation
    from guanjia.estates.tests.factories import OccupancyFactory, PersonFactory

    unit = UnitFactory(community=world.a, floor=18, room_number="1808")
    caller = OccupancyFactory(
        unit=unit,
        relation=Relation.FAMILY,
        person=PersonFactory(community=world.a, name="陈家属", mobile="13911112222"),
    )
    login(page, world.user("receptionist").username)
    page.goto("/tickets/new/")
    # Only the type's own fields show: none of the repair's for the first type.
    assert page.locator("select[name=urgency]").is_hidden()
    assert page.locator("select[name=urgency]").input_value() == "ordinary"
    page.keyboard.type("1808")
    page.wait_for_selector(f"#req-unit-{unit.pk}")
    assert not page.locator("#requester-results input:checked").count()  # nothing preselected
    page.keyboard.press("Enter")  # to the first hit
    page.keyboard.press("Space")  # pick it: its residents load
    page.wait_for_selector(f"#caller-{caller.person.pk}")
    assert "139****2222" in page.inner_text("#unit-residents")
    page.keyboard.press("Tab")  # to the residents
    page.keyboard.press("Space")
    assert page.is_checked(f"#caller-{caller.person.pk}")
    page.keyboard.press("Tab")  # to the type
    assert page.evaluate("document.activeElement.name") == "kind"
    page.keyboard.press("ArrowDown")  # consultation → repair
    assert page.locator("select[name=kind]").input_value() == "repair"
    assert page.locator("select[name=urgency]").is_visible()
    assert page.locator("input[name=subject]").is_hidden()
    while page.evaluate("document.activeElement.name") != "content":
        page.keyboard.press("Tab")
    page.keyboard.type("厨房水龙头漏水")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tickets/repairs/\d+/$"))
    order = RepairOrder.objects.get(description="厨房水龙头漏水")
    assert (order.unit, order.urgency, order.request.person) == (unit, "ordinary", caller.person)
    screenshot(page, "tickets-new-contact-keyboard")
