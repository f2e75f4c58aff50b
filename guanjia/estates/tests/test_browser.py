"""In a real browser: the front desk finds a resident as they type and opens the unit page."""

import pytest

from guanjia.core.tests.browser.harness import login

from .factories import (
    BuildingFactory,
    EntranceFactory,
    OccupancyFactory,
    PersonFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser


def test_the_front_desk_finds_a_resident_and_opens_the_unit_page(world, page):
    building = BuildingFactory(community=world.a, number="3", name="3栋")
    unit = UnitFactory(
        community=world.a,
        building=building,
        entrance=EntranceFactory(building=building, number="2"),
        room_number="1201",
    )
    OccupancyFactory(
        unit=unit, person=PersonFactory(community=world.a, name="曾志强", mobile="13912345678")
    )
    user = world.user("receptionist")

    login(page, user.username)
    page.goto("/estates/")
    page.fill("#search-q", "zzq")
    hit = page.locator(".search-hit", has_text="曾志强")
    hit.wait_for(timeout=10000)
    assert "139****5678" in hit.inner_text()
    hit.click()
    page.wait_for_url(f"**/estates/units/{unit.pk}/")
    assert "1201" in page.locator("#unit-title").inner_text()
    assert "13912345678" not in page.content()
