"""Memberships: a role held in a community (or company-wide) for a period; acting ones end.

Nobody grants themselves a role, and a role that approves money, policies or personal data
(`SENSITIVE_ROLES`) is not given at once: `add_membership` files a `RoleGrantRequest` that a
second authorised person approves (`services.grants`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import workflows
from guanjia.core.access import forget_access, require_perm, visible_community_ids
from guanjia.core.models import Community
from guanjia.core.roles import COMPANY_ROLES, Role, role_label

from ..models import GrantStatus, Membership, RoleGrantRequest, User
from .staff import locked_user

# Roles whose holders approve money, policies or personal data (spec §26: the director the
# billing runs and community policies, finance the fee standards and financial policies, HR
# the HR policies and staff records, management the company defaults and write-offs, the
# administrator every role grant). Granting one takes a second authorised person.
SENSITIVE_ROLES = frozenset({Role.DIRECTOR, Role.FINANCE, Role.HR, Role.MANAGEMENT, Role.ADMIN})


class SelfGrantRefused(PermissionDenied):
    """Nobody grants themselves a role (403, with its message on the page and in the API)."""

    code = "own_grant"

    def __init__(self) -> None:
        super().__init__(
            _("Nobody grants themselves a role: another administrator must give it to you.")
        )


@dataclass(frozen=True)
class RoleGrant:
    """A role to give: where (None: company-wide), from when, until when, acting or not."""

    role: str
    community: Community | None
    starts_on: dt.date
    ends_on: dt.date | None = None
    is_acting: bool = False
    note: str = ""


def _grant_errors(grant: RoleGrant) -> dict[str, ValidationError]:
    errors: dict[str, ValidationError] = {}
    if grant.role not in Role.values:
        errors["role"] = ValidationError(_("Choose a role from the list."), code="unknown_role")
    elif grant.role in COMPANY_ROLES and grant.community is not None:
        errors["community"] = ValidationError(
            _("%(role)s is a company-wide role: leave the community empty."),
            code="company_role_with_community",
            params={"role": role_label(grant.role)},
        )
    elif grant.role not in COMPANY_ROLES and grant.community is None:
        errors["community"] = ValidationError(
            _("%(role)s is held in a community: choose one."),
            code="community_required",
            params={"role": role_label(grant.role)},
        )
    if grant.ends_on is not None and grant.ends_on < grant.starts_on:
        errors["ends_on"] = ValidationError(
            _("The end date must not be before the start date."), code="end_before_start"
        )
    elif grant.is_acting and grant.ends_on is None:
        errors["ends_on"] = ValidationError(
            _("An acting assignment needs an end date."), code="acting_needs_end"
        )
    if len(grant.note) > 200:
        errors["note"] = ValidationError(_("At most 200 characters."), code="max_length")
    return errors


def _overlapping(user: User, grant: RoleGrant) -> Membership | None:
    """A membership of the same role and place whose period meets the new one."""
    overlap = Q(ends_on__isnull=True) | Q(ends_on__gte=grant.starts_on)
    if grant.ends_on is not None:
        overlap &= Q(starts_on__lte=grant.ends_on)
    return (
        Membership.objects.filter(
            overlap, user=user, role__name=grant.role, community=grant.community
        )
        .order_by("starts_on")
        .first()
    )


@transaction.atomic
def add_membership(*, user: User, grant: RoleGrant, by: User) -> Membership | RoleGrantRequest:
    """Give `user` a role in a community (or company-wide) for a period; acting ones end.

    Refused for oneself. A sensitive role is not given yet: the returned request awaits a
    second authorised person (`approve_role_grant`)."""
    require_perm(by, "accounts.add_membership", grant.community)
    visible = visible_community_ids(by)
    if grant.community is not None and visible is not None and grant.community.pk not in visible:
        raise PermissionDenied
    if user.pk == by.pk:
        raise SelfGrantRefused
    user = locked_user(user)
    check_grant(user, grant)
    if grant.role in SENSITIVE_ROLES:
        return _request_grant(user, grant, by=by)
    return create_membership(user, grant, by=by)


def check_grant(user: User, grant: RoleGrant) -> None:
    """Refuse a grant that cannot be given to `user` now (checked again on approval)."""
    errors = _grant_errors(grant)
    if errors:
        raise ValidationError(errors)
    if not user.is_active:
        raise ValidationError(
            _("The account is deactivated: reactivate it before giving it a role."),
            code="inactive_user",
        )
    if grant.community is not None and not grant.community.is_active:
        raise ValidationError(
            {"community": ValidationError(_("This community is closed."), code="closed")}
        )
    existing = _overlapping(user, grant)
    if existing is not None:
        raise ValidationError(
            _("%(name)s already holds this role there from %(start)s (%(period)s)."),
            code="duplicate_membership",
            params={
                "name": user.display_name,
                "start": existing.starts_on.isoformat(),
                "period": existing.ends_on.isoformat() if existing.ends_on else _("open-ended"),
            },
        )


def create_membership(user: User, grant: RoleGrant, *, by: User) -> Membership:
    """Save the membership of a checked grant (the caller holds the user's row lock)."""
    membership = Membership(
        user=user,
        role=Group.objects.get(name=grant.role),
        community=grant.community,
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
        is_acting=grant.is_acting,
        note=grant.note.strip(),
    )
    membership._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    membership.save()
    forget_access(user)
    return membership


def _request_grant(user: User, grant: RoleGrant, *, by: User) -> RoleGrantRequest:
    pending = RoleGrantRequest.objects.pending().filter(
        user=user, role=grant.role, community=grant.community
    )
    if pending.exists():
        raise ValidationError(
            _("%(name)s's %(role)s role already awaits approval."),
            code="grant_pending",
            params={"name": user.display_name, "role": role_label(grant.role)},
        )
    request = RoleGrantRequest.objects.create(
        user=user,
        role=grant.role,
        community=grant.community,
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
        is_acting=grant.is_acting,
        note=grant.note.strip(),
        status=GrantStatus.REQUESTED,
        requested_by=by,
        requested_at=timezone.now(),
    )
    workflows.record_creation(request, by=by, note=request.note, action="requested")
    return request


@transaction.atomic
def end_membership(
    *, membership: Membership, by: User, ends_on: dt.date | None = None
) -> Membership:
    """End a membership on `ends_on` (default today); it is kept, never deleted."""
    require_perm(by, "accounts.change_membership", membership.community_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    today = timezone.localdate()
    day = ends_on or today
    if membership.ends_on is not None and membership.ends_on < today:
        raise ValidationError(_("This membership has already ended."), code="already_ended")
    if membership.ends_on is not None and day > membership.ends_on:
        raise ValidationError(
            {
                "ends_on": ValidationError(
                    _("It already ends on %(day)s; choose that day or an earlier one."),
                    code="later_than_end",
                    params={"day": membership.ends_on.isoformat()},
                )
            }
        )
    if day < membership.starts_on:
        raise ValidationError(
            {
                "ends_on": ValidationError(
                    _("The end date must not be before the start date (%(day)s)."),
                    code="end_before_start",
                    params={"day": membership.starts_on.isoformat()},
                )
            }
        )
    membership.ends_on = day
    membership._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    membership.save(update_fields=["ends_on", "updated_at"])
    forget_access(membership.user)
    return membership
