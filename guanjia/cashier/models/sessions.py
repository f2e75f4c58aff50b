"""The cashier's day (收款日结): one session per cashier from opening with a float to finance's
close (spec §05: 日清月结, 长短款 recorded honestly, a different person checks)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField
from guanjia.core.workflows import WorkflowEvent

if TYPE_CHECKING:
    from guanjia.core.access import User


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Taking payments")  # 收款中
    COUNTED = "counted", _("Counted")  # 已盘点，待财务复核
    CLOSED = "closed", _("Closed by finance")  # 已日结


# The whole workflow: the cashier counts; finance closes it or sends it back for a recount.
SESSION_MOVES: dict[str, frozenset[str]] = {
    SessionStatus.OPEN: frozenset({SessionStatus.COUNTED}),
    SessionStatus.COUNTED: frozenset({SessionStatus.CLOSED, SessionStatus.OPEN}),
    SessionStatus.CLOSED: frozenset(),
}

# Banknotes and coins of the renminbi, in yuan, largest first (the count form's rows).
DENOMINATIONS: tuple[str, ...] = (
    "100",
    "50",
    "20",
    "10",
    "5",
    "1",
    "0.5",
    "0.1",
)


class CashierSession(TimeStampedModel):
    """One cashier's day at the counter in one community: the float, what was taken, the
    cash counted and finance's close. Payments post only into an open session."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cashier"),
    )
    business_day = models.DateField(_("business day"))
    float_amount = MoneyField(_("float"), default=Decimal("0.00"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus, default=SessionStatus.OPEN
    )
    denominations = models.JSONField(_("cash by denomination"), default=dict, blank=True)
    counted_cash = MoneyField(_("cash counted"), null=True, blank=True)
    expected_cash = MoneyField(_("cash expected"), null=True, blank=True)
    over_short = MoneyField(_("over (+) or short (−)"), null=True, blank=True)
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cash_over_limit = models.BooleanField(_("cash above the overnight limit"), default=False)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cashier session")
        verbose_name_plural = _("cashier sessions")
        ordering = ["-business_day", "-pk"]
        permissions = [("close_cashiersession", _("Can check and close a cashier's day"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "cashier"],
                condition=~Q(status="closed"),
                name="cashiersession_one_unclosed_per_cashier",
                violation_error_message=_("This cashier already has a day that is not closed."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values),
                name="cashiersession_known_status",
                violation_error_message=_("Unknown session status."),
            ),
            models.CheckConstraint(
                condition=Q(float_amount__gte=0),
                name="cashiersession_float_not_negative",
                violation_error_message=_("The float cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "business_day"], name="cashiersession_day"),
        ]

    def __str__(self) -> str:
        return f"{self.business_day:%Y-%m-%d} {self.cashier}"


class CashierSessionEvent(WorkflowEvent):
    """One step of a cashier's day: opened, counted, sent back, closed."""

    statuses = dict(SessionStatus.choices)

    session = models.ForeignKey(
        CashierSession,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("cashier session"),
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("cashier session event")
        verbose_name_plural = _("cashier session events")


def _is_its_cashier(user: User, session: CashierSession) -> bool:
    """The cashier counts their own day (and only while holding the right to take payments)."""
    from guanjia.core.access import has_perm_in

    return session.cashier_id == getattr(user, "pk", None) and has_perm_in(
        user, "cashier.add_payment", session.community_id
    )


def _is_finance_not_the_cashier(user: User, session: CashierSession) -> bool:
    """Finance checks and closes (or sends back) a day; never the cashier of that day."""
    from guanjia.core.access import has_perm_in

    return session.cashier_id != getattr(user, "pk", None) and has_perm_in(
        user, "cashier.close_cashiersession", session.community_id
    )


workflows.register(
    CashierSession,
    workflows.Transitions(
        moves=SESSION_MOVES,
        event_model=CashierSessionEvent,
        event_object="session",
        actor=_is_its_cashier,
        actors={
            SessionStatus.CLOSED: _is_finance_not_the_cashier,
            SessionStatus.OPEN: _is_finance_not_the_cashier,
        },
    ),
)
