"""Panels other apps add to a unit's page (a repeat offender's violations), declared in their
AppConfig.ready() so that estates imports none of them (docs/decisions/0007-layers.md), like
`guanjia.tickets.panels` for a ticket's page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# (the unit, the user) -> the panel's context, or None to show nothing
UnitPanelContext = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class UnitPanel:
    template: str
    context: UnitPanelContext


_PANELS: list[UnitPanel] = []


def register_unit_panel(template: str, context: UnitPanelContext) -> None:
    """Show `template` on every unit page, with `context(unit, user)`."""
    if all(panel.template != template for panel in _PANELS):
        _PANELS.append(UnitPanel(template, context))


def unit_panels(unit: Any, user: Any) -> list[tuple[str, dict[str, Any]]]:
    """The registered panels with something to show for this unit."""
    shown = []
    for panel in _PANELS:
        context = panel.context(unit, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
