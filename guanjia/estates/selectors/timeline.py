"""The unit's timeline: an extension point every app feeds without estates importing it.

An app registers a source from its AppConfig.ready():

    from guanjia.estates.selectors import TimelineEntry, register_timeline_source

    def bills_for_unit(unit, *, limit):
        return [TimelineEntry(at=b.created_at, kind="bill", title=..., url=..., actor=...)]

    register_timeline_source(bills_for_unit)

The unit page calls every source with the same `limit` and merges the entries, newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from guanjia.core.files.registry import file_url

from ..models import Unit, UnitEvent, UnitEventKind


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line on a unit's timeline."""

    at: dt.datetime
    kind: str
    title: str
    url: str = ""
    actor: str = ""


class TimelineSource(Protocol):
    def __call__(self, unit: Unit, *, limit: int) -> list[TimelineEntry]: ...


_SOURCES: list[Callable[..., list[TimelineEntry]]] = []


def register_timeline_source(func: TimelineSource) -> TimelineSource:
    """Add a source (once, however often it is registered); usable as a decorator."""
    if func not in _SOURCES:
        _SOURCES.append(func)
    return func


def unit_timeline(unit: Unit, *, limit: int = 30) -> list[TimelineEntry]:
    """The newest `limit` entries of every source, merged."""
    entries: list[TimelineEntry] = []
    for source in _SOURCES:
        entries.extend(source(unit, limit=limit))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _actor(user: object | None) -> str:
    return str(getattr(user, "display_name", "") or "") if user is not None else ""


def unit_events(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    rows = UnitEvent.objects.filter(unit=unit).select_related("actor")[:limit]
    entries = []
    for e in rows:
        title = str(e.get_kind_display())
        if e.kind == UnitEventKind.STATUS:
            title = _("Status: %(from)s → %(to)s") % {
                "from": e.get_from_status_display(),
                "to": e.get_to_status_display(),
            }
        if e.note:
            title = f"{title} · {e.note}"
        entries.append(TimelineEntry(e.at, f"estates.{e.kind}", title, "", _actor(e.actor)))
    return entries


def unit_notes(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            n.at, "estates.note", _("Note: %(text)s") % {"text": n.text[:80]}, "", _actor(n.author)
        )
        for n in unit.notes.select_related("author")[:limit]
    ]


def unit_documents(unit: Unit, *, limit: int) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            d.created_at,
            "estates.document",
            _("Document filed: %(title)s") % {"title": d.title},
            file_url(d, "file"),
            _actor(d.uploaded_by),
        )
        for d in unit.documents.select_related("uploaded_by")[:limit]
    ]


def register_estates_timeline_sources() -> None:
    for source in (unit_events, unit_notes, unit_documents):
        register_timeline_source(source)
