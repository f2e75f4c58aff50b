"""Notices (通知/公告, spec §03, §04, §25.5): drafted, approved by another person, aimed at the
community, buildings or units, posted for a period through channels, taken down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import ApprovalFields, WorkflowEvent
from guanjia.estates.models import Building, Unit

if TYPE_CHECKING:
    from guanjia.core.access import User


class NoticeKind(models.TextChoices):
    GENERAL = "general", _("General notice")  # 通知
    WATER_OUTAGE = "water_outage", _("Water outage")  # 停水通知
    POWER_OUTAGE = "power_outage", _("Power outage")  # 停电通知


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    PENDING = "pending", _("Awaiting approval")  # 待审批
    POSTED = "posted", _("Posted")  # 已发布
    TAKEN_DOWN = "taken_down", _("Taken down")  # 已撤下


N = NoticeStatus
# Drafted, sent for approval, approved (posted) by someone else or sent back (draft), taken down.
NOTICE_MOVES: dict[str, frozenset[str]] = {
    N.DRAFT: frozenset({N.PENDING}),
    N.PENDING: frozenset({N.POSTED, N.DRAFT}),
    N.POSTED: frozenset({N.TAKEN_DOWN}),
    N.TAKEN_DOWN: frozenset(),
}


class Notice(ApprovalFields, TimeStampedModel):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(
        _("kind"), max_length=15, choices=NoticeKind, default=NoticeKind.GENERAL
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=4000)
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="+", verbose_name=_("buildings")
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units"))
    starts_at = models.DateTimeField(_("posted from"))
    ends_at = models.DateTimeField(_("posted until"))
    send_sms = models.BooleanField(_("send by SMS to the households"), default=False)
    send_wechat = models.BooleanField(_("send by WeChat"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=N, default=N.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    messages_sent = models.PositiveIntegerField(_("messages sent"), default=0)
    taken_down_at = models.DateTimeField(_("taken down at"), null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-starts_at", "-pk"]
        permissions = [("approve_notice", _("Can approve a notice"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="notice_ends_after_start",
                violation_error_message=_("A notice's period ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=N.values),
                name="notice_known_status",
                violation_error_message=_("Unknown notice status."),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "starts_at"], name="notice_by_status")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("desk:notice-detail", args=[self.pk])


class NoticeEvent(WorkflowEvent):
    statuses = dict(NoticeStatus.choices)

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="events", verbose_name=_("notice")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")


def _may_write(user: User, notice: Notice) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "desk.add_notice", notice.community_id)


def _may_approve(user: User, notice: Notice) -> bool:
    from guanjia.core.access import has_perm_in

    return has_perm_in(user, "desk.approve_notice", notice.community_id)


workflows.register(
    Notice,
    workflows.Transitions(
        moves=NOTICE_MOVES,
        event_model=NoticeEvent,
        event_object="notice",
        actor=_may_write,
        approval=workflows.Approvals(
            requested=N.PENDING, approved=N.POSTED, rejected=N.DRAFT, may_decide=_may_approve
        ),
    ),
)
