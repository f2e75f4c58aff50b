"""Shift handover (交接班, spec §06, §25.8): posts and their shifts, the handover log with
its pre-filled items, checked one by one by the incoming person, and its workflow."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.files.storage import RandomName
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

if TYPE_CHECKING:
    from guanjia.core.access import User


class PostKind(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")  # 前台
    CASHIER = "cashier", _("Cashier")  # 收费处
    CONTROL_ROOM = "control_room", _("Security control room")  # 监控中心


class Post(TimeStampedModel):
    """A post staffed in shifts, configured per community."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=15, choices=PostKind)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["community_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="post_unique_name",
                violation_error_message=_("This community already has a post of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Shift(TimeStampedModel):
    """One shift of a post: from `starts` to `ends` (past midnight when `ends` <= `starts`)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="shifts")
    name = models.CharField(_("name"), max_length=30)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["post", "starts", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "starts"],
                name="shift_unique_start",
                violation_error_message=_("This post already has a shift starting then."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The shift's start and end on `day` (aware, local time)."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(day, self.starts, tzinfo=tz)
        end = dt.datetime.combine(day, self.ends, tzinfo=tz)
        if end <= start:
            end += dt.timedelta(days=1)
        return start, end


class Instruction(TimeStampedModel):
    """An instruction from a superior to be handed on at every change of a post (交接事项)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="instructions"
    )
    text = models.CharField(_("instruction"), max_length=500)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField(_("valid until"))

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "valid_until"], name="instruction_valid")]


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("Being written")  # 填写中
    OFFERED = "offered", _("Awaiting the incoming person")  # 待接班
    REFUSED = "refused", _("Refused by the incoming person")  # 拒绝接班
    ACCEPTED = "accepted", _("Relieved")  # 已接班
    CLOSED = "closed", _("Shift closed")  # 已交班


H = HandoverStatus
# The outgoing person writes and signs (offered); the incoming person checks and accepts or
# refuses (the supervisor is told); a refused handover is put right and offered again; only
# a relieved shift is closed by the outgoing person.
HANDOVER_MOVES: dict[str, frozenset[str]] = {
    H.OPEN: frozenset({H.OFFERED}),
    H.OFFERED: frozenset({H.ACCEPTED, H.REFUSED}),
    H.REFUSED: frozenset({H.OFFERED}),
    H.ACCEPTED: frozenset({H.CLOSED}),
    H.CLOSED: frozenset(),
}


class HandoverQuerySet(CommunityScopedQuerySet):
    def with_discrepancies(self) -> HandoverQuerySet:
        return self.filter(discrepancy_count__gt=0)

    def late(self) -> HandoverQuerySet:
        return self.filter(late_minutes__gt=0)


class Handover(TimeStampedModel):
    """One change of shift at one post (交接班记录)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("post")
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="+", verbose_name=_("shift")
    )
    day = models.DateField(_("date"))
    shift_ends_at = models.DateTimeField(_("shift ends at"))
    status = models.CharField(_("status"), max_length=10, choices=H, default=H.OPEN)
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("outgoing"),
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("incoming"),
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    equipment = models.CharField(_("equipment status"), max_length=500, blank=True)
    outgoing_signature = models.ImageField(
        _("outgoing signature"), upload_to=RandomName("desk/signatures"), blank=True
    )
    offered_at = models.DateTimeField(_("signed over at"), null=True, blank=True)
    incoming_signature = models.ImageField(
        _("incoming signature"), upload_to=RandomName("desk/signatures"), blank=True
    )
    relieved_at = models.DateTimeField(_("relieved at"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("relief late by (minutes)"), default=0)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=500, blank=True)
    discrepancy_count = models.PositiveSmallIntegerField(_("discrepancies"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-shift_ends_at", "-pk"]
        permissions = [("view_handover_reports", _("Can see the handover reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "day", "shift"],
                name="handover_once_per_shift",
                violation_error_message=_("This shift of this post is already being handed over."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=H.values),
                name="handover_known_status",
                violation_error_message=_("Unknown handover status."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="handover_by_status"),
            models.Index(
                fields=["community", "shift_ends_at"],
                condition=Q(discrepancy_count__gt=0),
                name="handover_discrepancies",
            ),
            models.Index(
                fields=["community", "shift_ends_at"],
                condition=Q(late_minutes__gt=0),
                name="handover_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.day:%Y-%m-%d} {self.shift.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("desk:handover-detail", args=[self.pk])


class Finding(models.TextChoices):
    UNCHECKED = "", _("Not checked")
    OK = "ok", _("As listed")  # 相符
    DISCREPANCY = "discrepancy", _("Discrepancy")  # 不符


class HandoverItem(TimeStampedModel):
    """One line of a handover: a section's entry as pre-filled, and what the incoming found."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="items")
    section = models.CharField(_("section"), max_length=30)
    position = models.PositiveIntegerField(default=0)
    ref = models.CharField(_("reference"), max_length=40, blank=True)
    summary = models.CharField(_("item"), max_length=200)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    finding = models.CharField(_("finding"), max_length=12, choices=Finding, blank=True)
    finding_note = models.CharField(_("discrepancy note"), max_length=500, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["handover", "position", "pk"]


class HandoverEvent(WorkflowEvent):
    """One step of a handover: offered, accepted, refused, closed."""

    statuses = dict(HandoverStatus.choices)

    handover = models.ForeignKey(
        Handover, on_delete=models.PROTECT, related_name="events", verbose_name=_("handover")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("handover event")
        verbose_name_plural = _("handover events")


def _is_outgoing(user: User, obj: Handover) -> bool:
    return bool(user and user.pk == obj.outgoing_id)


def _is_incoming(user: User, obj: Handover) -> bool:
    return bool(user and user.pk == obj.incoming_id)


workflows.register(
    Handover,
    workflows.Transitions(
        moves=HANDOVER_MOVES,
        event_model=HandoverEvent,
        event_object="handover",
        actor=_is_outgoing,
        actors={H.ACCEPTED: _is_incoming, H.REFUSED: _is_incoming},
    ),
)
