"""The demo data set: loaded by `make run` every time, so it must be idempotent and usable.

Loading it takes seconds (thousands of units), so one test loads it twice and checks what a
person trying Guanjia relies on, rather than loading it once per assertion.
"""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from guanjia.accounts.models import Membership
from guanjia.demo.accounts import DEMO_PASSWORD, USERS


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "django_q.", "admin."))
    }


def _communities_of(username: str) -> int:
    return (
        Membership.objects.filter(user__username=username, community__isnull=False)
        .values("community")
        .distinct()
        .count()
    )


@pytest.mark.django_db
def test_the_demo_loads_twice_without_change_and_every_login_works():
    call_command("load_demo", "--history-scale", "0.1", verbosity=0)
    first = _row_counts()
    call_command("load_demo", "--history-scale", "0.1", verbosity=0)
    assert _row_counts() == first

    for username, *_ in USERS:
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(reverse("core:home")).status_code == 200, username
    assert _communities_of("manager2") == 1
    assert _communities_of("director") == 2


def test_the_demo_is_never_loaded_with_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("scale", ["0", "-1", "11"])
def test_a_history_scale_out_of_range_is_refused_before_anything_is_loaded(scale):
    with pytest.raises(CommandError, match="--history-scale"):
        call_command("load_demo", "--history-scale", scale, verbosity=0)
    assert not Membership.objects.exists()
