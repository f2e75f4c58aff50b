"""The customer service centre's weekly meeting (例会, spec §02): who signed in, the topics,
the decisions and the action items. An action item is a task with an owner and a due date;
until it is closed every later meeting lists it again (carried over)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel

USER = settings.AUTH_USER_MODEL


class MeetingKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly meeting")  # 例会
    SPECIAL = "special", _("Special meeting")  # 专题会


class Meeting(TimeStampedModel):
    """One meeting of the customer service centre and its minutes."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind, default="weekly")
    held_on = models.DateField(_("held on"))
    chair = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("chaired by")
    )
    review = models.TextField(_("review of last week"), max_length=4000, blank=True)
    topics = models.TextField(_("topics"), max_length=4000)
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("minutes by")
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_known_kind"
            )
        ]
        indexes = [models.Index(fields=["community", "held_on"], name="meeting_by_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("plans:meeting-detail", args=[self.pk])


class Attendance(TimeStampedModel):
    """One person signed in at a meeting (签到)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("attendee")
    )
    signed_at = models.DateTimeField(_("signed in at"))

    class Meta:
        verbose_name = _("meeting sign-in")
        verbose_name_plural = _("meeting sign-ins")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendance_once_per_meeting",
                violation_error_message=_("This person has already signed in."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class ActionItemQuerySet(CommunityScopedQuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(closed_on__isnull=True)


class ActionItem(TimeStampedModel):
    """One action item decided at a meeting: a task for its owner, due on a day, open until
    closed with what was done."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, verbose_name=_("community"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("what was done"), max_length=500, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(outcome=""),
                name="actionitem_closed_with_outcome",
                violation_error_message=_("Say what was done to close an action item."),
            )
        ]
        indexes = [
            models.Index(fields=["community", "closed_on", "due_on"], name="actionitem_open"),
            models.Index(fields=["owner", "closed_on"], name="actionitem_by_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:meeting-detail", args=[self.meeting_id])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
