"""Who may see and do what, where: the one place that resolves memberships to permissions.

The answer is computed once per user object (that is, once per request) and kept on it, so
permission checks in a loop cost no queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from guanjia.core.models import Community

from .models import Membership, User, mask_phone, role_label

_CACHE_ATTR = "_guanjia_access"


@dataclass
class Access:
    """A user's effective permissions today: company-wide ones and per community."""

    is_superuser: bool = False
    company_perms: set[str] = field(default_factory=set)
    community_perms: dict[int, set[str]] = field(default_factory=dict)
    community_ids: list[int] = field(default_factory=list)
    roles_by_community: dict[int | None, set[str]] = field(default_factory=dict)
    # The visible communities themselves (with their company), by name: the current
    # community and the switcher take them from here instead of querying again.
    communities: list[Community] = field(default_factory=list)

    def has_perm(self, perm: str, community_id: int | None) -> bool:
        if self.is_superuser or perm in self.company_perms:
            return True
        if community_id is None:
            return any(perm in perms for perms in self.community_perms.values())
        return perm in self.community_perms.get(community_id, set())

    def communities_with(self, perm: str) -> list[int]:
        if self.is_superuser or perm in self.company_perms:
            return list(self.community_ids)
        return [cid for cid, perms in self.community_perms.items() if perm in perms]


def get_access(user: Any) -> Access:
    """The user's Access, computed on first use and cached on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    access = _compute_access(user)
    if user is not None:
        setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user: Any) -> None:
    """Drop the cached Access (after memberships change within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_access(user: Any) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return Access()
    if user.is_superuser:
        everyone = list(
            Community.objects.filter(is_active=True).select_related("company").order_by("name")
        )
        return Access(
            is_superuser=True, community_ids=[c.pk for c in everyone], communities=everyone
        )
    memberships = list(
        Membership.objects.active_on()
        .filter(user=user)
        .values_list("role_id", "role__name", "community_id")
    )
    role_ids = {role_id for role_id, _, _ in memberships}
    perms_by_role: dict[int, set[str]] = {}
    for group_id, app_label, codename in Permission.objects.filter(group__in=role_ids).values_list(
        "group", "content_type__app_label", "codename"
    ):
        perms_by_role.setdefault(group_id, set()).add(f"{app_label}.{codename}")

    access = Access()
    for role_id, role_name, community_id in memberships:
        access.roles_by_community.setdefault(community_id, set()).add(role_name)
        perms = perms_by_role.get(role_id, set())
        if community_id is None:
            access.company_perms |= perms
        else:
            access.community_perms.setdefault(community_id, set()).update(perms)
    company_wide = None in access.roles_by_community
    communities = Community.objects.filter(is_active=True)
    if company_wide and user.company_id:
        communities = communities.filter(company_id=user.company_id)
    else:
        communities = communities.filter(
            pk__in=access.community_perms.keys()
            | {cid for cid in access.roles_by_community if cid is not None}
        )
    access.communities = list(communities.select_related("company").order_by("name"))
    access.community_ids = [c.pk for c in access.communities]
    return access


def visible_community_ids(user: Any) -> list[int] | None:
    """Communities whose data the user may see; None means all (superuser)."""
    access = get_access(user)
    return None if access.is_superuser else access.community_ids


def has_perm_in(user: Any, perm: str, community: Community | int | None) -> bool:
    """Whether the user holds `perm` in that community (or anywhere, with None)."""
    community_id = community.pk if isinstance(community, Community) else community
    return get_access(user).has_perm(perm, community_id)


def communities_with_perm(user: Any, perm: str) -> list[int]:
    return get_access(user).communities_with(perm)


def roles_of(user: Any) -> set[str]:
    """Every role the user holds today, anywhere."""
    access = get_access(user)
    return set().union(*access.roles_by_community.values()) if access.roles_by_community else set()


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The one object matching `lookup` among those the user may see, else Http404.

    `queryset` is a model or a queryset whose model has a `visible_to` queryset method.
    """
    from django.http import Http404

    if hasattr(queryset, "_default_manager"):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def request_user(request: Any) -> User:
    """The logged-in staff member of a request (LoginRequiredMiddleware keeps anonymous
    visitors out of every view that calls this)."""
    user: User = request.user
    return user


def require_perm(user: Any, perm: str, community: Community | int | None = None) -> None:
    """Raise PermissionDenied (403) unless the user holds `perm` there."""
    from django.core.exceptions import PermissionDenied

    if not has_perm_in(user, perm, community):
        raise PermissionDenied


# --- Staff administration ------------------------------------------------------------------


def visible_memberships(viewer: Any) -> Any:
    """Memberships the viewer may see: of visible staff, in visible communities or
    company-wide."""
    queryset = Membership.objects.filter(user__in=User.objects.visible_to(viewer))
    ids = visible_community_ids(viewer)
    if ids is not None:
        queryset = queryset.filter(Q(community__isnull=True) | Q(community_id__in=ids))
    return queryset


def with_current_memberships(queryset: Any, viewer: Any) -> Any:
    """Staff with `current_memberships` (held today and visible to the viewer) prefetched."""
    current = (
        visible_memberships(viewer)
        .active_on()
        .select_related("role", "community")
        .order_by("community__name", "role__name")
    )
    return queryset.prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships")
    )


@dataclass(frozen=True)
class MembershipRow:
    """A membership as the account page shows it: current, future or ended today."""

    membership: Membership
    state: str  # "current", "future" or "ended"

    @property
    def role_label(self) -> str:
        return role_label(self.membership.role.name)


def staff_memberships(viewer: Any, staff: Any) -> list[MembershipRow]:
    """Every membership of `staff` the viewer may see, newest first, with its state today."""
    from django.utils import timezone

    today = timezone.localdate()
    rows = (
        visible_memberships(viewer)
        .filter(user=staff)
        .select_related("role", "community")
        .order_by("-starts_on", "-pk")
    )
    return [MembershipRow(m, _state(m, today)) for m in rows]


def _state(membership: Membership, today: Any) -> str:
    if membership.starts_on > today:
        return "future"
    if membership.ends_on is not None and membership.ends_on < today:
        return "ended"
    return "current"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an account or of one of its memberships: who, when, what."""

    at: Any
    by: str
    subject: str
    action: str  # "+" created, "~" changed, "-" deleted (django-simple-history's codes)
    changes: list[FieldChange]
    reason: str


_USER_FIELDS = ("username", "full_name", "staff_no", "phone", "email", "is_active", "is_staff")
_MEMBERSHIP_FIELDS = ("role_id", "community_id", "starts_on", "ends_on", "is_acting", "note")


def staff_history(user: Any) -> list[HistoryEntry]:
    """The account's history and its memberships', newest first (a fixed number of queries).

    Phone numbers appear masked, as everywhere else.
    """
    account_rows = list(
        User.history.filter(id=user.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    membership_rows = list(
        Membership.history.filter(user_id=user.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = _Names(
        roles=dict(Group.objects.values_list("pk", "name")),
        communities=dict(
            Community.objects.filter(
                pk__in={row.community_id for row in membership_rows}
            ).values_list("pk", "name")
        ),
    )
    entries = _entries(account_rows, User, _USER_FIELDS, names)
    entries += _entries(membership_rows, Membership, _MEMBERSHIP_FIELDS, names)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


@dataclass(frozen=True)
class _Names:
    roles: dict[int, str]
    communities: dict[int, str]

    def show(self, attname: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if attname == "phone":
            return mask_phone(value)
        if attname == "role_id":
            return role_label(self.roles.get(value, str(value)))
        if attname == "community_id":
            return self.communities.get(value, str(value))
        return str(value)


def _entries(rows: list[Any], model: Any, attnames: tuple[str, ...], names: _Names) -> list:
    labels = {
        field.attname: str(field.verbose_name)
        for field in model._meta.concrete_fields
        if field.attname in attnames
    }
    previous: dict[int, Any] = {}
    entries: list[HistoryEntry] = []
    for row in rows:
        before = previous.get(row.id)
        changes = [
            FieldChange(
                labels[attname],
                names.show(attname, getattr(before, attname)) if before else "",
                names.show(attname, getattr(row, attname)),
            )
            for attname in attnames
            if before is None or getattr(before, attname) != getattr(row, attname)
        ]
        previous[row.id] = row
        if model is Membership:
            subject = _("Membership: %(role)s · %(where)s") % {
                "role": names.show("role_id", row.role_id),
                "where": names.show("community_id", row.community_id)
                if row.community_id
                else _("whole company"),
            }
        else:
            subject = str(_("Account"))
        entries.append(
            HistoryEntry(
                at=row.history_date,
                by=row.history_user.display_name if row.history_user else "",
                subject=subject,
                action=row.history_type,
                changes=[c for c in changes if before is not None or c.new != "—"],
                reason=row.history_change_reason or "",
            )
        )
    return entries


# --- Login lockouts (helper "security") -----------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    """A username locked out from one address by django-axes, until `ends_at`."""

    account: User
    ip_address: str | None
    failures: int
    last_attempt: Any
    ends_at: Any


LOCKOUT_LIST_LIMIT = 200


def current_lockouts(viewer: Any) -> list[Lockout]:
    """Logins locked out right now, of accounts `viewer` may see, most recent first.

    Lockouts of usernames that are no account are not listed: there is nothing to unlock,
    and they end by themselves after the cool-off time.
    """
    import datetime as dt

    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=getattr(settings, "AXES_FAILURE_LIMIT", 3)
    )
    cool_off: dt.timedelta | None = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gt=timezone.now() - cool_off)
    rows = list(attempts.order_by("-attempt_time")[:LOCKOUT_LIST_LIMIT])
    accounts = {
        user.username: user
        for user in User.objects.visible_to(viewer).filter(
            username__in={row.username for row in rows}
        )
    }
    return [
        Lockout(
            account=accounts[row.username],
            ip_address=row.ip_address,
            failures=row.failures_since_start,
            last_attempt=row.attempt_time,
            ends_at=row.attempt_time + cool_off if cool_off is not None else None,
        )
        for row in rows
        if row.username in accounts
    ]
