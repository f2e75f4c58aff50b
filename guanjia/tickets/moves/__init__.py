"""The workflow buttons of each ticket kind, one module per kind: which form, which
permission, from which states, which service. The pages (`views/`) and the API (`api/`) both
read them; each button has its own explicit view and URL name in each (`urls.py`,
`api/__init__.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from guanjia.core import workflows
from guanjia.core.access import has_perm_in

from ..forms import DeskForm

if TYPE_CHECKING:
    from guanjia.core.access import User

# (the ticket, the form's cleaned data, the user) -> what the service returns
Perform = Callable[[Any, dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Move:
    """One workflow button of a ticket page (and its API route)."""

    name: str  # the button's id on the page and the last part of its URL
    page_url_name: str  # e.g. "tickets:complaint-classify" (the API: "tickets-api:...")
    label: Promise
    form: type[DeskForm]
    perm: str
    states: frozenset[str]
    perform: Perform
    technician: bool = False  # shown on the technician's phone page
    # The states the move leads to (one of them); empty for a step that keeps the state (a
    # note, a photo, an action). The page offers the button only where the workflow allows
    # one of them for the user (`workflows.can_transition`: table, actor rule, guards).
    targets: frozenset[str] = frozenset()

    def offered(self, obj: Any, user: User) -> bool:
        """Whether the page shows this button: the state, the permission and the workflow
        (a move to `targets`, else the workflow's rule for the user) all allow it."""
        if obj.status not in self.states or not has_perm_in(user, self.perm, obj.community):
            return False
        if self.targets:
            return any(workflows.can_transition(obj, to, by=user) for to in self.targets)
        return bool(workflows.workflow_for(obj).actor(user, obj))
