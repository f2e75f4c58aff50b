"""What every page of the shell needs: navigation for the user's role, communities, inbox."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from guanjia.core.http import community_of


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation, shown to users holding `perm` (None: every staff)."""

    section: str | Promise
    label: str | Promise
    url_name: str
    perm: str | None = None
    order: int = 100


def nav_items() -> list[NavItem]:
    """Every app contributes entries through its AppConfig's `nav_items`."""
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "nav_items", []))
    return sorted(items, key=lambda item: (item.order, str(item.label)))


def nav_sections(items: list[NavItem]) -> list[tuple[str, list[NavItem]]]:
    """Items grouped by section, sections in the order of their first item: one menu each."""
    sections: dict[str, list[NavItem]] = {}
    for item in items:
        sections.setdefault(str(item.section), []).append(item)
    return list(sections.items())


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from guanjia.core.access import get_access

    access = get_access(user)
    community = community_of(request)
    visible: list[NavItem] = []
    for item in nav_items():
        if item.perm and not access.has_perm(item.perm, community.pk if community else None):
            continue
        try:
            visible.append(
                NavItem(item.section, item.label, reverse(item.url_name), item.perm, item.order)
            )
        except NoReverseMatch:
            continue
    return {
        "nav": visible,
        "nav_sections": nav_sections(visible),
        "current_community": community,
        "my_communities": access.communities,
    }
