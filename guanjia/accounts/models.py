"""Staff accounts, their roles, and where (which communities, for which period) they hold them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords

from guanjia.core import workflows
from guanjia.core.models import Community, Company, TimeStampedModel
from guanjia.core.personal_data import mask_phone
from guanjia.core.roles import Role

AUTH_HASH_SALT = "guanjia.accounts.User.get_session_auth_hash"


# Mainland China mobile numbers: 11 digits, 1 then 3-9.
mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter a mainland China mobile number: 11 digits starting with 13 to 19."),
    code="invalid_mobile",
)


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, viewer: User) -> UserQuerySet:
        """Staff accounts `viewer` may see: the whole company for company-wide roles, else
        staff holding a current or future membership in the viewer's communities."""
        from guanjia.core.access import get_access

        access = get_access(viewer)
        if access.is_superuser:
            return self.all()
        in_my_communities = Membership.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()),
            community_id__in=access.community_ids,
        ).values("user_id")
        condition = Q(pk__in=in_my_communities)
        company_id = getattr(viewer, "company_id", None)
        if None in access.roles_by_community and company_id is not None:
            condition |= Q(company_id=company_id)
        return self.filter(condition)

    def search(self, text: str) -> UserQuerySet:
        """Username, name or staff number containing `text`, or a phone ending in 4 digits."""
        text = text.strip()
        if not text:
            return self
        condition = (
            Q(username__icontains=text) | Q(full_name__icontains=text) | Q(staff_no__icontains=text)
        )
        if text.isdigit() and len(text) == 4:
            condition |= Q(phone__endswith=text)
        return self.filter(condition)


class StaffManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager with the staff queryset methods (`visible_to`, `search`)."""


class User(AbstractUser):  # type: ignore[django-manager-missing]  # knox's manager is untyped
    """A staff member's login. Accounts are deactivated, never deleted."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    staff_no = models.CharField(_("staff number"), max_length=20, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("company"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages and notifications in this language; empty: the browser's."),
    )
    # Changed by "log out everywhere": every session and API token made before ends.
    auth_stamp = models.CharField(max_length=32, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "auth_stamp"])

    objects: ClassVar[StaffManager] = StaffManager()  # adds visible_to

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        ordering = ["username"]
        permissions = [("unlock_user", _("Can unlock a locked-out account"))]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    # Sessions (and API tokens, which store it) are valid while this hash stays the same:
    # Django changes it with the password, "log out everywhere" with `auth_stamp`. Without a
    # stamp it is Django's own hash, so sessions made before the stamp existed stay valid.
    def get_session_auth_hash(self) -> str:
        if not self.auth_stamp:
            return super().get_session_auth_hash()
        return self._stamped_auth_hash(None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        if not self.auth_stamp:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._stamped_auth_hash(secret)

    def _stamped_auth_hash(self, secret: str | bytes | None) -> str:
        value = f"{self.password}:{self.auth_stamp}"
        return salted_hmac(AUTH_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None) -> MembershipQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Membership(TimeStampedModel):
    """One role held by one staff member in one community (or company-wide) for a period.

    An acting membership (顶岗/代理) covers a colleague for a fixed period and must end.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("staff")
    )
    role = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("role")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("community"),
        help_text=_("Leave empty for a company-wide role."),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_acting = models.BooleanField(_("acting"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "community", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(is_acting=False) | Q(ends_on__isnull=False),
                name="membership_acting_has_end",
                violation_error_message=_("An acting assignment needs an end date."),
            ),
        ]
        indexes = [models.Index(fields=["user", "starts_on"], name="membership_user_start")]

    def __str__(self) -> str:
        where = self.community or _("whole company")
        return f"{self.user} · {self.role.name} · {where}"


class ApiToken(AbstractAuthToken):
    """An API token of a user (django-rest-knox keeps only its digest): it expires by policy
    and dies with the user's password, "log out everywhere", revocation or deactivation."""

    # knox makes the digest the primary key; pages name a token by a plain number instead.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=128, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_token_set")
    expiry = models.DateTimeField(_("expires"))  # knox allows none; ours always expire
    name = models.CharField(_("name"), max_length=60, blank=True)
    # A digest of the user's session auth hash when the token was made (see User above).
    auth_check = models.CharField(max_length=64, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "expiry"], name="apitoken_user_expiry")]

    def __str__(self) -> str:
        return f"{self.name or self.token_key} ({self.user})"


# --- Grants of a role that approves money, policies or personal data (issue 10) -------------


class GrantStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


# The whole workflow: any move not listed here is refused.
GRANT_MOVES: dict[str, frozenset[str]] = {
    GrantStatus.REQUESTED: frozenset({GrantStatus.APPROVED, GrantStatus.REJECTED}),
    GrantStatus.APPROVED: frozenset(),
    GrantStatus.REJECTED: frozenset(),
}


class RoleGrantRequestQuerySet(models.QuerySet["RoleGrantRequest"]):
    def visible_to(self, viewer: User) -> RoleGrantRequestQuerySet:
        """Requests of the viewer's communities, and company-wide ones of the viewer's
        company for a company-wide role (as the staff list shows accounts)."""
        from guanjia.core.access import get_access

        access = get_access(viewer)
        if access.is_superuser:
            return self.all()
        condition = Q(community_id__in=access.community_ids)
        company_id = getattr(viewer, "company_id", None)
        if access.is_company_wide and company_id is not None:
            condition |= Q(community__isnull=True, user__company_id=company_id)
        return self.filter(condition)

    def pending(self) -> RoleGrantRequestQuerySet:
        return self.filter(status=GrantStatus.REQUESTED)


class RoleGrantRequest(workflows.ApprovalFields, TimeStampedModel):
    """A grant of a role that approves money, policies or personal data, waiting for a second
    authorised person: the membership exists only once it is approved."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="grant_requests", verbose_name=_("staff")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_requests",
        verbose_name=_("community"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_acting = models.BooleanField(_("acting"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus, default=GrantStatus.REQUESTED
    )
    membership = models.OneToOneField(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_request",
        verbose_name=_("membership"),
    )

    objects = RoleGrantRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("role grant request")
        verbose_name_plural = _("role grant requests")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_rolegrantrequest", _("Can approve or reject a role grant"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GrantStatus.values),
                name="rolegrantrequest_known_status",
                violation_error_message=_("Unknown status."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(status="requested"),
                name="rolegrantrequest_one_pending",
                violation_error_message=_("This role already awaits approval for this person."),
            ),
        ]
        indexes = [models.Index(fields=["status", "community"], name="rolegrantrequest_pending")]

    def __str__(self) -> str:
        where = self.community or _("whole company")
        return f"{self.user} · {self.get_role_display()} · {where}"


class RoleGrantEvent(workflows.WorkflowEvent):
    """One step of a role grant request: requested, approved or rejected, by whom and why."""

    statuses = dict(GrantStatus.choices)

    request = models.ForeignKey(
        RoleGrantRequest, on_delete=models.PROTECT, related_name="events", verbose_name=_("request")
    )

    class Meta(workflows.WorkflowEvent.Meta):
        verbose_name = _("role grant event")
        verbose_name_plural = _("role grant events")


APPROVE_GRANT = "accounts.approve_rolegrantrequest"


def _may_request_grant(user: User, request: RoleGrantRequest) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "accounts.add_membership", request.community_id)


def _may_decide_grant(user: User, request: RoleGrantRequest) -> bool:
    """The approval permission where the role is held: company-wide for a company role, in
    the company of the grantee."""
    from guanjia.core.access import get_access

    access = get_access(user)
    if access.is_superuser:
        return True
    if request.community_id is not None:
        return access.has_perm(APPROVE_GRANT, request.community_id)
    same_company = request.user.company_id == getattr(user, "company_id", None)
    return same_company and APPROVE_GRANT in access.company_perms


workflows.register(
    RoleGrantRequest,
    workflows.Transitions(
        moves=GRANT_MOVES,
        event_model=RoleGrantEvent,
        event_object="request",
        actor=_may_request_grant,
        approval=workflows.Approvals(
            requested=GrantStatus.REQUESTED,
            approved=GrantStatus.APPROVED,
            rejected=GrantStatus.REJECTED,
            may_decide=_may_decide_grant,
            reason_required=True,
        ),
    ),
)
