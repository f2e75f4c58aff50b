"""Passwords: argon2id sized for a busy office, and older hashes upgraded at the next login."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher, make_password
from django.test import override_settings
from django.urls import reverse

from guanjia.accounts.tests.factories import PASSWORD, staff

OFFICE = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def office_hashers():
    with override_settings(PASSWORD_HASHERS=settings.OFFICE_PASSWORD_HASHERS):
        yield


def _log_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_new_password_is_hashed_with_the_office_parameters(office_hashers):
    assert make_password(PASSWORD).startswith(OFFICE)


@pytest.mark.parametrize(
    "old",
    [
        lambda: Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt"),  # Django's defaults
        lambda: PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000),
    ],
    ids=["argon2-django-defaults", "pbkdf2"],
)
def test_an_older_hash_still_logs_in_and_is_upgraded(world, client, office_hashers, old):
    user = staff("receptionist", world.a)
    user.password = old()
    user.save(update_fields=["password"])
    response = _log_in(client, user.username)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(OFFICE)
    client.logout()
    assert _log_in(client, user.username).status_code == 302  # the new hash verifies


def test_a_wrong_password_upgrades_nothing(world, client, office_hashers):
    user = staff("receptionist", world.a)
    user.password = Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    user.save(update_fields=["password"])
    response = _log_in(client, user.username, "not-the-password")
    assert response.status_code == 200  # the form again, with its error
    user.refresh_from_db()
    assert "m=102400" in user.password
