"""Login security: lifting lockouts (written by helper "security"); API tokens: tokens.py."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.core.access import require_perm

from ..models import User
from .staff import locked_user


@transaction.atomic
def unlock_account(*, user: User, by: User) -> int:
    """Lift the django-axes lockout of `user`'s username (from every address) and note it in
    the account's history. Returns the number of lockout records removed."""
    from axes.utils import reset

    require_perm(by, "accounts.unlock_user")
    removed = reset(username=user.get_username())
    user = locked_user(user)
    user._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    user._change_reason = _("Login lockout lifted")  # type: ignore[attr-defined]  # ditto
    user.save(update_fields=["username"])  # unchanged: the save writes the history row
    result: int = removed
    return result
