"""A year of the demo's service desk, replayed through the tickets services (see
`timeline.py`): the twelve months ending today, so every monthly chart and KPI has data.

Each community gets, per month and at `scale` 1, about 14 consultations, 4 other requests,
8 complaints, 16 repairs and 2 letters (a quarter more or less from month to month, repairs
more in the wet summer), on random days and mostly in office hours, from a random generator
seeded per community (the same day gives the same history). The SLA sweep
runs on Monday and Thursday mornings (the schedule runs it every 5 minutes; each run costs
about 0.1 s, so a year of those would be most of the load time): it records the breaches
of tickets still open then and warns the supervisors. Staff read their inbox every Monday.
Collection (payments at the cashier) is not part of it yet: see the hook below `MONTHLY`."""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from guanjia.accounts.models import User
from guanjia.core.models import Community
from guanjia.core.notifications.models import Notification
from guanjia.core.notifications.services import mark_all_read
from guanjia.estates.models import Occupancy
from guanjia.tickets.services import sweep_deadlines

from . import desk
from .timeline import Script, Timeline, local, month_starts

MONTHS = 12
# What a month brings to one community at scale 1: (script, how many).
MONTHLY: list[tuple[Callable[[desk.Desk], Script], int]] = [
    (desk.consultation, 14),
    (desk.other_request, 4),
    (desk.complaint, 8),
    (desk.repair, 16),
    (desk.letter, 2),
]
# Repairs by month of the year: leaks and power cuts in Guangzhou's rainy, hot summer.
REPAIR_SEASON = {5: 1.2, 6: 1.4, 7: 1.4, 8: 1.3, 9: 1.2, 12: 0.8, 1: 0.8, 2: 0.7}
# Collection hook: when the cashier app exists, its demo module adds a script per month that
# pays the month's bills at a realistic rate (most within the month, some late, a few never),
# through the cashier's payment service, scheduled on the same timeline as the desk.
STAFF = {
    "cuihu": ("reception", "manager1", "tech1"),
    "jinxiu": ("reception2", "manager2", "tech2"),
}


def _desk(community: Community, users: dict[str, User], seed: int) -> desk.Desk | None:
    names = STAFF.get(community.code)
    if names is None or any(n not in users for n in (*names, "supervisor", "director")):
        return None
    homes = [
        (o.unit, o.person)
        for o in Occupancy.objects.filter(
            community=community, is_primary_contact=True, ends_on__isnull=True
        )
        .select_related("unit", "person")
        .order_by("unit_id")
    ]
    if not homes:
        return None
    reception, manager, technician = (users[n] for n in names)
    return desk.Desk(
        community=community, rnd=random.Random(seed), reception=reception,  # noqa: S311  # demo
        supervisor=users["supervisor"], manager=manager, director=users["director"],
        lead=users["engineer"], technician=technician, homes=homes,
    )  # fmt: skip


def _received(d: desk.Desk, month: dt.date, now: dt.datetime) -> Iterator[dt.datetime]:
    """Random moments of the month before `now`, mostly in office hours."""
    last = min((month + dt.timedelta(days=31)).replace(day=1), timezone.localdate(now))
    days = (last - month).days
    while days > 0:
        day = month + dt.timedelta(days=d.rnd.randrange(days))
        hour = d.rnd.choice([8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17, 19, 21])
        yield local(day, hour, d.rnd.randint(0, 59))


def _schedule(line: Timeline, d: desk.Desk, months: list[dt.date], scale: float) -> int:
    started = 0
    for month in months:
        moments = _received(d, month, line.until)
        for script, per_month in MONTHLY:
            season = REPAIR_SEASON.get(month.month, 1.0) if script is desk.repair else 1.0
            size = per_month * scale * season * d.rnd.uniform(0.75, 1.25)
            for _ in range(max(1, round(size))):
                moment = next(moments, None)
                if moment is None:  # the first day of this month: nothing before today
                    break
                line.start(moment, script, d)
                started += 1
    return started


SWEEP_DAYS = (0, 3)  # Monday, Thursday


def _mornings(first: dt.date) -> Script:
    """The SLA sweep on the mornings of SWEEP_DAYS; on Mondays everyone reads the inbox."""
    day = first
    while True:
        if day.weekday() not in SWEEP_DAYS:
            day += dt.timedelta(days=1)
            continue
        yield local(day, 7)
        sweep_deadlines()
        if day.weekday() == 0:
            yield local(day, 9)
            readers = Notification.objects.filter(read_at__isnull=True).values("recipient_id")
            for user in User.objects.filter(pk__in=readers):
                mark_all_read(by=user)
        day += dt.timedelta(days=1)


@contextmanager
def quiet() -> Iterator[None]:
    """The recording SMS/WeChat backends log each message, sent when the transaction commits:
    a year of them is noise on the console of `make run`."""
    logger = logging.getLogger("guanjia.core.notifications")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def load(*, communities: dict[str, Community], scale: float = 1.0) -> dict[str, Any]:
    """Replay the year of each given community (the caller checks they have no desk yet)."""
    users = {u.username: u for u in User.objects.all()}
    now = timezone.now()
    months = month_starts(timezone.localdate(now), MONTHS)
    line = Timeline(until=now - dt.timedelta(minutes=5))
    tickets = 0
    for seed, community in enumerate(communities.values()):
        d = _desk(community, users, seed + 2026)
        if d is not None:
            tickets += _schedule(line, d, months, scale)
    if tickets:
        line.start(local(months[0], 7), _mornings, months[0])
    steps = line.run()
    return {"contacts": tickets, "steps": steps}
