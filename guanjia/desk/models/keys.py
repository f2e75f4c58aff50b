"""Keys the office holds (钥匙托管, spec §04, §13, §25.5): the key, who may collect it, and
its loans (钥匙借用登记). Vacant units (§13) and move-in (§09) use the same register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.estates.models import Person, Unit


class KeyHolding(models.TextChoices):
    OFFICE = "office", _("Held by the office")  # 管理处保管（空置房、交房前）
    DEPOSITED = "deposited", _("Spare deposited by the owner")  # 业主寄存备用钥匙


class KeyKind(models.TextChoices):
    DOOR = "door", _("Entrance door")  # 入户门
    MAILBOX = "mailbox", _("Mailbox")  # 信报箱
    METER = "meter", _("Meter box")  # 表箱
    OTHER = "other", _("Other")  # 其他


class KeyQuerySet(CommunityScopedQuerySet):
    def held(self) -> KeyQuerySet:
        return self.filter(released_at__isnull=True)


class Key(TimeStampedModel):
    """One key (or bunch) of one unit in the office's key cabinet."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KeyKind, default=KeyKind.DOOR)
    holding = models.CharField(_("held as"), max_length=10, choices=KeyHolding)
    description = models.CharField(_("description"), max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(_("number of keys"), default=1)
    envelope_no = models.CharField(_("sealed envelope number"), max_length=30, blank=True)
    cabinet_slot = models.CharField(_("cabinet slot"), max_length=20)
    deposited_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deposited by"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("given back to the owner at"), null=True, blank=True)

    objects = KeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("key")
        verbose_name_plural = _("keys")
        ordering = ["community_id", "cabinet_slot", "pk"]
        permissions = [("approve_key_overnight", _("Can let a key stay out overnight"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "cabinet_slot"],
                condition=Q(released_at__isnull=True),
                name="key_one_per_slot",
                violation_error_message=_("Another key already hangs in this cabinet slot."),
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="key_count_positive"),
        ]
        indexes = [models.Index(fields=["unit"], name="key_by_unit")]

    def __str__(self) -> str:
        return f"{self.cabinet_slot} {self.unit.room_code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("desk:key-detail", args=[self.pk])


class KeyCollector(TimeStampedModel):
    """Someone the owner allows to collect the key (a person of the register, or named)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(Key, on_delete=models.PROTECT, related_name="collectors")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_last4 = models.CharField(_("ID number, last four"), max_length=4, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("authorised collector")
        verbose_name_plural = _("authorised collectors")
        ordering = ["key", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class KeyLoanQuerySet(CommunityScopedQuerySet):
    def out(self) -> KeyLoanQuerySet:
        return self.filter(returned_at__isnull=True)

    def overdue(self, now: object = None) -> KeyLoanQuerySet:
        return self.out().filter(due_at__lt=now or timezone.now())


class KeyLoan(TimeStampedModel):
    """One issue of a key and its return, each signed (钥匙借用登记表)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    key = models.ForeignKey(Key, on_delete=models.PROTECT, related_name="loans")
    collector = models.ForeignKey(
        KeyCollector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authorised collector"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    borrower_name = models.CharField(_("borrower"), max_length=50)
    purpose = models.CharField(_("purpose"), max_length=200)
    out_at = models.DateTimeField(_("out at"), default=timezone.now)
    due_at = models.DateTimeField(_("due back"))
    overnight_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overnight approved by"),
    )
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    out_signature = models.ImageField(
        _("borrower's signature"), upload_to=RandomName("desk/signatures")
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_signature = models.ImageField(
        _("signature on return"), upload_to=RandomName("desk/signatures"), blank=True
    )

    objects = KeyLoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("key loan")
        verbose_name_plural = _("key loans")
        ordering = ["-out_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(returned_at__isnull=True),
                name="keyloan_one_out",
                violation_error_message=_("This key is already out."),
            ),
            models.CheckConstraint(
                condition=Q(collector__isnull=False) | Q(staff__isnull=False),
                name="keyloan_has_borrower",
            ),
        ]
        indexes = [
            models.Index(
                fields=["community", "due_at"],
                condition=Q(returned_at__isnull=True),
                name="keyloan_out_by_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.borrower_name}"

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_at < timezone.now()
