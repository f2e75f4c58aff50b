"""Accounts: one login POST with the production password hashing (docs/security.md).

The benchmarks run with GUANJIA_ENV=test, whose hasher is MD5 for fast tests: every call here
runs under the production hashers (settings.OFFICE_PASSWORD_HASHERS) with the login lockout
(django-axes) on, as a real login does.
"""

from __future__ import annotations

import contextlib
from typing import Any

from bench.harness import Benchmark

USERNAME = "bench-desk"
PASSWORD = "bench-pass-2026"  # noqa: S105  # a benchmark's own user
RAW_USER = "SELECT id, password FROM accounts_user WHERE username = %s AND is_active"
RAW_LAST_LOGIN = "UPDATE accounts_user SET last_login = CURRENT_TIMESTAMP WHERE id = %s"


def _production() -> contextlib.AbstractContextManager[Any]:
    from django.conf import settings
    from django.test import override_settings

    return override_settings(
        PASSWORD_HASHERS=settings.OFFICE_PASSWORD_HASHERS, AXES_ENABLED=True, AXES_VERBOSE=False
    )


def _seed() -> Any:
    from django.contrib.auth.hashers import make_password

    from guanjia.accounts.models import User
    from guanjia.core.models import Company

    company = Company.objects.create(name="Bench company")
    with _production():
        User.objects.create(
            username=USERNAME, password=make_password(PASSWORD), company=company, full_name="前台"
        )
    return None


def _login(context: Any, i: int) -> None:
    """A login POST through the whole stack: middleware, axes, the form, argon2, the session."""
    from django.test import Client
    from django.urls import reverse

    with _production():
        response = Client().post(reverse("login"), {"username": USERNAME, "password": PASSWORD})
    if response.status_code != 302:
        raise AssertionError(f"login answered {response.status_code}")


def _raw_login(context: Any, i: int) -> None:
    """The same essential work by hand: read the hash, verify it with argon2 (the same
    parameters), stamp last_login."""
    import argon2
    from django.db import connection, transaction

    from guanjia.accounts.hashers import OfficeArgon2PasswordHasher as Office

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_USER, [USERNAME])
        user_id, encoded = cursor.fetchone()
        hasher = argon2.PasswordHasher(
            time_cost=Office.time_cost,
            memory_cost=Office.memory_cost,
            parallelism=Office.parallelism,
        )
        hasher.verify(encoded.removeprefix("argon2"), PASSWORD)
        cursor.execute(RAW_LAST_LOGIN, [user_id])


BENCHMARKS = [
    Benchmark(
        name="accounts.login",
        seed=_seed,
        run=_login,
        raw=_raw_login,
        n=30,
        warmup=3,
        stat="p95",
        target=300.0,
        description="one login POST (argon2id m=19 MiB t=2 p=1, axes on, new session) against "
        "the hash read, verified and last_login stamped by hand",
    ),
]
