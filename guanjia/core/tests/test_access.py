"""Core's access interface: the one provider an app declares, anonymous and inactive users
without access, and the cached answer (accounts' provider has tests of its own)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from guanjia.accounts.tests.factories import staff
from guanjia.core import access
from guanjia.core.access import Access, get_access, get_visible_or_404, provider, require_perm
from guanjia.core.models import Community
from guanjia.core.notifications.models import OutboundMessage


class _Config:
    def __init__(self, path: str) -> None:
        self.access_provider = path


@pytest.fixture
def fresh_provider():
    provider.cache_clear()
    yield
    provider.cache_clear()


def test_the_provider_is_the_one_an_app_declares(fresh_provider):
    declared = [c.access_provider for c in apps.get_app_configs() if hasattr(c, "access_provider")]

    assert declared == ["guanjia.accounts.access.AccountsAccess"]
    assert type(provider()).__name__ == "AccountsAccess"


@pytest.mark.parametrize("count", [0, 2])
def test_no_provider_or_two_is_a_configuration_error(fresh_provider, monkeypatch, count):
    configs = [_Config("guanjia.accounts.access.AccountsAccess")] * count
    monkeypatch.setattr(apps, "get_app_configs", lambda: configs)

    with pytest.raises(ImproperlyConfigured, match="exactly one installed app"):
        provider()


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_nobody_and_an_anonymous_visitor_have_no_access(db, user):
    assert get_access(user) == Access()
    assert access.visible_community_ids(user) == []
    assert not access.has_perm_in(user, "core.view_community", None)


def test_an_inactive_account_has_no_access_whatever_its_roles(world):
    user = world.user("director")
    user.is_active = False

    assert get_access(user).community_ids == []
    assert access.roles_of(user) == set()


def test_the_access_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = world.user("director")
    first = get_access(user)

    with django_assert_num_queries(0):
        assert get_access(user) is first
        assert access.has_perm_in(user, "policies.propose_policy", world.a)
    access.forget_access(user)
    assert get_access(user) is not first


def test_require_perm_and_get_visible_or_404_refuse_outside_the_users_reach(world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    user = world.user("receptionist")

    assert get_visible_or_404(Community, user, pk=world.a.pk) == world.a
    with pytest.raises(Http404):
        get_visible_or_404(Community, user, pk=world.b.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Community, user, pk="not a number")
    with pytest.raises(PermissionDenied):
        require_perm(user, "policies.change_company_policy", world.a)


def test_an_anonymous_visitor_sees_no_outbound_message(db):
    assert list(OutboundMessage.objects.visible_to(AnonymousUser())) == []


def test_a_company_role_sees_every_community_of_its_company(world):
    finance = staff("finance", company=world.company)

    assert set(access.visible_community_ids(finance) or []) == {world.a.pk, world.b.pk}
    assert get_access(finance).is_company_wide
