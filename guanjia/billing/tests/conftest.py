"""Fixtures of the billing tests: a unit in community A and a fee item of the company."""

import datetime as dt

import pytest
import time_machine

from guanjia.estates.tests.factories import UnitFactory

from .factories import FeeItemFactory


@pytest.fixture
def clock():
    """Today is 2024-03-20 (after a leap February)."""
    with time_machine.travel(dt.datetime(2024, 3, 20, 10, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.fixture
def item(world):
    return FeeItemFactory(company=world.company, code="service", name="物业服务费")


@pytest.fixture
def unit(world):
    return UnitFactory(community=world.a)


@pytest.fixture
def cashier(world):
    return world.user("cashier")
