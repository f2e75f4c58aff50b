"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Use the `page` fixture (a fresh browser context per test, Chinese locale, desktop size) and
`login(page, username)`; mark the module `pytestmark = pytest.mark.browser`. Data the server
must see is created in the test (the live server runs in another thread, so these tests use
`transactional_db`). See docs/testing.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guanjia.accounts.tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django then refuses database
# access from "async" code. The test thread is not async code: allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("GUANJIA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SCREENSHOTS = Path(os.environ.get("GUANJIA_SCREENSHOTS", "/tmp"))  # noqa: S108  # a developer's look


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the whole session (per xdist worker)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context_args() -> dict[str, Any]:
    """Override in a test module for another viewport or locale."""
    return {"locale": "zh-CN", "viewport": DESKTOP, "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def page(browser, browser_context_args, live_server, transactional_db) -> Iterator[Any]:
    """A new page in a new context (no cookies), with `page.url_for(path)` for the server."""
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.js_errors = errors  # type: ignore[attr-defined]  # for assertions in tests
    yield page
    context.close()


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would, and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as <GUANJIA_SCREENSHOTS>/guanjia-<name>.png."""
    path = SCREENSHOTS / f"guanjia-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
