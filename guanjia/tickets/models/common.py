"""Shared pieces of the service desk models: the ticket queryset, the event base, alerts, views."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

USER = settings.AUTH_USER_MODEL


class TicketQuerySet(CommunityScopedQuerySet):
    """Tickets with their named filters."""

    def open(self) -> TicketQuerySet:
        return self.exclude(status__in=self.model.FINAL_STATUSES)  # type: ignore[attr-defined]


# How each event's action reads on a timeline.
ACTION_LABELS = {
    "registered": _("Registered"),
    "classified": _("Classified"),
    "progress": _("Progress"),
    "promised": _("Promised"),
    "promise_changed": _("Promise changed"),
    "resolved": _("Resolved"),
    "replied": _("Replied"),
    "closed": _("Closed"),
    "reopened": _("Reopened"),
    "escalated": _("Became major"),
    "action_corrective": _("Corrective action"),
    "action_preventive": _("Preventive action"),
    "action_done": _("Action done"),
    "action_verified": _("Action verified"),
    "dispatched": _("Dispatched"),
    "accepted": _("Accepted by the technician"),
    "arrived": _("Arrived on site"),
    "quoted": _("Quoted"),
    "quote_accepted": _("Quote accepted"),
    "quote_declined": _("Quote declined"),
    "waiting_parts": _("Waiting for parts"),
    "resumed": _("Work resumed"),
    "no_access": _("No access"),
    "completed": _("Completed"),
    "verified": _("Verified by the resident"),
    "rejected": _("Resident not satisfied"),
    "rework": _("Rework"),
    "cancelled": _("Cancelled"),
    "contact_revealed": _("Resident's phone shown to call"),
}


class TicketEvent(WorkflowEvent):
    """Abstract: a ticket's workflow event (core.workflows), with its action's timeline label."""

    class Meta(WorkflowEvent.Meta):
        abstract = True

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class DeadlineAlert(TimeStampedModel):
    """That the SLA sweep warned about, or recorded the breach of, one deadline of one ticket.

    The unique key makes the sweep idempotent: each warning and breach is sent once."""

    class Stage(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")
        ESCALATION = "escalation", _("Escalation")

    community = models.ForeignKey(Community, on_delete=models.PROTECT)
    ticket_type = models.CharField(max_length=12)  # "complaint", "repair" or "request" (letter)
    ticket_id = models.BigIntegerField()
    deadline = models.CharField(max_length=20)  # the column name, e.g. "resolve_due"
    due = models.DateTimeField()
    stage = models.CharField(max_length=12, choices=Stage)

    class Meta:
        verbose_name = _("deadline alert")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_type", "ticket_id", "deadline", "due", "stage"],
                name="deadlinealert_once",
                violation_error_message=_("This alert was already sent."),
            )
        ]


class SavedView(TimeStampedModel):
    """A user's saved filter of a ticket list: a name and a query string."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(_("list"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    querystring = models.CharField(_("filter"), max_length=1000)

    class Meta:
        verbose_name = _("saved view")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name", "name"],
                name="savedview_unique_name",
                violation_error_message=_("You already have a view with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name
