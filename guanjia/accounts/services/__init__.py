"""Every write to accounts: roles, staff accounts, memberships, activation; and the
separation-of-duty check other apps' services call. One module per concern; import from
here (`from guanjia.accounts.services import create_staff`)."""

from .grants import approve_role_grant, reject_role_grant
from .memberships import (
    SENSITIVE_ROLES,
    RoleGrant,
    SelfGrantRefused,
    add_membership,
    end_membership,
)
from .roles import role_permission_map, sync_roles
from .security import unlock_account
from .separation import SEPARATION_RULES, ensure_different_people, register_separation_rule
from .staff import (
    REASON_MAX_LENGTH,
    NewStaff,
    StaffDetails,
    create_staff,
    deactivate_staff,
    generate_password,
    locked_user,
    reactivate_staff,
    set_staff_password,
    update_staff,
)
from .tokens import (
    create_api_token,
    live_tokens,
    log_out_everywhere,
    may_manage_tokens,
    revoke_all_api_tokens,
    revoke_api_token,
)

__all__ = [
    "REASON_MAX_LENGTH",
    "SENSITIVE_ROLES",
    "SEPARATION_RULES",
    "NewStaff",
    "RoleGrant",
    "SelfGrantRefused",
    "StaffDetails",
    "add_membership",
    "approve_role_grant",
    "create_api_token",
    "create_staff",
    "deactivate_staff",
    "end_membership",
    "ensure_different_people",
    "generate_password",
    "live_tokens",
    "locked_user",
    "log_out_everywhere",
    "may_manage_tokens",
    "reactivate_staff",
    "register_separation_rule",
    "reject_role_grant",
    "revoke_all_api_tokens",
    "revoke_api_token",
    "role_permission_map",
    "set_staff_password",
    "sync_roles",
    "unlock_account",
    "update_staff",
]
