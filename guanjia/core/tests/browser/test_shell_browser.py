"""The shell in a real browser: log in, Chinese by default, English by the switch, change
community, keyboard, phone and print layouts, the idle logout, log out."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from guanjia.accounts.tests.factories import grant, staff
from guanjia.core.tests.factories import CommunityFactory, CompanyFactory

from .harness import PHONE, login, screenshot

pytestmark = pytest.mark.browser


def _zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


@pytest.fixture
def supervisor(transactional_db):
    """Like the demo's `supervisor`: a CSC supervisor working in both communities."""
    company = CompanyFactory(name="翠湖物业服务有限公司")
    first = CommunityFactory(company=company, code="ch", name="翠湖花园")
    second = CommunityFactory(company=company, code="jx", name="锦绣华庭")
    user = staff("supervisor", first, username="supervisor", full_name="王主管", company=company)
    grant(user, "supervisor", second)
    return user


def test_a_supervisor_logs_in_works_in_chinese_switches_and_logs_out(page, supervisor):
    login(page, "supervisor")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#main-nav").is_visible()
    assert page.locator("#current-user").inner_text() == "王主管"
    page.click("[data-nav-section] >> nth=0")  # a section's menu opens
    assert page.locator(".dropdown-menu.show .dropdown-item").count() >= 1
    assert _zh("Log out") in page.locator("nav").inner_text()
    assert page.locator("h1").inner_text() == "工作台"  # the home page is the workbench
    assert "王主管" in page.locator("#wb-welcome").inner_text()
    screenshot(page, "home-zh")

    page.select_option("#language-switch", "en")
    page.wait_for_selector("html[lang=en]", state="attached")
    assert "Log out" in page.locator("nav").inner_text()
    assert page.locator("h1").inner_text() == "Workbench"
    assert "Welcome, 王主管" in page.locator("#wb-welcome").inner_text()

    page.select_option("#community-switch", label="锦绣华庭")
    page.wait_for_selector(".alert-success")
    assert "Now working in 锦绣华庭." in page.locator(".alert-success").inner_text()
    assert page.locator("#community-switch option:checked").inner_text() == "锦绣华庭"
    screenshot(page, "home-en")

    page.click("nav button[type=submit]")  # log out
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.js_errors == []


def test_wrong_password_shows_a_message_and_keeps_the_user_out(page, supervisor):
    page.goto("/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", "not-the-password")
    page.click("form button[type=submit]")
    assert page.locator("form .alert-danger").is_visible()
    assert "/accounts/login/" in page.url


def test_the_language_can_be_chosen_before_logging_in(page, supervisor):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("html[lang=en]", state="attached")
    assert page.locator("h1").inner_text() == "Guanjia · Log in"


def test_slash_jumps_to_the_search_box(page, supervisor):
    login(page, "supervisor")
    page.evaluate(
        """() => {
            const box = document.createElement("input");
            box.type = "search"; box.name = "q"; box.id = "test-search";
            document.querySelector("main").appendChild(box);
        }"""
    )
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "test-search"
    assert page.input_value("#test-search") == ""  # the "/" itself was not typed


def test_polling_is_marked_as_background_activity(page, supervisor):
    login(page, "supervisor")
    with page.expect_request(lambda r: r.url.endswith("/healthz")) as polled:
        page.evaluate(
            """() => {
                const poller = document.createElement("div");
                poller.setAttribute("hx-get", "/healthz");
                poller.setAttribute("hx-trigger", "every 1s");
                poller.setAttribute("hx-swap", "none");
                document.querySelector("main").appendChild(poller);
                htmx.process(poller);
            }"""
        )
    assert polled.value.headers.get("x-guanjia-background") == "1"


def test_an_idle_session_ends_and_htmx_goes_to_the_login_page(page, supervisor):
    login(page, "supervisor")
    later = timezone.now() + dt.timedelta(minutes=31)
    with time_machine.travel(later, tick=True):
        page.evaluate(
            """() => {
                const link = document.createElement("button");
                link.id = "test-htmx"; link.setAttribute("hx-get", "/");
                document.querySelector("main").appendChild(link);
                htmx.process(link);
            }"""
        )
        page.click("#test-htmx")
        page.wait_for_url(re.compile(r"/accounts/login/\?expired=1"))
    expired = _zh("Your session ended after a period of inactivity. Please log in again.")
    assert expired in page.locator(".alert-warning").inner_text()


@pytest.fixture
def phone_context(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


def test_on_a_phone_the_navigation_collapses_behind_a_menu_button(
    browser, phone_context, live_server, supervisor
):
    context = browser.new_context(base_url=live_server.url, **phone_context)
    page = context.new_page()
    try:
        login(page, "supervisor")
        assert page.locator(".navbar-toggler").is_visible()
        assert not page.locator("#language-switch").is_visible()
        page.click(".navbar-toggler")
        page.wait_for_selector("#main-nav.show")  # the collapse animation has finished
        assert page.locator("#language-switch").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]  # nothing sticks out sideways
        screenshot(page, "phone")
    finally:
        context.close()


def test_printing_leaves_out_the_navigation(page, supervisor):
    login(page, "supervisor")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("footer").is_visible()
    assert page.locator("main h1").is_visible()


def test_another_community_in_the_url_is_not_found(page, supervisor):
    other = CommunityFactory(company=supervisor.company, code="zz", name="别的小区")
    login(page, "supervisor")
    token = page.input_value("nav [name=csrfmiddlewaretoken] >> nth=0")
    response = page.request.post(
        "/community/switch/", form={"community": str(other.pk)}, headers={"X-CSRFToken": token}
    )
    assert response.status == 404


def test_a_locked_out_colleague_is_unlocked_by_the_admin(page, supervisor, axes_enabled):
    staff("admin", None, username="admin", full_name="李管理", company=supervisor.company)
    for _attempt in range(axes_enabled.AXES_FAILURE_LIMIT):
        page.goto("/accounts/login/")
        page.fill("#id_username", "supervisor")
        page.fill("#id_password", "not-the-password")
        page.click("form button[type=submit]")
    assert page.locator("#locked-out").is_visible()
    page.context.clear_cookies()

    login(page, "admin")
    target = "a[href='/staff/lockouts/']"
    menu = page.locator("#main-nav li.dropdown", has=page.locator(target))
    menu.locator("[data-bs-toggle=dropdown]").click()
    menu.locator(target).click()
    row = page.locator("#lockouts tbody tr")
    assert row.count() == 1
    assert "王主管" in row.inner_text()
    screenshot(page, "lockouts")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#no-lockouts")
    assert "王主管" in page.locator(".alert-success").inner_text()
