"""The resident's signature in a real browser: two strokes, by mouse on a desktop and by
finger on a phone (touch events, device pixel ratio 2), both in the saved PNG.

The pad used to lose the first stroke: the canvas was hidden in the closed accordion when the
page loaded, was sized on the first pointerdown (and its box changed height with its
bitmap), which erased what had been drawn."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from PIL import Image

from guanjia.core.tests.browser.harness import DESKTOP, PHONE, TIMEOUT_MS, login
from guanjia.tickets.models import RepairOrder
from guanjia.tickets.tests.factories import repair

pytestmark = pytest.mark.browser

# Two strokes, as fractions of the pad's box: one in the left third, one in the right third.
LEFT = [(0.08, 0.3), (0.18, 0.7), (0.28, 0.35)]
RIGHT = [(0.65, 0.7), (0.78, 0.25), (0.9, 0.65)]


def _open_pad(page: Any, order: RepairOrder) -> dict[str, float]:
    page.goto(f"/tickets/repairs/{order.pk}/")
    page.click('button[data-bs-target="#act-verify"]')
    page.wait_for_selector("#act-verify.collapse.show")
    pad = page.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    return box


def _at(box: dict[str, float], fx: float, fy: float) -> tuple[float, float]:
    return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy


def _mouse_stroke(page: Any, box: dict[str, float], points: list[tuple[float, float]]) -> None:
    page.mouse.move(*_at(box, *points[0]))
    page.mouse.down()
    for p in points[1:]:
        page.mouse.move(*_at(box, *p), steps=8)
    page.mouse.up()


def _touch_stroke(cdp: Any, box: dict[str, float], points: list[tuple[float, float]]) -> None:
    """A finger on the screen: touchStart, touchMoves in small steps, touchEnd (CDP)."""

    def touch(kind: str, x: float | None = None, y: float | None = None) -> None:
        pts = [] if x is None else [{"x": x, "y": y, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": pts})

    x0, y0 = _at(box, *points[0])
    touch("touchStart", x0, y0)
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        for i in range(1, 9):
            x, y = _at(box, ax + (bx - ax) * i / 8, ay + (by - ay) * i / 8)
            touch("touchMove", x, y)
    touch("touchEnd")


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("#act-verify button[type=submit]").click()
    page.wait_for_selector(".alert-success")


def _ink(image: Image.Image, points: list[tuple[float, float]]) -> int:
    """Dark, opaque pixels inside the bounding box of a stroke's points (with a margin)."""
    w, h = image.size
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    box = (
        int((min(xs) - 0.02) * w),
        int((min(ys) - 0.05) * h),
        int((max(xs) + 0.02) * w),
        int((max(ys) + 0.05) * h),
    )
    region = image.crop(box)
    px = region.load()
    assert px is not None
    return sum(
        1
        for x in range(region.width)
        for y in range(region.height)
        if px[x, y][3] > 128 and sum(px[x, y][:3]) < 200
    )


def _saved(order: RepairOrder) -> Image.Image:
    order.refresh_from_db()
    assert order.status == "verified"
    with order.signature.open("rb") as f:
        return Image.open(io.BytesIO(f.read())).convert("RGBA")


def _context(browser: Any, live_server: Any, **kw: Any) -> Any:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **kw
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_two_mouse_strokes_are_both_in_the_saved_signature(browser, live_server, world):
    order = repair(world, world.a, "completed")
    context = _context(browser, live_server, viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, world.user("technician").username)
    box = _open_pad(page, order)
    _mouse_stroke(page, box, LEFT)  # the first stroke: the one that used to vanish
    assert page.locator("canvas[data-signature-pad]").bounding_box() == box  # no resize
    _mouse_stroke(page, box, RIGHT)
    _submit(page)
    context.close()  # nothing may call the live server after this
    image = _saved(order)
    assert image.size == (round(box["width"]) - 2, round(box["height"]) - 2)  # in the border
    assert _ink(image, LEFT) > 20
    assert _ink(image, RIGHT) > 20
    assert errors == []


def test_two_touch_strokes_on_a_phone_are_both_in_the_saved_signature(browser, live_server, world):
    order = repair(world, world.a, "completed")
    context = _context(
        browser,
        live_server,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, world.user("technician").username)
    box = _open_pad(page, order)
    cdp = context.new_cdp_session(page)
    _touch_stroke(cdp, box, LEFT)
    assert page.locator("canvas[data-signature-pad]").bounding_box() == box
    _touch_stroke(cdp, box, RIGHT)
    _submit(page)
    context.close()
    image = _saved(order)
    # The bitmap is the box at the device pixel ratio: sharp on the phone's screen.
    assert image.size == (round(box["width"] - 2) * 2, round(box["height"] - 2) * 2)
    assert _ink(image, LEFT) > 40
    assert _ink(image, RIGHT) > 40
    assert errors == []
