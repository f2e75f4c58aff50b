"""Panels other apps add to a ticket's page (the visits app's visits), declared in their
AppConfig.ready() so that tickets imports none of them (docs/decisions/0007-layers.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guanjia.core.access import User

# (the ticket, the user) -> the panel's context, or None to show nothing
PanelContext = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext


_PANELS: list[Panel] = []


def register_ticket_panel(template: str, context: PanelContext) -> None:
    """Show `template` on every ticket page, with `context(ticket, user)`."""
    if all(panel.template != template for panel in _PANELS):
        _PANELS.append(Panel(template, context))


def panels_for(ticket: Any, user: User) -> list[tuple[str, dict[str, Any]]]:
    """The registered panels with something to show for this ticket."""
    shown = []
    for panel in _PANELS:
        context = panel.context(ticket, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
