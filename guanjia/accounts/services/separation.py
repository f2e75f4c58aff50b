"""Separation of duties (spec §26, permission rule 1): two steps by two different people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from ..models import User

SEPARATION_RULES: dict[str, Promise | str] = {
    "receipt_reversal": gettext_lazy(
        "The person who issued a receipt cannot approve its reversal."
    ),
    "complaint_about_self": gettext_lazy(
        "The staff member a complaint is about cannot handle it, reply to it or visit for it."
    ),
    "appraisal_review": gettext_lazy("The rater of an appraisal cannot also be its reviewer."),
    "role_grant_grantee": gettext_lazy(
        "Nobody decides on a role for themselves: another authorised person must."
    ),
}


def register_separation_rule(code: str, message: Promise | str) -> None:
    """Add a rule of the same kind (two steps that must be done by different people)."""
    SEPARATION_RULES[code] = message


def ensure_different_people(*, actor: User, other: User | None, rule: str) -> None:
    """Raise PermissionDenied(<translated message naming the rule>) when actor is other.

    e.g. rule="receipt_reversal": the issuer of a receipt cannot approve its reversal.
    An unknown rule is a programming error (KeyError), so a typo cannot disable a check.
    """
    message = SEPARATION_RULES[rule]
    if other is not None and actor.pk is not None and actor.pk == other.pk:
        raise PermissionDenied(str(message))
