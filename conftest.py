"""Fixtures every app's tests share: a small world of two communities and staff per role."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from guanjia.accounts.models import User
from guanjia.accounts.tests.factories import staff
from guanjia.core.models import Community, Company
from guanjia.core.tests.factories import CommunityFactory, CompanyFactory

# The browser-test fixtures (browser, page, browser_context_args) for every app's tests.
pytest_plugins = ["guanjia.core.tests.browser.harness"]


@dataclass
class World:
    """Company with community A (where the test users work) and community B (where not)."""

    company: Company
    a: Community
    b: Community
    users: dict[str, User] = field(default_factory=dict)
    language: str | None = None  # Accept-Language of the clients; None: the default (Chinese)

    def user(self, role: str) -> User:
        """The user holding `role` in community A (company-wide for company roles)."""
        if role not in self.users:
            self.users[role] = staff(role, self.a, username=f"{role}-a", company=self.company)
        return self.users[role]

    def client(self, role: str | None) -> Client:
        client = Client(headers={"accept-language": self.language} if self.language else None)
        if role is not None:
            client.force_login(self.user(role))
        return client


@pytest.fixture
def world(db) -> World:
    company = CompanyFactory(name="世界物业")
    return World(
        company=company,
        a=CommunityFactory(company=company, code="a", name="甲小区"),
        b=CommunityFactory(company=company, code="b", name="乙小区"),
    )


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    """Policy values cached by one test's direct `policy()` calls never reach the next test."""
    from guanjia.core.policies.selectors import clear_policy_cache

    clear_policy_cache()
    yield
    clear_policy_cache()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Files tests save through default_storage (exports, uploads) go to a temporary
    directory, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def axes_enabled(settings):
    """Login lockout (django-axes) on for this test: it is off in tests unless AXES_IN_TESTS=1.
    axes reads settings.AXES_ENABLED on every call, so overriding it here takes effect.
    Log in by POSTing the login form: axes refuses `Client.login()`, which has no request."""
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly by a test speaks English, so assertions can name the message ids;
    requests through the test client still get the language LocaleMiddleware picks (Chinese
    by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def empty_ledger_after(transactional_db):
    """A browser test's live server commits for real, and the flush after it cannot delete
    billing's append-only ledger: its rows are removed here first (billing.db's maintenance
    switch), so the next test starts from an empty database."""
    yield
    from django.db import connection

    from guanjia.billing.db import ledger_maintenance

    with ledger_maintenance(), connection.cursor() as cursor:
        # The rows that point at ledger entries first (a payment's lines, a paid repair's
        # charge), then the entries; the flush removes everything else.
        cursor.execute("DELETE FROM cashier_paymentline")
        cursor.execute("UPDATE tickets_repairorder SET charge_entry_id = NULL")
        cursor.execute("DELETE FROM billing_ledgerentry")
