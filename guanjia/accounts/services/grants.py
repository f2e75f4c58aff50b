"""Decisions on a grant of a sensitive role (`RoleGrantRequest`, filed by `add_membership`):
a second authorised person approves it, and only then does the membership exist. The
requester never decides (core.workflows), nor does the person who would get the role."""

from __future__ import annotations

from django.db import transaction

from guanjia.core import workflows

from ..models import Membership, RoleGrantRequest, User
from .memberships import RoleGrant, check_grant, create_membership
from .separation import ensure_different_people
from .staff import locked_user


def _locked(request: RoleGrantRequest, *, by: User) -> RoleGrantRequest:
    locked: RoleGrantRequest = workflows.lock(request)
    ensure_different_people(actor=by, other=locked.user, rule="role_grant_grantee")
    return locked


@transaction.atomic
def approve_role_grant(*, request: RoleGrantRequest, by: User, reason: str = "") -> Membership:
    """Approve the grant: the membership is created now, checked as on the day it was asked
    (the account still active, the community open, no overlapping membership)."""
    locked = _locked(request, by=by)
    workflows.decide(locked, True, by=by, reason=reason)
    user = locked_user(locked.user)
    grant = RoleGrant(
        role=locked.role,
        community=locked.community,
        starts_on=locked.starts_on,
        ends_on=locked.ends_on,
        is_acting=locked.is_acting,
        note=locked.note,
    )
    check_grant(user, grant)
    membership = create_membership(user, grant, by=by)
    RoleGrantRequest.objects.filter(pk=locked.pk).update(membership=membership)
    request.refresh_from_db()
    return membership


@transaction.atomic
def reject_role_grant(*, request: RoleGrantRequest, by: User, reason: str) -> None:
    """Reject the grant, saying why; no membership is made."""
    locked = _locked(request, by=by)
    workflows.decide(locked, False, by=by, reason=reason)
    request.refresh_from_db()
