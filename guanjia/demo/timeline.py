"""The demo history's clock: a year of work replayed through the real services, each step
with the clock set to the moment it happened.

The services read the time from `django.utils.timezone.now()` (deadlines, "met" flags, event
rows, document numbers per year), so the history sets that clock the way the tests freeze
time: with time-machine (a development requirement, installed by `make install`). Nothing is
dated after the fact, so every SLA field, event and KPI input is what the services wrote.

A `Timeline` interleaves many scripts in time order. A script is a generator: it acts at the
moment it is started (or resumed) at, then yields the moment of its next step. Steps that
would fall after the real present are not taken, so the tickets of the last days are still
open, as they would be."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from typing import Any

from django.utils import timezone

try:
    import time_machine
except ImportError:  # pragma: no cover  # installed with requirements-dev.txt (make install)
    time_machine = None  # type: ignore[assignment]

Script = Iterator[dt.datetime]


def can_travel() -> bool:
    """Whether the clock can be set (time-machine is installed)."""
    return time_machine is not None


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Run the block with `timezone.now()` (and every other clock) standing at `moment`."""
    with time_machine.travel(moment, tick=False):
        yield


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local (community) time of day as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    """The first days of the `months` months ending with this month, oldest first."""
    index = today.year * 12 + today.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


class Timeline:
    """Scripts waiting for their next moment, run in time order up to `until`."""

    def __init__(self, until: dt.datetime) -> None:
        self.until = until
        self._queue: list[tuple[dt.datetime, int, Script]] = []
        self._seq = count()
        self.steps = 0

    def start(self, moment: dt.datetime, script: Callable[..., Script], *args: Any) -> None:
        """Schedule `script(*args)` to begin at `moment` (dropped if after `until`)."""
        self._push(moment, script(*args))

    def _push(self, moment: dt.datetime, gen: Script) -> None:
        if moment <= self.until:
            heapq.heappush(self._queue, (moment, next(self._seq), gen))

    def run(self) -> int:
        """Take every step in time order; return how many were taken."""
        while self._queue:
            moment, _, gen = heapq.heappop(self._queue)
            with at(moment):
                self.steps += 1
                following = next(gen, None)
            if following is not None:
                self._push(max(following, moment), gen)
        return self.steps
