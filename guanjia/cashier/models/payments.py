"""Payments taken at the counter. The money itself is in billing's ledger (one `payment` or
`prepayment` entry per line); a payment row says who paid how, under which idempotency key,
in which session, and its lines point at the ledger entries they posted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.billing.models import FeeItem, LedgerEntry
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.estates.models import Person, Unit

from .sessions import CashierSession


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")  # 现金
    BANK_CARD = "bank_card", _("Bank card")  # 银行卡（POS）
    WECHAT = "wechat", _("WeChat Pay")  # 微信支付
    ALIPAY = "alipay", _("Alipay")  # 支付宝
    TRANSFER = "transfer", _("Bank transfer")  # 银行转账
    CHEQUE = "cheque", _("Cheque")  # 支票


# Every method but cash leaves a trace the cashier types or scans: the POS voucher, the
# WeChat/Alipay transaction number, the transfer's bank reference, the cheque number.
METHODS_WITH_REFERENCE = frozenset(PaymentMethod.values) - {PaymentMethod.CASH}


class LineKind(models.TextChoices):
    CHARGE = "charge", _("Charge")  # 费用
    LATE_FEE = "late_fee", _("Late fee")  # 滞纳金
    PREPAYMENT = "prepayment", _("Prepayment")  # 预存
    DEPOSIT = "deposit", _("Deposit")  # 押金 (models/deposits.py)


class Payment(TimeStampedModel):
    """One payment taken for one unit: the amount, the method and its reference, the payer,
    the session it went into; its money is the ledger entries of its lines."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    session = models.ForeignKey(
        CashierSession,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("cashier session"),
    )
    method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    amount = MoneyField(_("amount"))
    tendered = MoneyField(_("cash tendered"), null=True, blank=True)
    change = MoneyField(_("change given"), null=True, blank=True)
    payer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("payer"),
    )
    payer_name = models.CharField(_("payer's name"), max_length=100)
    owner_name = models.CharField(_("owner's name"), max_length=200, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "idempotency_key"],
                name="payment_once_per_key",
                violation_error_message=_("A payment with this key is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("A payment must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(method__in=PaymentMethod.values),
                name="payment_known_method",
                violation_error_message=_("Unknown payment method."),
            ),
            models.CheckConstraint(
                condition=Q(method="cash") | ~Q(reference=""),
                name="payment_reference_unless_cash",
                violation_error_message=_("This payment method needs its reference."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "created_at"], name="payment_community_time"),
            models.Index(fields=["unit", "created_at"], name="payment_unit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.amount}"


class PaymentLine(models.Model):
    """Where one part of a payment went: a bill's charge, its late fee, or a prepayment; the
    ledger entry that posted it."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="lines", verbose_name=_("payment")
    )
    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledger entry")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind)
    fee_item = models.ForeignKey(
        FeeItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("fee item")
    )
    bill_month = models.DateField(_("bill month"), null=True, blank=True)
    amount = MoneyField(_("amount"))
    position = models.PositiveSmallIntegerField(_("line"))

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["payment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "position"],
                name="paymentline_position_once",
                violation_error_message=_("This line is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="paymentline_amount_positive",
                violation_error_message=_("A payment line must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=LineKind.values),
                name="paymentline_known_kind",
                violation_error_message=_("Unknown payment line kind."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
