"""The workbench: passes to get back (expired) for the desk, deposits to refund for the cashier;
their counts equal the lists they link to; another community's rows are not counted."""

import datetime as dt

import pytest

from guanjia.accounts.tests.factories import staff
from guanjia.core.workbench.selectors import workbench
from guanjia.passes import services
from guanjia.passes.models import PassKind

from .factories import issue

pytestmark = pytest.mark.django_db


def _counts(user, community):
    return {c.kind.code: (c.total, c.url) for c in workbench(user, community).counts}


def test_expired_passes_and_deposits_to_refund_wait_for_the_right_roles(world):
    late = issue(world, kind=PassKind.WORKER_SHORT)
    services.expire_passes(community=world.a, today=late.valid_to + dt.timedelta(days=1))
    back = issue(world)
    services.return_pass(pass_obj=back, by=world.user("receptionist"))
    issue(world, world.b)  # another community's pass counts nowhere here

    desk = _counts(world.user("receptionist"), world.a)
    total, url = desk["pass.return"]
    assert total == 1
    listed = world.client("receptionist").get(url)
    assert listed.text.count("CRZ-") == 1
    assert late.number in listed.text
    assert "pass.refund" not in desk

    cashier = _counts(world.user("cashier"), world.a)
    total, url = cashier["pass.refund"]
    assert total == 1
    listed = world.client("cashier").get(url)
    assert back.number in listed.text
    assert listed.text.count("CRZ-") == 1
    assert "pass.return" not in cashier

    cashier_b = staff("cashier", world.b, username="cashier-b")
    assert _counts(cashier_b, world.b)["pass.refund"][0] == 0
