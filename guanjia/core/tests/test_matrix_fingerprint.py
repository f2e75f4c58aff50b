"""The matrix's "nothing changed" check sees an UPDATE, not only rows added or removed.

A fake route answers 404 after quietly renaming the other community: the check must fail,
naming the table. The count-only fingerprint the matrix used before would have passed it."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from config import urls as project_urls
from guanjia.core.models import Community
from guanjia.core.tests.matrix import assert_unchanged, changed_tables, fingerprint


def _renames_then_404(request: HttpRequest, pk: int) -> HttpResponse:
    Community.objects.filter(pk=pk).update(name="改过的小区")
    raise Http404


def _only_404(request: HttpRequest, pk: int) -> HttpResponse:
    Community.objects.filter(pk=pk).first()
    raise Http404


urlpatterns = [
    path("sneaky/<int:pk>/", _renames_then_404, name="sneaky"),
    path("honest/<int:pk>/", _only_404, name="honest"),
    *project_urls.urlpatterns,  # the 404 page links to the project's pages
]


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


@pytest.mark.urls(__name__)
def test_an_update_of_another_communitys_row_behind_a_404_fails_the_check(world):
    client = world.client("receptionist")
    counts, before = _counts(), fingerprint()
    assert client.post(f"/sneaky/{world.b.pk}/").status_code == 404
    assert _counts() == counts  # what the old check compared: it would have passed
    assert changed_tables(before, fingerprint()) == ["core.Community"]
    with pytest.raises(AssertionError, match=r"sneaky: a refused request changed core\.Community"):
        assert_unchanged(before, "sneaky")


@pytest.mark.urls(__name__)
def test_a_404_that_changes_nothing_passes_the_check(world):
    client = world.client("receptionist")
    before = fingerprint()
    assert client.post(f"/honest/{world.b.pk}/").status_code == 404
    assert_unchanged(before, "honest")


def test_the_fingerprint_sees_a_single_column_and_a_many_to_many_row(world):
    before = fingerprint()
    Community.objects.filter(pk=world.a.pk).update(delivered_on="2001-02-03")
    assert changed_tables(before, fingerprint()) == ["core.Community"]
    user = world.user("receptionist")
    before = fingerprint()
    user.user_permissions.add(Permission.objects.order_by("pk").first())
    assert "accounts.User_user_permissions" in changed_tables(before, fingerprint())
