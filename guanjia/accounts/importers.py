"""Staff accounts from and to Excel, through the shared import framework (core.imports).

One row is one account and at most one role; an account with several roles takes several
rows with the same username (the export writes them that way, so an export imports back).
An existing username updates that account: empty cells keep what is there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.imports.base import (
    Column,
    ColumnType,
    CommitReport,
    Exporter,
    Importer,
    ImportRow,
    ImportRowError,
    normalise_mobile,
)
from guanjia.core.models import Community
from guanjia.core.personal_data import mask_phone
from guanjia.core.roles import COMPANY_ROLES, Role, role_label

from .filters import StaffFilter
from .models import Membership, User, mobile_validator
from .selectors import with_current_memberships
from .services import RoleGrant, StaffDetails, add_membership, create_staff, update_staff

# The Chinese names staff use for each role, besides its code and its translated label.
ROLE_ALIASES: dict[str, str] = {
    "管理处主任": Role.DIRECTOR,
    "主任": Role.DIRECTOR,
    "客服主管": Role.SUPERVISOR,
    "主任助理": Role.SUPERVISOR,
    "前台接待员": Role.RECEPTIONIST,
    "前台": Role.RECEPTIONIST,
    "接待员": Role.RECEPTIONIST,
    "收费员": Role.CASHIER,
    "管理员": Role.AREA_MANAGER,
    "片区管理员": Role.AREA_MANAGER,
    "工程主管": Role.ENGINEERING_LEAD,
    "维修工": Role.TECHNICIAN,
    "维修员": Role.TECHNICIAN,
    "秩序维护": Role.SECURITY,
    "秩序维护员": Role.SECURITY,
    "保安": Role.SECURITY,
    "财务": Role.FINANCE,
    "财务部": Role.FINANCE,
    "行政人事": Role.HR,
    "行政人事部": Role.HR,
    "人事": Role.HR,
    "公司管理层": Role.MANAGEMENT,
    "审计": Role.AUDITOR,
    "审计员": Role.AUDITOR,
    "系统管理员": Role.ADMIN,
}
_SEPARATORS = re.compile(r"[\s,，、;；/]+")
_MASKED_PHONE = re.compile(r"^\d{3}\*+\d{4}$")

STAFF_COLUMNS = (
    Column(
        "username",
        "用户名",
        "Username",
        required=True,
        max_length=150,
        example="zhangsan",
        help_text=gettext_lazy("Login name. An existing username updates that account."),
    ),
    Column(
        "full_name",
        "姓名",
        "Full name",
        max_length=50,
        example="张三",
        help_text=gettext_lazy("Required for a new account."),
    ),
    Column("staff_no", "工号", "Staff no.", max_length=20, example="S100"),
    Column(
        "phone",
        "手机",
        "Mobile",
        max_length=20,
        normalise=normalise_mobile,
        personal=True,
        example="13800001234",
        help_text=gettext_lazy("11-digit mainland China mobile number."),
    ),
    Column("email", "邮箱", "Email", type=ColumnType.EMAIL, max_length=254),
    Column(
        "role",
        "角色",
        "Role",
        max_length=40,
        example="前台接待员",
        help_text=gettext_lazy("A role code (e.g. receptionist) or its Chinese name."),
    ),
    Column(
        "communities",
        "小区代码",
        "Community codes",
        max_length=200,
        example="cuihu",
        help_text=gettext_lazy(
            "Community codes separated by commas; empty for company-wide roles."
        ),
    ),
)
_DETAIL_FIELDS = ("full_name", "staff_no", "phone", "email")


def role_lookup() -> dict[str, str]:
    """Every accepted spelling of a role (code, alias, label in Chinese and English) -> code."""
    names: dict[str, str] = {key.casefold(): str(value) for key, value in ROLE_ALIASES.items()}
    for role in Role:
        names[role.value.casefold()] = role.value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names[str(role.label).casefold()] = role.value
    return names


class StaffImporter(Importer):
    code = "staff"
    label = gettext_lazy("Staff accounts")
    columns = STAFF_COLUMNS
    permission = "accounts.add_user"
    company_wide = True
    done_url_name = "accounts:staff-list"
    count_labels = {
        "memberships": gettext_lazy("Roles added"),
        "grant_requests": gettext_lazy("Roles awaiting a second approval"),
    }

    def prepare(self, rows: Sequence[ImportRow]) -> None:
        usernames = {str(row.data.get("username") or "") for row in rows} - {""}
        self.existing: dict[str, User] = {}
        for chunk in _chunks(sorted(usernames), 500):
            for user in User.objects.filter(username__in=chunk):
                self.existing[user.username.casefold()] = user
        self.communities = {
            community.code.casefold(): community
            for community in Community.objects.visible_to(self.by).filter(is_active=True)
        }
        self.staff_numbers = {
            staff_no.casefold(): pk
            for pk, staff_no in User.objects.filter(company_id=self.by.company_id)
            .exclude(staff_no="")
            .values_list("pk", "staff_no")
        }
        self.roles = role_lookup()
        self.first_rows: dict[str, dict[str, Any]] = {}
        self.file_staff_numbers: dict[str, str] = {}

    def validate_row(self, row: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[ValidationError]] = {}
        key = row["username"].casefold()
        existing = self.existing.get(key)
        self._check_username(row, existing, errors)
        self._check_details(row, existing, errors)
        self._check_role(row, existing, errors)
        if errors:
            raise ValidationError(errors)
        self.first_rows.setdefault(key, row)
        return row

    def _check_username(self, row: dict[str, Any], existing: User | None, errors: dict) -> None:
        try:
            User._meta.get_field("username").run_validators(row["username"])
        except ValidationError as exc:
            errors.setdefault("username", []).extend(exc.error_list)
        if existing is not None and existing.company_id != self.by.company_id:
            errors.setdefault("username", []).append(
                ValidationError(_("This username belongs to an account of another company."))
            )
        elif (
            existing is None
            and row["username"].casefold() not in self.first_rows
            and not row["full_name"]
        ):
            errors.setdefault("full_name", []).append(
                ValidationError(_("A new account needs a full name."))
            )

    def _check_details(self, row: dict[str, Any], existing: User | None, errors: dict) -> None:
        phone = row["phone"]
        if phone and _MASKED_PHONE.match(phone):
            if existing is not None and mask_phone(existing.phone) == phone:
                row["phone"] = ""  # the masked number of an export: keep the stored one
            else:
                errors.setdefault("phone", []).append(
                    ValidationError(_("A masked number can only stand for the stored one."))
                )
        elif phone:
            try:
                mobile_validator(phone)
            except ValidationError as exc:
                errors.setdefault("phone", []).append(exc)
        first = self.first_rows.get(row["username"].casefold())
        for name in _DETAIL_FIELDS:
            if first is not None and row[name] and first[name] and row[name] != first[name]:
                errors.setdefault(name, []).append(
                    ValidationError(_("Differs from an earlier row for the same username."))
                )
        self._check_staff_no(row, existing, errors)

    def _check_staff_no(self, row: dict[str, Any], existing: User | None, errors: dict) -> None:
        staff_no = row["staff_no"].casefold()
        if not staff_no:
            return
        holder = self.staff_numbers.get(staff_no)
        in_file = self.file_staff_numbers.setdefault(staff_no, row["username"].casefold())
        if (holder is not None and (existing is None or holder != existing.pk)) or (
            in_file != row["username"].casefold()
        ):
            errors.setdefault("staff_no", []).append(
                ValidationError(_("Another account already has this staff number."))
            )

    def _check_role(self, row: dict[str, Any], existing: User | None, errors: dict) -> None:
        codes = [code for code in _SEPARATORS.split(row["communities"]) if code]
        role = self.roles.get(row["role"].casefold()) if row["role"] else None
        if row["role"] and role is None:
            errors.setdefault("role", []).append(
                ValidationError(
                    _("Unknown role “%(role)s”. Use a role code or its name, e.g. %(example)s.")
                    % {"role": row["role"], "example": "receptionist / 前台接待员"}
                )
            )
        unknown = [code for code in codes if code.casefold() not in self.communities]
        if unknown:
            errors.setdefault("communities", []).append(
                ValidationError(
                    _("Unknown community code: %(codes)s.") % {"codes": "、".join(unknown)}
                )
            )
        if role is not None and existing is not None and not existing.is_active:
            errors.setdefault("role", []).append(
                ValidationError(_("The account is deactivated: reactivate it first."))
            )
        if role is not None and existing is not None and existing.pk == self.by.pk:
            self._check_own_role(role, codes, errors)
        self._check_role_place(role, codes, row, errors)
        row["role"] = role or ""
        row["communities"] = [self.communities[c.casefold()].code for c in codes if not unknown]

    def _check_own_role(self, role: str, codes: list[str], errors: dict) -> None:
        """The importer's own row may repeat roles they hold (an export read back), never
        add one: nobody grants themselves a role."""
        held = {
            (name, code.casefold() if code else None)
            for name, code in self.by.memberships.active_on().values_list(
                "role__name", "community__code"
            )
        }
        wanted: set[tuple[str, str | None]] = {(role, code.casefold()) for code in codes}
        if not (wanted or {(role, None)}) <= held:
            errors.setdefault("role", []).append(
                ValidationError(
                    _("Nobody grants themselves a role: another administrator must give it to you.")
                )
            )

    def _check_role_place(
        self, role: str | None, codes: list[str], row: dict[str, Any], errors: dict
    ) -> None:
        if role in COMPANY_ROLES and codes:
            message = _("%(role)s is a company-wide role: leave the community codes empty.")
        elif role is not None and role not in COMPANY_ROLES and not codes:
            message = _("%(role)s is held in a community: give its code.")
        elif role is None and codes and not row["role"]:
            message = _("Give the role held in these communities.")
        else:
            return
        errors.setdefault("communities", []).append(
            ValidationError(message % {"role": role_label(role or "")})
        )

    def commit(
        self, rows: Sequence[ImportRow], *, by: User, community: Community | None
    ) -> CommitReport:
        groups: dict[str, list[ImportRow]] = {}
        for row in rows:
            groups.setdefault(row.data["username"].casefold(), []).append(row)
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        counts = {"memberships": 0, "grant_requests": 0}
        for group in groups.values():
            try:
                outcome, user = self._write_account(group, by=by)
                totals[outcome] += 1
                for kind, number in self._write_memberships(user, group, by=by).items():
                    counts[kind] += number
            except ValidationError as exc:
                raise ImportRowError(group[0].line, exc) from exc
            except PermissionDenied as exc:  # a role for oneself, refused by the service
                raise ImportRowError(
                    group[0].line, ValidationError({"role": str(exc) or _("Not allowed.")})
                ) from exc
        return CommitReport(
            created=totals["created"],
            updated=totals["updated"],
            unchanged=totals["unchanged"],
            counts=counts,
        )

    def _write_account(self, group: list[ImportRow], *, by: User) -> tuple[str, User]:
        merged = {
            name: next((row.data[name] for row in group if row.data[name]), "")
            for name in _DETAIL_FIELDS
        }
        username = group[0].data["username"]
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            new = create_staff(
                username=username, details=StaffDetails(**merged), by=by, login=False
            )
            return "created", new.user
        details = StaffDetails(**{n: merged[n] or getattr(user, n) for n in _DETAIL_FIELDS})
        before = [getattr(user, name) for name in _DETAIL_FIELDS]
        user = update_staff(user=user, details=details, by=by)
        after = [getattr(user, name) for name in _DETAIL_FIELDS]
        return ("updated" if before != after else "unchanged"), user

    def _write_memberships(self, user: User, group: list[ImportRow], *, by: User) -> dict[str, int]:
        """Roles given now ("memberships") and sensitive ones filed for approval."""
        today = timezone.localdate()
        held = set(user.memberships.active_on(today).values_list("role__name", "community_id"))
        codes = {code for row in group for code in row.data["communities"]}
        communities = {
            community.code: community
            for community in Community.objects.visible_to(by).filter(code__in=codes)
        }
        added = {"memberships": 0, "grant_requests": 0}
        for row in group:
            role = row.data["role"]
            missing = [code for code in row.data["communities"] if code not in communities]
            if missing:
                raise ImportRowError(
                    row.line,
                    ValidationError(
                        {
                            "communities": _("Unknown community code: %(codes)s.")
                            % {"codes": "、".join(missing)}
                        }
                    ),
                )
            places = [communities[code] for code in row.data["communities"]] or [None]
            for place in places if role else []:
                if (role, place.pk if place else None) in held:
                    continue
                try:
                    given = add_membership(
                        user=user, grant=RoleGrant(role, place, starts_on=today), by=by
                    )
                except ValidationError as exc:
                    raise ImportRowError(row.line, exc) from exc
                held.add((role, place.pk if place else None))
                added["memberships" if isinstance(given, Membership) else "grant_requests"] += 1
        return added


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class StaffExporter(Exporter):
    """The staff list as filtered on the page: one row per account and role, phones masked."""

    code = "staff"
    label = gettext_lazy("Staff accounts")
    columns = STAFF_COLUMNS
    permission = "accounts.view_user"

    def _queryset(self) -> Any:
        filterset = StaffFilter(
            self.params,
            queryset=User.objects.visible_to(self.by),
            request=SimpleNamespace(user=self.by),
        )
        if not filterset.is_valid():  # never export everything because a filter was wrong
            raise ValidationError(
                [
                    f"{filterset.form[name].label}: {' '.join(errors)}"
                    for name, errors in filterset.errors.items()
                ],
                code="bad_filter",
            )
        return filterset.qs.order_by("username")

    def count(self) -> int:
        return self._queryset().count()

    def rows(self) -> Iterable[Mapping[str, Any]]:
        queryset = with_current_memberships(self._queryset(), self.by)
        for user in queryset.iterator(chunk_size=500):
            base = {
                "username": user.username,
                "full_name": user.full_name,
                "staff_no": user.staff_no,
                "phone": mask_phone(user.phone),
                "email": user.email,
            }
            places: dict[str, list[str]] = {}
            for membership in user.current_memberships:
                codes = places.setdefault(membership.role.name, [])
                if membership.community is not None:
                    codes.append(membership.community.code)
            if not places:
                yield {**base, "role": "", "communities": ""}
            for role, codes in places.items():
                yield {**base, "role": role_label(role), "communities": ",".join(codes)}
