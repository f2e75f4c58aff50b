"""People (spec §25.2): persons and organisations, ownerships, occupancies, data access log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.personal_data import mask_phone

from .property import Unit

if TYPE_CHECKING:
    from guanjia.core.access import AnyUser


class PersonKind(models.TextChoices):
    PERSON = "person", _("Natural person")  # 个人
    ORGANISATION = "organisation", _("Organisation")  # 单位


class Gender(models.TextChoices):
    UNSPECIFIED = "", _("Not given")
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class IdType(models.TextChoices):
    NONE = "", _("None given")
    RESIDENT_ID = "resident_id", _("Resident ID card")  # 居民身份证
    PASSPORT = "passport", _("Passport")  # 护照
    HK_MACAO_PERMIT = "hk_macao", _("Home return permit (HK/Macao)")  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "taiwan", _("Taiwan compatriot permit")  # 台湾居民来往大陆通行证
    FOREIGN_RESIDENCE = "foreign_pr", _("Foreign permanent resident ID")  # 外国人永久居留身份证
    CREDIT_CODE = "credit_code", _("Business licence (credit code)")  # 营业执照
    OTHER = "other", _("Other document")


class PiiField(models.TextChoices):
    """The personal fields that are masked and can be revealed with a reason."""

    MOBILE = "mobile", _("Mobile phone")
    OTHER_PHONE = "other_phone", _("Other phone")
    EMERGENCY_PHONE = "emergency_phone", _("Emergency contact phone")
    ID_NUMBER = "id_number", _("ID number")


class PersonQuerySet(CommunityScopedQuerySet):
    def visible_to(self, user: AnyUser) -> PersonQuerySet:
        """The people of the user's communities; where the user may not see owners (security,
        spec §26), only the current occupants: owners who do not live there stay hidden on
        every page, list, export, search and API."""
        from guanjia.core.access import get_access

        visible: PersonQuerySet = super().visible_to(user)  # type: ignore[assignment]
        access = get_access(user)
        if access.is_superuser:
            return visible
        hidden = [
            pk for pk in access.community_ids if not access.has_perm("estates.view_ownership", pk)
        ]
        if not hidden:
            return visible
        return visible.filter(~Q(community_id__in=hidden) | Q(Exists(_current_occupancy())))


def _current_occupancy() -> models.QuerySet[Any]:
    today = timezone.localdate()
    return Occupancy.objects.filter(person=OuterRef("pk"), starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


class Person(TimeStampedModel):
    """A natural person or an organisation (developer, company) known to one community.

    The ID number is stored encrypted (Fernet) with a keyed hash for exact lookup and a
    masked copy for display; phones are kept in clear but never shown unmasked by default.
    """

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="persons", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PersonKind, default=PersonKind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, editable=False, blank=True)
    name_initials = models.CharField(_("initials"), max_length=30, editable=False, blank=True)
    contact_person = models.CharField(
        _("contact person"), max_length=50, blank=True, help_text=_("For an organisation.")
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender, default=Gender.UNSPECIFIED, blank=True
    )
    id_type = models.CharField(
        _("ID type"), max_length=20, choices=IdType, default=IdType.NONE, blank=True
    )
    id_number_cipher = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_hash = models.CharField(
        _("ID number hash"), max_length=64, blank=True, editable=False
    )
    id_number_masked = models.CharField(_("ID number"), max_length=40, blank=True, editable=False)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    other_phone = models.CharField(_("other phone"), max_length=20, blank=True)
    phone_last4 = models.CharField(_("last four digits"), max_length=4, blank=True, editable=False)
    employer = models.CharField(_("work unit"), max_length=100, blank=True)
    emergency_name = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_relation = models.CharField(_("relation"), max_length=20, blank=True)
    emergency_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["id_number_cipher", "id_number_hash"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["community", "name_pinyin", "pk"]
        permissions = [
            ("reveal_personal_data", _("Can reveal phone and ID numbers with a reason")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="person_unique_id_number",
                violation_error_message=_(
                    "A person with this ID number is already registered in this community."
                ),
                violation_error_code="duplicate_id_number",
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="person_name_given",
                violation_error_message=_("A name is required."),
            ),
        ]
        indexes = [
            models.Index(fields=["name", "community"], name="person_name"),
            models.Index(fields=["name_pinyin", "community"], name="person_pinyin"),
            models.Index(fields=["name_initials", "community"], name="person_initials"),
            models.Index(fields=["mobile"], name="person_mobile"),
            models.Index(fields=["other_phone"], name="person_other_phone"),
            models.Index(fields=["phone_last4", "community"], name="person_phone_last4"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    @property
    def other_phone_masked(self) -> str:
        return mask_phone(self.other_phone)

    @property
    def emergency_phone_masked(self) -> str:
        return mask_phone(self.emergency_phone)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.mobile or self.other_phone)


class PeriodQuerySet(CommunityScopedQuerySet):
    def current(self, day: dt.date | None = None) -> PeriodQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Ownership(TimeStampedModel):
    """One owner's share of a unit for a period; a sale ends it and starts the buyers' ones."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="ownerships", verbose_name=_("unit")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="ownerships", verbose_name=_("owner")
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    starts_on = models.DateField(_("owner from"))
    ends_on = models.DateField(_("owner until"), null=True, blank=True)
    title_ref = models.CharField(_("title certificate no."), max_length=50, blank=True)
    contract_ref = models.CharField(_("purchase contract no."), max_length=50, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["unit", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100),
                name="ownership_share_range",
                violation_error_message=_("A share is above 0 and at most 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="ownership_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["person", "ends_on"], name="ownership_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.share}%"


class Relation(models.TextChoices):
    OWNER = "owner", _("Owner")  # 业主本人
    FAMILY = "family", _("Family member")  # 家属
    TENANT = "tenant", _("Tenant")  # 租户
    HELPER = "helper", _("Domestic helper")  # 保姆


class Occupancy(TimeStampedModel):
    """One person living in a unit for a period: the owner, family, a tenant or a helper."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("unit")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("occupant")
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation)
    starts_on = models.DateField(_("lives here from"), default=timezone.localdate)
    ends_on = models.DateField(_("moved out on"), null=True, blank=True)
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    lease_starts_on = models.DateField(_("lease starts"), null=True, blank=True)
    lease_ends_on = models.DateField(_("lease ends"), null=True, blank=True)
    consent_ref = models.CharField(
        _("owner's consent ref."),
        max_length=50,
        blank=True,
        help_text=_("Reference of the owner's written consent to the lease."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        ordering = ["unit", "-is_primary_contact", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(relation="tenant")
                | (
                    ~Q(consent_ref="")
                    & Q(lease_starts_on__isnull=False)
                    & Q(lease_ends_on__isnull=False)
                ),
                name="occupancy_tenant_needs_consent",
                violation_error_message=_(
                    "A tenant needs the lease dates and the reference of the owner's consent."
                ),
                violation_error_code="tenant_without_consent",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="occupancy_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(lease_ends_on__isnull=True)
                | Q(lease_starts_on__isnull=True)
                | Q(lease_ends_on__gte=models.F("lease_starts_on")),
                name="occupancy_lease_ends_after_start",
                violation_error_message=_("The lease must not end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_primary_contact=True, ends_on__isnull=True),
                name="occupancy_one_primary_contact",
                violation_error_message=_("This unit already has a primary contact."),
            ),
        ]
        indexes = [models.Index(fields=["person", "ends_on"], name="occupancy_person")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class PersonalDataAccess(TimeStampedModel):
    """One reveal of a masked phone or ID number: who saw whose which field, why and when."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="accesses", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    field = models.CharField(_("field"), max_length=20, choices=PiiField)
    reason = models.CharField(_("reason"), max_length=200)
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revealed by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="personaldataaccess_reason_given",
                violation_error_message=_("Give the reason for revealing personal data."),
            ),
        ]
        indexes = [models.Index(fields=["community", "at"], name="pdaccess_community_at")]

    def __str__(self) -> str:
        return f"{self.accessed_by_id} {self.person_id} {self.field}"
