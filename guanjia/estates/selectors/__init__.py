"""Reads of the estates app: search, the household archive, the timeline, edit authority."""

from .access import can_edit_in_zone, is_zone_bound, managed_zone_ids, require_edit
from .household import Household, household
from .panels import register_unit_panel, unit_panels
from .search import SearchHit, search
from .timeline import (
    TimelineEntry,
    TimelineSource,
    register_estates_timeline_sources,
    register_timeline_source,
    unit_timeline,
)

__all__ = [
    "Household",
    "SearchHit",
    "TimelineEntry",
    "TimelineSource",
    "can_edit_in_zone",
    "household",
    "is_zone_bound",
    "managed_zone_ids",
    "register_estates_timeline_sources",
    "register_timeline_source",
    "register_unit_panel",
    "require_edit",
    "search",
    "unit_panels",
    "unit_timeline",
]
