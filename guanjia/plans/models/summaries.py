"""The supervisor's monthly summary (月度工作总结, spec §02): the month's figures from the
other apps (complaints, repairs, collection, visits, patrols, the plan's completion), the
supervisor's words, sent to the director, who acknowledges it or returns it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

USER = settings.AUTH_USER_MODEL


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SENT = "sent", _("Sent to the director")  # 已报主任
    ACKNOWLEDGED = "acknowledged", _("Read by the director")  # 主任已阅


S = SummaryStatus
SUMMARY_MOVES: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SENT}),
    S.SENT: frozenset({S.ACKNOWLEDGED, S.DRAFT}),
    S.ACKNOWLEDGED: frozenset(),
}


class MonthlySummary(TimeStampedModel):
    """One month's summary of a community's customer service centre."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    month = models.DateField(_("month"), help_text=_("The first day of the month summarised."))
    status = models.CharField(_("status"), max_length=12, choices=S, default=S.DRAFT)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    highlights = models.TextField(_("work done"), max_length=4000, blank=True)
    problems = models.TextField(_("problems"), max_length=4000, blank=True)
    next_steps = models.TextField(_("next month"), max_length=4000, blank=True)
    prepared_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    director_note = models.TextField(_("director's comments"), max_length=2000, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly summary")
        verbose_name_plural = _("monthly summaries")
        ordering = ["-month", "-pk"]
        permissions = [("acknowledge_monthlysummary", _("Can read and return a monthly summary"))]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=S.values), name="summary_known_status"),
            models.UniqueConstraint(
                fields=["community", "month"],
                name="summary_one_per_month",
                violation_error_message=_("This month already has a summary."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("plans:summary-detail", args=[self.pk])


class SummaryEvent(WorkflowEvent):
    """One step of a monthly summary (prepared, sent, read or returned)."""

    statuses = dict(SummaryStatus.choices)
    summary = models.ForeignKey(MonthlySummary, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("monthly summary event")
        verbose_name_plural = _("monthly summary events")


def _may_send(user: Any, summary: MonthlySummary) -> bool:
    return has_perm_in(user, "plans.change_monthlysummary", summary.community_id)


def _may_acknowledge(user: Any, summary: MonthlySummary) -> bool:
    """The director, never the one who prepared it."""
    return (
        user is not None
        and user.pk != summary.prepared_by_id
        and has_perm_in(user, "plans.acknowledge_monthlysummary", summary.community_id)
    )


workflows.register(
    MonthlySummary,
    workflows.Transitions(
        moves=SUMMARY_MOVES,
        event_model=SummaryEvent,
        event_object="summary",
        actor=_may_send,
        # Back to draft only from "sent": the director returns it.
        actors={S.ACKNOWLEDGED: _may_acknowledge, S.DRAFT: _may_acknowledge},
    ),
)


class DailyCheck(TimeStampedModel):
    """The supervisor's daily check of the registers (spec §02), signed off for one day with
    what was still missing then."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    day = models.DateField(_("day"))
    checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    missing = models.PositiveIntegerField(_("lines missing"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily check")
        verbose_name_plural = _("daily checks")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "day"],
                name="dailycheck_once_a_day",
                violation_error_message=_("Today's check is already signed off."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"
