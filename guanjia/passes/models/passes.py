"""Passes (出入证, spec §20): one row per pass issued to one person, its deposit, its life
(issued, returned, refunded or forfeited, lost and reissued, confiscated, expired), and every
check at the gate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import WorkflowEvent
from guanjia.estates.models import Unit

from .groups import PassGroup


class PassKind(models.TextChoices):
    RESIDENT = "resident", _("Resident card")  # 住户卡/业主证
    TENANT = "tenant", _("Tenant pass")  # 租赁户出入证
    WORKER_LONG = "worker_long", _("Renovation worker pass (long)")  # 装修出入证（长期）
    WORKER_SHORT = "worker_short", _("Renovation worker pass (short)")  # 装修出入证（短期）
    SERVICE = "service", _("Service or temporary pass")  # 劳务/临时出入证
    VISITOR = "visitor", _("Visitor slip")  # 访客临时证


WORKER_KINDS = (PassKind.WORKER_LONG, PassKind.WORKER_SHORT)


class PassStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")  # 已发放
    EXPIRED = "expired", _("Expired, not returned")  # 过期未交回
    RETURNED = "returned", _("Returned")  # 已交回
    REFUNDED = "refunded", _("Deposit refunded")  # 押金已退
    FORFEITED = "forfeited", _("Deposit forfeited")  # 押金不退
    LOST = "lost", _("Lost")  # 挂失
    REISSUED = "reissued", _("Reissued")  # 已补办
    CONFISCATED = "confiscated", _("Confiscated")  # 已没收


PASS_MOVES: dict[str, frozenset[str]] = {
    PassStatus.ISSUED: frozenset(
        {PassStatus.RETURNED, PassStatus.LOST, PassStatus.CONFISCATED, PassStatus.EXPIRED}
    ),
    PassStatus.EXPIRED: frozenset(
        {PassStatus.RETURNED, PassStatus.FORFEITED, PassStatus.LOST, PassStatus.CONFISCATED}
    ),
    PassStatus.RETURNED: frozenset({PassStatus.REFUNDED, PassStatus.FORFEITED}),
    PassStatus.LOST: frozenset({PassStatus.REISSUED}),
    PassStatus.REFUNDED: frozenset(),
    PassStatus.FORFEITED: frozenset(),
    PassStatus.REISSUED: frozenset(),
    PassStatus.CONFISCATED: frozenset(),
}
# The number reads "blacklisted" at the gate: reported lost (then reissued) or confiscated.
BLACKLISTED = (PassStatus.LOST, PassStatus.REISSUED, PassStatus.CONFISCATED)
# The deposit is still held by the office.
DEPOSIT_HELD = (PassStatus.ISSUED, PassStatus.EXPIRED, PassStatus.RETURNED)


class PassQuerySet(CommunityScopedQuerySet):
    def active(self) -> PassQuerySet:
        return self.filter(status=PassStatus.ISSUED)

    def expired_not_returned(self) -> PassQuerySet:
        return self.filter(status=PassStatus.EXPIRED)

    def to_refund(self) -> PassQuerySet:
        return self.filter(status=PassStatus.RETURNED, deposit__gt=0)


class Pass(TimeStampedModel):
    """One pass of one person (出入证发放登记表)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    number = models.CharField(_("pass number"), max_length=30)
    token = models.CharField(_("QR token"), max_length=16, editable=False)
    kind = models.CharField(_("type"), max_length=12, choices=PassKind)
    status = models.CharField(
        _("status"), max_length=12, choices=PassStatus, default=PassStatus.ISSUED
    )
    holder_name = models.CharField(_("holder"), max_length=50)
    id_number_cipher = models.TextField(editable=False, blank=True)
    id_number_hash = models.CharField(max_length=64, editable=False, blank=True)
    id_number_masked = models.CharField(_("ID number"), max_length=40, editable=False, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    photo = models.ImageField(_("photo"), upload_to=RandomName("passes/photos"), blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    group = models.ForeignKey(
        PassGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="passes",
        verbose_name=_("pass group"),
    )
    employer = models.CharField(_("employer or contractor"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    fee = MoneyField(_("fee"), default=0)
    deposit = MoneyField(_("deposit"), default=0)
    deposit_refunded = MoneyField(_("deposit refunded"), default=0)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reissue of"),
    )
    host_called = models.BooleanField(_("host called and agreed"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("deposit settled at"), null=True, blank=True)

    objects = PassQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        ordering = ["-valid_from", "-pk"]
        permissions = [
            ("check_pass", _("Can check passes at the gate")),
            ("refund_pass_deposit", _("Can refund or forfeit a pass deposit")),
            ("view_pass_kpis", _("Can view the pass KPIs")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="pass_unique_number",
                violation_error_message=_("This pass number is already used."),
            ),
            models.UniqueConstraint(
                fields=["community", "id_number_hash"],
                condition=Q(status="issued") & ~Q(id_number_hash=""),
                name="pass_one_per_person",
                violation_error_message=_("This person already holds a valid pass."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PassStatus.values), name="pass_known_status"
            ),
            models.CheckConstraint(condition=Q(kind__in=PassKind.values), name="pass_known_kind"),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="pass_valid_period"
            ),
            models.CheckConstraint(
                condition=Q(fee__gte=0) & Q(deposit__gte=0) & Q(deposit_refunded__gte=0),
                name="pass_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(deposit_refunded__lte=models.F("deposit")),
                name="pass_refund_within_deposit",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "kind"], name="pass_by_status"),
            models.Index(fields=["group"], name="pass_by_group"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("passes:pass-detail", args=[self.pk])

    @property
    def qr_text(self) -> str:
        """What the printed QR code says: the number and the pass's random token."""
        return f"{self.number}.{self.token}"

    @property
    def deposit_held(self) -> Any:
        if self.status in DEPOSIT_HELD:
            return self.deposit - self.deposit_refunded
        return self.deposit * 0

    def return_deadline(self, window_days: int) -> dt.date:
        return self.valid_to + dt.timedelta(days=window_days)

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.status == PassStatus.ISSUED and self.valid_from <= today <= self.valid_to


class PassEvent(WorkflowEvent):
    statuses = dict(PassStatus.choices)
    pass_obj = models.ForeignKey(Pass, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("pass event")
        verbose_name_plural = _("pass events")


def _may_change(user: Any, obj: Pass) -> bool:
    return has_perm_in(user, "passes.change_pass", obj.community_id)


def _may_confiscate(user: Any, obj: Pass) -> bool:
    return has_perm_in(user, "passes.check_pass", obj.community_id) or _may_change(user, obj)


def _may_settle(user: Any, obj: Pass) -> bool:
    return user is None or has_perm_in(user, "passes.refund_pass_deposit", obj.community_id)


def _may_expire(user: Any, obj: Pass) -> bool:
    return user is None or _may_change(user, obj)


workflows.register(
    Pass,
    workflows.Transitions(
        moves=PASS_MOVES,
        event_model=PassEvent,
        event_object="pass_obj",
        actor=_may_change,
        actors={
            PassStatus.CONFISCATED: _may_confiscate,
            PassStatus.REFUNDED: _may_settle,
            PassStatus.FORFEITED: _may_settle,
            PassStatus.EXPIRED: _may_expire,
        },
    ),
)


class GateResult(models.TextChoices):
    VALID = "valid", _("Valid")  # 有效
    EXPIRED = "expired", _("Expired")  # 已过期
    SUSPENDED = "suspended", _("Suspended site")  # 工地停工
    BLACKLISTED = "blacklisted", _("Blacklisted")  # 黑名单
    NOT_FOUND = "not_found", _("Not found")  # 查无此证


class GateCheck(models.Model):
    """One check at the gate: what was scanned or typed, by whom, and what it read."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("guard"),
    )
    typed = models.CharField(_("scanned or typed"), max_length=80)
    pass_obj = models.ForeignKey(
        Pass, on_delete=models.PROTECT, null=True, blank=True, related_name="checks"
    )
    result = models.CharField(_("result"), max_length=12, choices=GateResult)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gate check")
        verbose_name_plural = _("gate checks")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=GateResult.values), name="gatecheck_known_result"
            )
        ]
        indexes = [models.Index(fields=["community", "-at"], name="gatecheck_by_time")]

    def __str__(self) -> str:
        return f"{self.typed} {self.result}"
