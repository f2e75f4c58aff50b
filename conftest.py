"""Fixtures every app's tests share: a small world of two communities and staff per role."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from guanjia.accounts.models import User
from guanjia.accounts.tests.factories import CommunityFactory, CompanyFactory, staff
from guanjia.core.models import Community, Company


@dataclass
class World:
    """Company with community A (where the test users work) and community B (where not)."""

    company: Company
    a: Community
    b: Community
    users: dict[str, User] = field(default_factory=dict)

    def user(self, role: str) -> User:
        """The user holding `role` in community A (company-wide for company roles)."""
        if role not in self.users:
            self.users[role] = staff(role, self.a, username=f"{role}-a", company=self.company)
        return self.users[role]

    def client(self, role: str | None) -> Client:
        client = Client()
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
