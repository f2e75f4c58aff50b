"""Security mechanisms: idle logout, login lockout and unlock, hashing, CSP, deploy checks, CSRF."""

import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from axes.models import AccessAttempt
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from guanjia.accounts.middleware import BACKGROUND_HEADER
from guanjia.accounts.models import User
from guanjia.accounts.tests.factories import PASSWORD, staff
from guanjia.core.middleware import SESSION_KEY
from guanjia.core.tests.factories import CompanyFactory

BASE = Path(django_settings.BASE_DIR)
LOGIN = "/accounts/login/"


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _query(response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response["Location"]).query)


# --- Idle session timeout ------------------------------------------------------------------


class Clock:
    """Frozen time that a test moves to `minutes` after the start of the session."""

    def __init__(self, traveller, start: dt.datetime) -> None:
        self.traveller, self.start = traveller, start

    def at(self, minutes: float) -> None:
        self.traveller.move_to(self.start + dt.timedelta(minutes=minutes))


@pytest.fixture
def desk(world):
    """A receptionist's browser session on the shared front-desk computer, just logged in."""
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        client = world.client("receptionist")
        assert client.get(reverse("core:home")).status_code == 200
        yield client, Clock(traveller, start)


def test_a_session_idle_longer_than_the_policy_is_sent_to_login_as_expired(desk):
    client, clock = desk
    clock.at(31)
    response = client.get(reverse("core:home"), {"tab": "2"})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert _query(response) == {"expired": ["1"], "next": ["/?tab=2"]}
    assert not _is_logged_in(client)


def test_activity_within_the_timeout_keeps_the_session(desk):
    client, clock = desk
    for minute in (20, 45, 70, 95):
        clock.at(minute)
        assert client.get(reverse("core:home")).status_code == 200
    assert _is_logged_in(client)


def test_the_idle_timeout_follows_the_company_policy(desk, world):
    from guanjia.core.policies.services import set_policy

    client, clock = desk
    admin = world.user("admin")
    set_policy(key="security.idle_timeout_minutes", value=10, company=world.company,
               reason="前台电脑共用", by=admin)  # fmt: skip
    clock.at(9)
    assert client.get(reverse("core:home")).status_code == 200
    clock.at(9 + 11)
    assert client.get(reverse("core:home")).status_code == 302
    assert not _is_logged_in(client)


def test_an_htmx_request_after_the_timeout_gets_hx_redirect(desk):
    client, clock = desk
    clock.at(31)
    response = client.get(
        reverse("core:home"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/staff/?q=wang"},
    )
    assert "HX-Redirect" in response
    target = urlsplit(response["HX-Redirect"])
    assert target.path == LOGIN
    assert parse_qs(target.query) == {"expired": ["1"], "next": ["/staff/?q=wang"]}
    assert not _is_logged_in(client)


def test_background_polling_does_not_keep_the_session_alive(desk):
    client, clock = desk
    clock.at(20)
    assert client.get(reverse("core:home"), **{BACKGROUND_HEADER: "1"}).status_code == 200
    clock.at(35)
    assert client.get(reverse("core:home")).status_code == 302
    assert not _is_logged_in(client)


def test_a_form_posted_after_the_timeout_returns_to_the_page_that_sent_it(desk, world):
    client, clock = desk
    clock.at(31)
    response = client.post(
        reverse("core:switch-community"),
        {"community": world.a.pk},
        HTTP_REFERER="http://testserver/inbox/?page=2",
    )
    assert _query(response) == {"expired": ["1"], "next": ["/inbox/?page=2"]}
    assert SESSION_KEY not in client.session


def test_a_foreign_referer_is_not_used_as_the_page_to_return_to(desk, world):
    client, clock = desk
    clock.at(31)
    response = client.post(
        reverse("core:switch-community"),
        {"community": world.a.pk},
        HTTP_REFERER="https://evil.example.com/phish",
    )
    assert _query(response) == {"expired": ["1"]}


def test_an_api_request_with_an_idle_session_gets_401(desk):
    client, clock = desk
    clock.at(31)
    response = client.get(reverse("accounts-api:me"))
    assert response.status_code == 401
    assert not _is_logged_in(client)


def test_api_token_requests_are_not_affected_by_the_idle_timeout(desk, world):
    from guanjia.accounts.services import create_api_token

    client, clock = desk
    _token, key = create_api_token(user=world.user("receptionist"))
    clock.at(120)
    response = client.get(reverse("accounts-api:me"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "receptionist-a"


def test_a_public_page_after_the_timeout_is_served_and_the_session_ends(desk):
    client, clock = desk
    clock.at(31)
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert not _is_logged_in(client)


def test_the_login_page_explains_an_expired_session(client):
    response = client.get(LOGIN, {"expired": "1"})
    with translation.override("zh-hans"):
        message = gettext("Your session ended after a period of inactivity. Please log in again.")
    assert message in response.content.decode()


# --- Login lockout (django-axes) -----------------------------------------------------------


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _lock_out(client: Client, username: str, ip: str = "10.0.0.1"):
    response = None
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        response = _login(client, username, "wrong-password", ip)
    return response


def test_failed_logins_up_to_the_limit_lock_the_account_on_that_computer(axes_enabled, world):
    user = world.user("receptionist")
    response = _lock_out(Client(), user.username)
    assert response.status_code == 429
    with translation.override("zh-hans"):
        assert gettext("Account locked") in response.content.decode()
    after = _login(Client(), user.username, PASSWORD)
    assert after.status_code == 429
    assert not _is_logged_in(Client())


def test_the_lock_is_by_username_and_address(axes_enabled, world):
    user, other = world.user("receptionist"), world.user("cashier")
    _lock_out(Client(), user.username, ip="10.0.0.1")
    assert _login(Client(), user.username, PASSWORD, ip="10.0.0.2").status_code == 302
    assert _login(Client(), other.username, PASSWORD, ip="10.0.0.1").status_code == 302


def test_one_failure_below_the_limit_does_not_lock(axes_enabled, world):
    user = world.user("receptionist")
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        _login(Client(), user.username, "wrong-password")
    response = _login(Client(), user.username, PASSWORD)
    assert response.status_code == 302


def test_lockout_is_off_unless_a_test_asks_for_it(world):
    user = world.user("receptionist")
    _lock_out(Client(), user.username)
    assert _login(Client(), user.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_the_token_endpoint_counts_toward_the_lockout(axes_enabled, world):
    user = world.user("receptionist")
    url = reverse("accounts-api:token")
    body = {"username": user.username, "password": "wrong-password"}
    responses = [
        Client().post(url, body, content_type="application/json", REMOTE_ADDR="10.0.0.9")
        for _attempt in range(django_settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in responses[:-1]] == [400] * (len(responses) - 1)
    assert responses[-1].status_code == 429
    assert responses[-1].json()["code"] == "locked_out"


def test_an_admin_unlocks_a_locked_out_account(axes_enabled, world):
    user = world.user("receptionist")
    _lock_out(Client(), user.username)
    admin = world.client("admin")
    response = admin.post(reverse("accounts:staff-unlock", kwargs={"pk": user.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:lockout-list")
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    note = user.history.order_by("-history_date").first()
    assert note.history_user == world.user("admin")
    with translation.override("zh-hans"):
        assert note.history_change_reason == gettext("Login lockout lifted")
    assert _login(Client(), user.username, PASSWORD).status_code == 302


def test_only_admins_may_unlock(axes_enabled, world):
    user = world.user("receptionist")
    _lock_out(Client(), user.username)
    response = world.client("director").post(
        reverse("accounts:staff-unlock", kwargs={"pk": user.pk})
    )
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username=user.username).exists()


def test_an_admin_cannot_unlock_another_companys_account(axes_enabled, world):
    stranger = staff("admin", None, company=CompanyFactory(name="别家物业"), username="stranger")
    response = world.client("admin").post(
        reverse("accounts:staff-unlock", kwargs={"pk": stranger.pk})
    )
    assert response.status_code == 404


def test_unlocking_an_unknown_account_is_404(world):
    response = world.client("admin").post(reverse("accounts:staff-unlock", kwargs={"pk": 999999}))
    assert response.status_code == 404


def test_unlock_only_accepts_post(world):
    user = world.user("receptionist")
    response = world.client("admin").get(reverse("accounts:staff-unlock", kwargs={"pk": user.pk}))
    assert response.status_code == 405


def test_the_lockout_list_shows_current_lockouts(
    axes_enabled, world, django_assert_max_num_queries
):
    locked = [world.user(role) for role in ("receptionist", "cashier", "technician")]
    for user in locked:
        _lock_out(Client(), user.username)
    _login(
        Client(), world.user("engineering_lead").username, "wrong-password"
    )  # one failure: no lock
    admin = world.client("admin")
    with django_assert_max_num_queries(16):  # constant: 3 or 300 lockouts
        response = admin.get(reverse("accounts:lockout-list"))
    page = response.content.decode()
    assert all(user.username in page for user in locked)
    assert world.user("engineering_lead").username not in page
    assert page.count(reverse("accounts:staff-unlock", kwargs={"pk": locked[0].pk})) == 1


def test_a_lockout_past_its_cool_off_is_no_longer_listed(axes_enabled, world):
    user = world.user("receptionist")
    _lock_out(Client(), user.username)
    later = timezone.now() + dt.timedelta(hours=django_settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        page = world.client("admin").get(reverse("accounts:lockout-list")).content.decode()
    assert user.username not in page


def test_the_lockout_list_is_for_admins_only(world):
    assert world.client("receptionist").get(reverse("accounts:lockout-list")).status_code == 403


def test_without_trusted_proxies_the_socket_address_is_the_client():
    from guanjia.accounts.middleware import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.1.1.1"


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(settings):
    from guanjia.accounts.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    forged = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(forged) == "203.0.113.7"
    direct = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert client_ip(direct) == "127.0.0.1"


def test_behind_a_proxy_each_client_is_locked_out_separately(axes_enabled, world):
    axes_enabled.TRUSTED_PROXY_COUNT = 1
    user = world.user("receptionist")
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        Client().post(LOGIN, {"username": user.username, "password": "wrong"},
                      REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")  # fmt: skip
    elsewhere = Client().post(
        LOGIN,
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert elsewhere.status_code == 302


# --- Password hashing ----------------------------------------------------------------------


def _production_env(tmp_path: Path) -> dict[str, str]:
    # Not inherited: the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE fails the deploy check.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "GUANJIA_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "PII_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "guanjia.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "GUANJIA_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "",
    }


PRODUCTION_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in [
    "PASSWORD_HASHERS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SESSION_COOKIE_HTTPONLY", "DEBUG", "AXES_ENABLED",
]}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """The settings the production profile computes, read in a separate process."""
    env = _production_env(tmp_path_factory.mktemp("production"))
    done = subprocess.run(  # noqa: S603  # our own manage.py with fixed arguments
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_SETTINGS],
        cwd=BASE, env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_hashes_passwords_with_argon2(production, db):
    assert production["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production["PASSWORD_HASHERS"]):
        user = User.objects.create_user("argon", password="correct horse battery")
        assert user.password.startswith("argon2")
        assert user.check_password("correct horse battery")


def test_production_cookies_are_secure_and_https_is_enforced(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["DEBUG"] is False
    assert production["AXES_ENABLED"] is True


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = subprocess.run(  # our own manage.py with fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE, env=_production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**_production_env(tmp_path), "SECRET_KEY": ""}
    done = subprocess.run(  # our own manage.py with fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


# --- Content security policy ---------------------------------------------------------------


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    header = client.get(LOGIN)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["default-src"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _templates() -> list[Path]:
    roots = [BASE / "templates", *sorted((BASE / "guanjia").glob("**/templates"))]
    return [path for root in roots for path in sorted(root.glob("**/*.html"))]


def test_no_template_has_inline_script():
    offenders = [
        f"{path.relative_to(BASE)}: {match.group(0)[:60]}"
        for path in _templates()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JAVASCRIPT_URL)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "inline JavaScript is blocked by the CSP; use static/js:\n" + "\n".join(
        offenders
    )


def test_the_inline_script_check_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/guanjia.js" defer></script>')
    assert INLINE_HANDLER.search('<button onclick="go()">')
    assert not INLINE_HANDLER.search('<button data-online="1" hx-on="x">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')


# --- CSRF ----------------------------------------------------------------------------------


def _csrf_client(world, language: str | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("receptionist"))
    if language:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_post_without_csrf_token_is_refused_with_a_translated_page(world):
    from guanjia.accounts.tests.factories import grant

    grant(world.user("receptionist"), "receptionist", world.b)
    client = _csrf_client(world)
    response = client.post(reverse("core:switch-community"), {"community": world.b.pk})
    assert response.status_code == 403
    with translation.override("zh-hans"):
        assert gettext("Form expired") in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_csrf_page_follows_the_chosen_language(world):
    client = _csrf_client(world, language="en")
    response = client.post(reverse("core:switch-community"), {"community": world.a.pk})
    assert response.status_code == 403
    assert "Form expired" in response.content.decode()
    assert 'lang="en"' in response.content.decode()


def test_a_login_post_without_csrf_token_is_refused(world):
    user = world.user("receptionist")
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert not _is_logged_in(client)


def test_a_post_with_the_csrf_token_is_accepted(world):
    client = _csrf_client(world)
    client.get(reverse("core:home"))
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("core:switch-community"), {"community": world.a.pk, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == world.a.pk


# --- No caching of personal pages -----------------------------------------------------------


@pytest.mark.parametrize("name", ["core:home", "estates:person-list", "billing:late-fee-list"])
def test_signed_in_pages_are_never_stored(world, name):
    response = world.client("director").get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_api_answers_are_never_stored_even_when_refused(world):
    assert "no-store" in world.client("director").get("/api/v1/estates/persons/")["Cache-Control"]
    assert "no-store" in Client().get("/api/v1/estates/persons/")["Cache-Control"]


def test_a_public_page_to_an_anonymous_visitor_and_a_set_cache_control_are_left_alone():
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from guanjia.core.middleware import NoStoreMiddleware

    request = RequestFactory().get("/accounts/login/")
    request.user = AnonymousUser()
    assert not NoStoreMiddleware(lambda r: HttpResponse())(request).has_header("Cache-Control")

    def cached(_request):
        response = HttpResponse()
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request.path = "/api/v1/schema/"
    assert NoStoreMiddleware(cached)(request)["Cache-Control"] == "public, max-age=3600"
