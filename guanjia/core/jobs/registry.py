"""Schedules declared in code. Each app calls `schedule(...)` in its `AppConfig.ready()`;
`manage.py sync_schedules` writes them to django-q's Schedule table (see docs/jobs.md)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$")
_FUNC = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$")
MAX_MINUTES = 32767  # django-q stores minutes in a small integer


@dataclass(frozen=True)
class ScheduleSpec:
    """One declared schedule: run `func` (dotted path) by `cron`, or every `minutes` from the
    local time of day `at` (from the moment it is first synced when `at` is None)."""

    name: str
    func: str
    cron: str | None = None
    minutes: int | None = None
    at: dt.time | None = None


_SCHEDULES: dict[str, ScheduleSpec] = {}


def schedule(
    name: str,
    func: str,
    *,
    cron: str | None = None,
    minutes: int | None = None,
    at: dt.time | None = None,
) -> ScheduleSpec:
    """Declare a schedule named `<app>.<what>` (e.g. "jobs.cleanup"). Exactly one of `cron`
    and `minutes`; cron expressions need the optional `croniter` package."""
    if not _NAME.match(name) or len(name) > 100:
        raise ImproperlyConfigured(f"schedule name {name!r}: use '<app>.<what>', lower case")
    if not _FUNC.match(func):
        raise ImproperlyConfigured(f"schedule {name!r}: {func!r} is not a dotted path")
    if (cron is None) == (minutes is None):
        raise ImproperlyConfigured(f"schedule {name!r}: give exactly one of cron= and minutes=")
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise ImproperlyConfigured(f"schedule {name!r}: minutes must be 1 to {MAX_MINUTES}")
    if cron is not None and (at is not None or importlib.util.find_spec("croniter") is None):
        raise ImproperlyConfigured(
            f"schedule {name!r}: cron needs the croniter package and takes no at=; "
            "use minutes= with at= instead"
        )
    spec = ScheduleSpec(name=name, func=func, cron=cron, minutes=minutes, at=at)
    if _SCHEDULES.get(name, spec) != spec:
        raise ImproperlyConfigured(f"schedule {name!r} is already declared differently")
    _SCHEDULES[name] = spec
    return spec


def declared_schedules() -> list[ScheduleSpec]:
    """Every declared schedule, by name."""
    return sorted(_SCHEDULES.values(), key=lambda spec: spec.name)
