"""Reads of staff administration: memberships, account history, login lockouts.

Who may see and do what, where, is core's interface (`guanjia.core.access`: `get_access`,
`require_perm`, `get_visible_or_404` ...); accounts computes it in `access.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from guanjia.core.access import visible_community_ids
from guanjia.core.models import Community
from guanjia.core.personal_data import mask_phone
from guanjia.core.roles import role_label

from .models import Membership, RoleGrantRequest, User

# --- Staff administration ------------------------------------------------------------------


def visible_memberships(viewer: User) -> Any:
    """Memberships the viewer may see: of visible staff, in visible communities or
    company-wide."""
    queryset = Membership.objects.filter(user__in=User.objects.visible_to(viewer))
    ids = visible_community_ids(viewer)
    if ids is not None:
        queryset = queryset.filter(Q(community__isnull=True) | Q(community_id__in=ids))
    return queryset


def with_current_memberships(queryset: Any, viewer: User) -> Any:
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


def staff_memberships(viewer: User, staff: Any) -> list[MembershipRow]:
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


def pending_grant_requests(viewer: User) -> Any:
    """Grants of sensitive roles the viewer may see that await a decision, oldest first."""
    rows = RoleGrantRequest.objects.visible_to(viewer).pending()
    return rows.select_related("user", "community", "requested_by").order_by("requested_at", "pk")


def grant_requests_of(viewer: User, staff: Any, limit: int = 20) -> list[RoleGrantRequest]:
    """The latest grant requests for `staff` the viewer may see: who asked, who decided."""
    rows = RoleGrantRequest.objects.visible_to(viewer).filter(user=staff)
    rows = rows.select_related("community", "requested_by", "decided_by")
    return list(rows.order_by("-requested_at", "-pk")[:limit])


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


def staff_history(user: User) -> list[HistoryEntry]:
    """The account's history and its memberships', newest first (a fixed number of queries).

    Phone numbers appear masked, as everywhere else.
    """
    account_rows = list(
        User.history.filter(id=user.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    membership_rows = list(
        Membership.history.filter(user_id=user.pk)
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


def current_lockouts(viewer: User) -> list[Lockout]:
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
