"""COMPATIBILITY SHIM, for one release only: the community-scoped page views moved to
guanjia.core.pages (issue 9, docs/decisions/0009-lists-and-api.md). Import them from there;
this module re-exports them so code written against the old path keeps working, and goes
away in the next release."""

from guanjia.core.pages import (
    CommunityActionView,
    CommunityCreateView,
    CommunityDetailView,
    CommunityFormMixin,
    CommunityListView,
    CommunityObjectMixin,
    CommunityUpdateView,
)

__all__ = [
    "CommunityActionView",
    "CommunityCreateView",
    "CommunityDetailView",
    "CommunityFormMixin",
    "CommunityListView",
    "CommunityObjectMixin",
    "CommunityUpdateView",
]
