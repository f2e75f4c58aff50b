"""Registers hanging off a unit: vehicles, parking spaces, pets, documents and notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel

from .people import Person
from .property import Unit


class Vehicle(TimeStampedModel):
    """A resident's vehicle, by its normalised plate (粤A12345)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("community")
    )
    plate = models.CharField(_("plate"), max_length=12)
    plate_tail = models.CharField(_("plate without province"), max_length=11, editable=False)
    model = models.CharField(_("make and model"), max_length=50, blank=True)
    colour = models.CharField(_("colour"), max_length=20, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("owner"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("unit"),
    )
    is_active = models.BooleanField(_("registered"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["community", "plate"]
        constraints = [
            models.UniqueConstraint(
                fields=["plate", "community"],
                name="vehicle_unique_plate",
                violation_error_message=_("This plate is already registered in this community."),
                violation_error_code="duplicate_plate",
            ),
        ]
        indexes = [models.Index(fields=["plate_tail", "community"], name="vehicle_plate_tail")]

    def __str__(self) -> str:
        return self.plate


class ParkingKind(models.TextChoices):
    UNDERGROUND = "underground", _("Underground")  # 地下
    SURFACE = "surface", _("Surface")  # 地面
    MECHANICAL = "mechanical", _("Mechanical")  # 机械


class Tenure(models.TextChoices):
    OWNED = "owned", _("Owned")  # 产权
    RENTED = "rented", _("Rented")  # 租用
    UNASSIGNED = "unassigned", _("Unassigned")  # 未分配


class ParkingSpace(TimeStampedModel):
    """A parking space (车位) of the community, owned by or rented to a household."""

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="parking_spaces",
        verbose_name=_("community"),
    )
    number = models.CharField(_("space no."), max_length=20)
    kind = models.CharField(
        _("type"), max_length=20, choices=ParkingKind, default=ParkingKind.UNDERGROUND
    )
    tenure = models.CharField(_("tenure"), max_length=20, choices=Tenure, default=Tenure.UNASSIGNED)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parking_spaces",
        verbose_name=_("unit"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parking_spaces",
        verbose_name=_("holder"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("parking space")
        verbose_name_plural = _("parking spaces")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="parkingspace_unique_number",
                violation_error_message=_("A parking space with this number already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Species(models.TextChoices):
    DOG = "dog", _("Dog")
    CAT = "cat", _("Cat")
    OTHER = "other", _("Other")


class Pet(TimeStampedModel):
    """A registered pet of a household (dog licences are a city rule)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="pets", verbose_name=_("unit")
    )
    species = models.CharField(_("species"), max_length=10, choices=Species, default=Species.DOG)
    name = models.CharField(_("name"), max_length=30, blank=True)
    breed = models.CharField(_("breed"), max_length=30, blank=True)
    licence_no = models.CharField(_("licence no."), max_length=30, blank=True)
    vaccinated_on = models.DateField(_("last vaccinated"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pet")
        verbose_name_plural = _("pets")
        ordering = ["unit", "pk"]

    def __str__(self) -> str:
        return self.name or self.get_species_display()


class DocumentKind(models.TextChoices):
    OWNERSHIP_PROOF = "ownership_proof", _("Ownership proof")  # 产权证明
    ID_COPY = "id_copy", _("ID copy")  # 身份证复印件
    CONTRACT = "contract", _("Contract")  # 合同
    OTHER = "other", _("Other")


class UnitDocument(TimeStampedModel):
    """An uploaded file of the household archive: ownership proof, ID copy, contract."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="documents", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind)
    title = models.CharField(_("title"), max_length=100)
    # Stored under a random name (core.files); the name the user gave is `original_name`.
    file = models.FileField(_("file"), upload_to=RandomName("estates/documents"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit document")
        verbose_name_plural = _("unit documents")
        ordering = ["unit", "-created_at"]

    def __str__(self) -> str:
        return self.title


class UnitNote(TimeStampedModel):
    """A dated note in the household archive (visit, phone call, agreement); never edited."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="notes", verbose_name=_("unit")
    )
    text = models.TextField(_("note"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit note")
        verbose_name_plural = _("unit notes")
        ordering = ["unit", "-at"]

    def __str__(self) -> str:
        return self.text[:40]
