"""Fixtures of the cashier's tests: today is 2024-03-20; unit 甲 owes January and February's
service fee and February's water in community A."""

import datetime as dt

import pytest
import time_machine

from .factories import charge, item, owned_unit

JAN, FEB, MAR = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def today():
    """Today is 2024-03-20, 10:00 in Beijing, before anyone is made (memberships start today)."""
    with time_machine.travel(dt.datetime(2024, 3, 20, 2, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.fixture
def cashier(world):
    return world.user("cashier")


@pytest.fixture
def service(world):
    return item(world.a, "service", "物业服务费", priority=50)


@pytest.fixture
def water(world):
    return item(world.a, "water", "水费", priority=10)


def on(day: dt.date):
    """Travel to 10:00 (Beijing) of `day`."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(2, tzinfo=dt.UTC)), tick=False)


@pytest.fixture
def unit(world, cashier, service, water):
    """Owes 100.00 (Jan service, billed Jan 5), 100.00 (Feb service) and 30.50 (Feb water,
    billed Feb 5); today is 2024-03-20, late fees at the default 0.3 % a day after the month
    billed (tests that want none use `no_late_fees`)."""
    u = owned_unit(world.a)
    with on(dt.date(2024, 1, 5)):
        charge(u, service, JAN, "100.00", cashier)
    with on(dt.date(2024, 2, 5)):
        charge(u, service, FEB, "100.00", cashier)
        charge(u, water, FEB, "30.50", cashier)
    return u


@pytest.fixture
def no_late_fees(world):
    """The contract of community A charges no late fee (set before any bill)."""
    from guanjia.core.policies.services import set_policy

    with time_machine.travel(dt.datetime(2023, 12, 31, 2, tzinfo=dt.UTC), tick=False):
        finance = world.user("finance")  # a member since before the contract
        set_policy(
            key="billing.late_fee_daily_rate",
            value="0",
            community=world.a,
            effective_from=dt.date(2024, 1, 1),
            reason="合同无滞纳金",
            by=finance,
        )


def set_community_policy(world, key, value):
    from guanjia.core.policies.services import set_policy

    set_policy(key=key, value=value, community=world.a, reason="测试", by=world.user("finance"))
