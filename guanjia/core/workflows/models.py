"""The abstract tables of the workflow mechanism: one event row per move, and the columns of
an approval ("propose, then a different person decides"). Each workflow model's event table
subclasses `WorkflowEvent` and declares the foreign key to its object."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import TimeStampedModel
from guanjia.core.money import MoneyField


class WorkflowEvent(TimeStampedModel):
    """Abstract: one move of one object, who made it, when, from which state to which, a note
    and structured details (a decision's reference, an amount). Rows are only ever added."""

    # The state choices of the workflow, to label from/to on a timeline (set by subclasses).
    statuses: ClassVar[dict[str, Any]] = {}

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=30, blank=True)
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30, blank=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def from_label(self) -> str:
        return str(self.statuses.get(self.from_status, self.from_status))

    @property
    def to_label(self) -> str:
        return str(self.statuses.get(self.to_status, self.to_status))


class Decision(models.TextChoices):
    NONE = "", _("Awaiting a decision")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


class ApprovalFields(models.Model):
    """Abstract: the columns of an approval. They hold the latest request and decision; the
    workflow's event rows keep every one, so a new request never erases who decided before."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.NONE, blank=True
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    reference = models.CharField(
        _("approval reference"),
        max_length=60,
        blank=True,
        help_text=_("The document number of the decision (文号), where there is one."),
    )
    amount = MoneyField(_("amount"), null=True, blank=True)

    class Meta:
        abstract = True
