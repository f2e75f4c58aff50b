"""Handover sections: what a change of shift lists, contributed by apps (spec §06).

The registry lives in core so that any app can contribute without importing the front desk
(layer 5, which nothing imports; docs/decisions/0007-layers.md). Each app that has something
to hand over registers a section in its `AppConfig.ready()`:

    from guanjia.core.handover import ItemDraft, Section, register_section
    register_section(Section("cash", _("Cash and receipt numbers"), order=10,
                             posts=("cashier",), collect=cash_items))

`collect(context)` returns the section's lines (`ItemDraft`) for one handover; the desk copies
them into the handover when the outgoing person opens it (`guanjia.desk.services.open_handover`),
and the incoming person checks each. The desk's own sections (tickets due, repairs,
complaints, keys out, parcels held, instructions, the shift's events) are registered the same
way (`guanjia/desk/selectors.py`); the cashier's cash and receipt numbers are a section its
app adds for posts of kind "cashier".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from guanjia.core.models import Community


@dataclass(frozen=True)
class ItemDraft:
    summary: str
    ref: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SectionContext:
    """What a section is collected for: the community, the post's kind, the shift's start
    and end, the end of the next shift, and how many lines a section lists at most."""

    community: Community
    post_kind: str
    shift_start: dt.datetime
    shift_end: dt.datetime
    next_shift_end: dt.datetime
    limit: int


@dataclass(frozen=True)
class Section:
    code: str
    label: str | Promise
    collect: Callable[[SectionContext], list[ItemDraft]]
    order: int = 100
    posts: tuple[str, ...] = ()  # post kinds it applies to; empty: every post


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    """Declare a section; a code declared twice is an error."""
    if section.code in _SECTIONS:
        raise ValueError(f"handover section {section.code!r} is already registered")
    _SECTIONS[section.code] = section
    return section


def sections_for(post_kind: str) -> list[Section]:
    """The sections a post of this kind hands over, in order."""
    wanted = [s for s in _SECTIONS.values() if not s.posts or post_kind in s.posts]
    return sorted(wanted, key=lambda s: (s.order, s.code))


def section_label(code: str) -> str:
    section = _SECTIONS.get(code)
    return str(section.label) if section else code
