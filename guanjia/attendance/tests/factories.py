"""Attendance test data: a post with a day shift (08:00–20:00), staff with staff numbers,
a roster, punches at given local times."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from guanjia.accounts.tests.factories import staff
from guanjia.attendance import services
from guanjia.attendance.models import Punch, PunchSource
from guanjia.desk.tests.factories import post_and_shift

TZ = dt.timezone(dt.timedelta(hours=8))
# A past month whose days are all over: the computations and the sheet can use it.
MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def day(n: int) -> dt.date:
    return MONTH.replace(day=n)


def at(d: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(hh, mm), tzinfo=TZ)


def worker(world, name: str = "张三", staff_no: str = "A001", role: str = "receptionist",
           community=None):  # fmt: skip
    return staff(role, community or world.a, full_name=name, staff_no=staff_no,
                 username=f"w-{staff_no}")  # fmt: skip


def rostered(world, employee, first: dt.date, last: dt.date | None = None, community=None):
    community = community or world.a
    post, shift = post_and_shift(world, community)
    by = world.user("supervisor") if community == world.a else staff("supervisor", community)
    services.plan_roster(
        post=post, shift=shift, employee=employee, first=first, last=last or first, by=by
    )
    return post, shift


def punch(employee, moment: dt.datetime, community) -> Punch:
    return Punch.objects.create(
        community=community, employee=employee, at=moment, source=PunchSource.MACHINE
    )
