from __future__ import annotations

from typing import Any

from guanjia.core.access import has_perm_in


def perm_rule(perm: str) -> Any:
    """An actor rule: the permission in the object's community."""

    def rule(user: Any, obj: Any) -> bool:
        return bool(user) and has_perm_in(user, perm, obj.community_id)

    return rule


def is_employee(user: Any, obj: Any) -> bool:
    return bool(user) and user.pk == obj.employee_id
