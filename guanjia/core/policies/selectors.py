"""Reading policies: `policy(community, key)`, the Policies pages' data, and who may change what.

Cache: all PolicyValue rows of a company are loaded with one query into a per-context cache
(a ContextVar, so each thread or async task has its own). `PolicyCacheMiddleware` empties it
at the start and the end of every request and the write services empty it too. Outside a
request (jobs, shell) a loaded company is reused for at most `CACHE_SECONDS`, so a
long-running worker never acts on a value older than that; a job that must see a change made
a moment ago calls `clear_policy_cache()` first.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import User, get_access, staff_holding
from guanjia.core.models import Community, Company
from guanjia.core.roles import Role

from .models import PolicyProposal, PolicyValue, ProposalStatus
from .registry import Domain, PolicySpec, Scope, all_specs, get_spec

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30.0
VIEW_PERM = "policies.view_policyvalue"
PROPOSE_PERM = "policies.propose_policy"
COMPANY_PERM = "policies.change_company_policy"
DOMAIN_PERMS: dict[str, str] = {
    Domain.OPERATIONS: "policies.change_operations_policy",
    Domain.FINANCIAL: "policies.change_financial_policy",
    Domain.HR: "policies.change_hr_policy",
}
_MISSING = object()
_Row = tuple[dt.date, int, str]  # effective_from, pk, JSON text


@dataclass
class _CompanyValues:
    """Every PolicyValue row of one company, indexed by (key, community id or None)."""

    loaded_at: float
    rows: dict[tuple[str, int | None], list[_Row]] = field(default_factory=dict)
    typed: dict[int, Any] = field(default_factory=dict)

    def effective(self, spec: PolicySpec, community_id: int | None, day: dt.date) -> Any:
        """The value in force on `day` for that scope, or _MISSING."""
        for effective_from, pk, text in reversed(self.rows.get((spec.key, community_id), [])):
            if effective_from > day:
                continue
            if pk not in self.typed:
                try:
                    self.typed[pk] = spec.from_json(text)
                except ValidationError:
                    logger.error("policy value %s of %s cannot be read; skipped", pk, spec.key)
                    continue
            return self.typed[pk]
        return _MISSING


@dataclass
class _Cache:
    companies: dict[int, _CompanyValues] = field(default_factory=dict)
    default_company: tuple[float, int | None] | None = None


_cache: ContextVar[_Cache | None] = ContextVar("guanjia_policy_cache", default=None)


def clear_policy_cache() -> None:
    """Forget every loaded value (start and end of a request, after a write, start of a job)."""
    _cache.set(None)


def _state() -> _Cache:
    state = _cache.get()
    if state is None:
        state = _Cache()
        _cache.set(state)
    return state


def _fresh(loaded_at: float) -> bool:
    return time.monotonic() - loaded_at < CACHE_SECONDS


def _company_values(company_id: int) -> _CompanyValues:
    state = _state()
    values = state.companies.get(company_id)
    if values is not None and _fresh(values.loaded_at):
        return values
    values = _CompanyValues(loaded_at=time.monotonic())
    rows = PolicyValue.objects.filter(company_id=company_id).order_by("effective_from", "pk")
    for key, community_id, effective_from, pk, text in rows.values_list(
        "key", "community_id", "effective_from", "pk", "value"
    ):
        values.rows.setdefault((key, community_id), []).append((effective_from, pk, text))
    state.companies[company_id] = values
    return values


def _default_company_id() -> int | None:
    """The company whose defaults `policy(None, key)` reads: in practice the only one."""
    state = _state()
    if state.default_company is not None and _fresh(state.default_company[0]):
        return state.default_company[1]
    company_id = Company.objects.order_by("pk").values_list("pk", flat=True).first()
    state.default_company = (time.monotonic(), company_id)
    return company_id


@dataclass(frozen=True)
class PolicyState:
    """A key's company default and a community's override in force on a day."""

    spec: PolicySpec
    company_value: Any
    company_is_set: bool  # False: nothing set, the spec default applies
    override: Any = None
    has_override: bool = False

    @property
    def effective(self) -> Any:
        return self.override if self.has_override else self.company_value

    @property
    def company_value_display(self) -> str:
        return self.spec.format(self.company_value)

    @property
    def effective_display(self) -> str:
        return self.spec.format(self.effective)


def policy_state(
    community: Community | None, key: str, *, on: dt.date | None = None, company_id: int = 0
) -> PolicyState:
    """The company default and the community override of `key` in force on `on` (today)."""
    spec = get_spec(key)
    company_id = company_id or (community.company_id if community else _default_company_id() or 0)
    if not company_id:
        return PolicyState(spec, copy.copy(spec.default), False)
    values = _company_values(company_id)
    day = on or timezone.localdate()
    company_value = values.effective(spec, None, day)
    override = _MISSING
    if community is not None and spec.scope == Scope.COMMUNITY:
        override = values.effective(spec, community.pk, day)
    return PolicyState(
        spec,
        copy.copy(spec.default if company_value is _MISSING else company_value),
        company_value is not _MISSING,
        None if override is _MISSING else copy.copy(override),
        override is not _MISSING,
    )


def policy(community: Community | None, key: str, *, on: dt.date | None = None) -> Any:
    """The typed value of `key` in force on `on` (default today) for `community`: its
    override, else the company default, else the spec default. `None`: the company default.
    Unknown key: KeyError (a programming error)."""
    return policy_state(community, key, on=on).effective


def policy_over(
    community: Community | None, key: str, first_day: dt.date, last_day: dt.date
) -> list[tuple[dt.date, Any]]:
    """The values of `key` in force for `community` from `first_day` to `last_day`: the one
    on `first_day`, then each day inside the span on which a company default or the
    community's override takes effect, with the value in force from it (`policy(...)` on
    that day). From the cached rows, so no query once the company is loaded."""
    spec = get_spec(key)
    company_id = community.company_id if community else _default_company_id() or 0
    days = {first_day}
    if company_id:
        values = _company_values(company_id)
        scopes: list[int | None] = [None]
        if community is not None and spec.scope == Scope.COMMUNITY:
            scopes.append(community.pk)
        for scope in scopes:
            days |= {
                start
                for start, _pk, _text in values.rows.get((key, scope), [])
                if first_day < start <= last_day
            }
    return [
        (day, policy_state(community, key, on=day, company_id=company_id).effective)
        for day in sorted(days)
    ]


def policy_states(
    community: Community | None, *, company_id: int = 0, specs: list[PolicySpec] | None = None
) -> list[PolicyState]:
    """States of many keys for one community (or company defaults only): one query."""
    chosen = all_specs() if specs is None else specs
    return [policy_state(community, spec.key, company_id=company_id) for spec in chosen]


# --- change history ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PolicyChange:
    """One row of a key's history with the value it replaced in the same scope."""

    row: PolicyValue
    old: str
    new: str


def policy_changes(key: str, user: User) -> list[PolicyChange]:
    """Every change of `key` the user may see, newest first, each with its old value."""
    spec = get_spec(key)
    rows = (
        PolicyValue.objects.visible_to(user)
        .filter(key=key)
        .select_related("community", "set_by")
        .order_by("pk")
    )
    last: dict[int | None, str] = {}
    changes: list[PolicyChange] = []
    for row in rows:
        new = _display(spec, row.value)
        changes.append(PolicyChange(row, last.get(row.community_id, ""), new))
        last[row.community_id] = new
    return changes[::-1]


def _display(spec: PolicySpec, text: str) -> str:
    try:
        return spec.format(spec.from_json(text))
    except ValidationError:
        return text


def proposal_value_display(proposal: PolicyProposal) -> str:
    return _display(get_spec(proposal.key), proposal.value)


def visible_proposals(user: User, *, key: str | None = None) -> QuerySet[PolicyProposal]:
    proposals = PolicyProposal.objects.visible_to(user).select_related(
        "community", "proposed_by", "decided_by"
    )
    return proposals.filter(key=key) if key else proposals


def open_proposal_count(user: User) -> int:
    return visible_proposals(user).filter(status=ProposalStatus.PROPOSED).count()


# --- who may change what (spec §26) ----------------------------------------------------------
def _company_wide(user: User, perm: str) -> bool:
    access = get_access(user)
    return access.is_superuser or perm in access.company_perms


def can_set_policy(user: User, spec: PolicySpec, community: Community | None) -> bool:
    """Company default: management/admin, or finance/HR for their keys. Community override:
    the director there (operations), finance (financial), HR (HR keys)."""
    if community is None:
        if _company_wide(user, COMPANY_PERM):
            return True
        return spec.domain != Domain.OPERATIONS and _company_wide(user, DOMAIN_PERMS[spec.domain])
    if spec.scope == Scope.COMPANY:
        return False
    return get_access(user).has_perm(DOMAIN_PERMS[spec.domain], community.pk)


def can_propose_policy(user: User, community: Community | None) -> bool:
    return get_access(user).has_perm(PROPOSE_PERM, community.pk if community else None)


def can_decide_proposal(user: User, proposal: PolicyProposal) -> bool:
    """Whoever may set the value decides, except the proposer (separation of duties)."""
    return proposal.proposed_by_id != user.pk and can_set_policy(
        user, get_spec(proposal.key), proposal.community
    )


def proposal_deciders(proposal: PolicyProposal) -> QuerySet[User]:
    """Active staff who may approve `proposal` (its proposer excluded), in one query."""
    spec = get_spec(proposal.key)
    if proposal.community_id is None and spec.domain == Domain.OPERATIONS:
        perms = [COMPANY_PERM]
    elif proposal.community_id is None:
        perms = [COMPANY_PERM, DOMAIN_PERMS[spec.domain]]
    else:
        perms = [DOMAIN_PERMS[spec.domain]]
    holders = staff_holding(
        perms, company_id=proposal.company_id, community_id=proposal.community_id
    )
    return holders.exclude(pk=proposal.proposed_by_id).order_by("pk")


_DOMAIN_ROLE = {Domain.FINANCIAL: Role.FINANCE, Domain.HR: Role.HR}


def who_may_change(spec: PolicySpec) -> dict[str, str]:
    """The roles that set the company default and the community override of `spec`."""
    default_roles = [Role.MANAGEMENT, Role.ADMIN]
    if spec.domain in _DOMAIN_ROLE:
        default_roles.insert(0, _DOMAIN_ROLE[spec.domain])
    override = ""
    if spec.scope == Scope.COMMUNITY:
        override = str(_DOMAIN_ROLE.get(spec.domain, Role.DIRECTOR).label)
    return {
        "default": ", ".join(str(role.label) for role in default_roles),
        "override": override or str(_("not allowed (company-wide)")),
    }
