"""Staff accounts: create, change, deactivate and reactivate (never delete), passwords."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guanjia.core.access import forget_access, require_perm
from guanjia.core.text import clean_name, scripts_of

from ..models import User, mobile_validator
from .tokens import revoke_all_api_tokens

REASON_MAX_LENGTH = 100  # django-simple-history keeps the change reason in 100 characters


@dataclass(frozen=True)
class StaffDetails:
    """What an administrator keeps about a staff member besides the login (roster fields)."""

    full_name: str
    staff_no: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class NewStaff:
    """A created account and its initial password (shown once when it was generated)."""

    user: User
    password: str
    generated: bool


def generate_password(length: int = 12) -> str:
    """A random password without look-alike characters (0/O, 1/l/I), letters and digits."""
    letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
    digits = "23456789"
    chars = [secrets.choice(letters) for _ in range(length - 2)]
    chars += [secrets.choice(digits) for _ in range(2)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _clean_username(username: str) -> str:
    """NFKC-normalised (full-width letters become ASCII, as at login), one writing system
    (a Cyrillic і in "admin" is refused), the model's validators, unique in any case."""
    username = User.normalize_username(username.strip())
    field = User._meta.get_field("username")
    try:
        if not username:
            raise ValidationError(_("Enter a username."), code="required")
        if len(scripts_of(username)) > 1:
            raise ValidationError(
                _(
                    "A username is written in one alphabet: this one mixes letters of "
                    "different alphabets, which can pass for another user's name."
                ),
                code="mixed_scripts",
            )
        field.run_validators(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.error_list}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _duplicate_username(username)})
    return username


def _duplicate_username(username: str) -> ValidationError:
    return ValidationError(
        _("A staff account with the username “%(username)s” already exists."),
        code="duplicate_username",
        params={"username": username},
    )


def _clean_details(
    details: StaffDetails, *, company_id: int | None, pk: int | None
) -> StaffDetails:
    errors: dict[str, ValidationError] = {}
    try:
        full_name = clean_name(details.full_name).strip()
    except ValidationError as exc:
        errors["full_name"], full_name = exc, ""
    cleaned = StaffDetails(
        full_name=full_name,
        staff_no=details.staff_no.strip(),
        phone="".join(details.phone.split()).replace("-", ""),
        email=details.email.strip(),
    )
    if "full_name" not in errors and not cleaned.full_name:
        errors["full_name"] = ValidationError(_("Enter the full name."), code="required")
    elif len(cleaned.full_name) > 50:
        errors["full_name"] = ValidationError(_("At most 50 characters."), code="max_length")
    if len(cleaned.staff_no) > 20:
        errors["staff_no"] = ValidationError(_("At most 20 characters."), code="max_length")
    elif cleaned.staff_no and _staff_no_taken(cleaned.staff_no, company_id=company_id, pk=pk):
        errors["staff_no"] = ValidationError(
            _("Another staff account already has the staff number “%(staff_no)s”."),
            code="duplicate_staff_no",
            params={"staff_no": cleaned.staff_no},
        )
    for name, validator in (("phone", mobile_validator), ("email", validate_email)):
        value = getattr(cleaned, name)
        try:
            if value:
                validator(value)
        except ValidationError as exc:
            errors[name] = exc
    if errors:
        raise ValidationError(errors)
    return cleaned


def _staff_no_taken(staff_no: str, *, company_id: int | None, pk: int | None) -> bool:
    taken: bool = (
        User.objects.filter(company_id=company_id, staff_no__iexact=staff_no)
        .exclude(pk=pk)
        .exists()
    )
    return taken


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc


@transaction.atomic
def create_staff(
    *,
    username: str,
    details: StaffDetails,
    password: str | None = None,
    by: User,
    login: bool = True,
) -> NewStaff:
    """A new active staff account in the administrator's company, without roles yet.

    With no password given one is generated; the caller shows it once, it is never stored.
    `login=False` (imports) leaves the account without a usable password until an
    administrator sets one.
    """
    require_perm(by, "accounts.add_user")
    username = _clean_username(username)
    details = _clean_details(details, company_id=by.company_id, pk=None)
    user = User(username=username, company_id=by.company_id, **asdict(details))
    generated = login and not password
    password = (password or generate_password()) if login else ""
    if login:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent request took the username meanwhile
        raise ValidationError({"username": _duplicate_username(username)}) from exc
    return NewStaff(user=user, password=password, generated=generated)


def locked_user(user: User) -> User:
    """The account, its row locked until the transaction ends (one change at a time)."""
    result: User = User.objects.select_for_update().get(pk=user.pk)
    return result


@transaction.atomic
def update_staff(*, user: User, details: StaffDetails, by: User) -> User:
    """Change the roster fields of an account (the username stays)."""
    require_perm(by, "accounts.change_user")
    user = locked_user(user)
    details = _clean_details(details, company_id=user.company_id, pk=user.pk)
    changed = [name for name, value in asdict(details).items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, getattr(details, name))
        user._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
        user.save(update_fields=changed)
    return user


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give a reason."), code="reason_required")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("At most %(limit)d characters."),
                    code="max_length",
                    params={"limit": REASON_MAX_LENGTH},
                )
            }
        )
    return reason


def _set_active(user: User, *, active: bool, by: User, reason: str) -> User:
    user.is_active = active
    user._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    user._change_reason = reason  # type: ignore[attr-defined]  # ditto
    user.save(update_fields=["is_active"])
    forget_access(user)
    return user


@transaction.atomic
def deactivate_staff(*, user: User, by: User, reason: str) -> User:
    """The account can no longer log in (open sessions end on their next request).

    Memberships are kept as they are: the history shows what the person held.
    """
    require_perm(by, "accounts.change_user")
    reason = _clean_reason(reason, required=True)
    user = locked_user(user)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="deactivate_self")
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."), code="already_inactive")
    revoke_all_api_tokens(user=user)
    return _set_active(user, active=False, by=by, reason=reason)


@transaction.atomic
def reactivate_staff(*, user: User, by: User, reason: str = "") -> User:
    """The account may log in again, with the memberships it still holds."""
    require_perm(by, "accounts.change_user")
    reason = _clean_reason(reason, required=False)
    user = locked_user(user)
    if user.is_active:
        raise ValidationError(_("This account is already active."), code="already_active")
    return _set_active(user, active=True, by=by, reason=reason)


@transaction.atomic
def set_staff_password(*, user: User, password: str | None = None, by: User) -> NewStaff:
    """An administrator sets (or generates) a new password; the history notes when and who."""
    require_perm(by, "accounts.change_user")
    user = locked_user(user)
    generated = not password
    password = password or generate_password()
    _check_password(password, user)
    user.set_password(password)
    user._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    user._change_reason = gettext_noop("Password set by an administrator")  # type: ignore[attr-defined]
    user.save(update_fields=["password"])
    revoke_all_api_tokens(user=user)  # they would fail anyway: the password changed
    return NewStaff(user=user, password=password, generated=generated)
