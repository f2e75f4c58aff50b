"""Pass groups: the passes one sponsor answers for (one renovation site's workers, a
contractor's staff, a shop's delivery people). Suspending a group stops its passes at the
gate ("suspended site") until it is resumed; closing it ends it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import workflows
from guanjia.core.access import has_perm_in
from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent


class GroupKind(models.TextChoices):
    RENOVATION = "renovation", _("Renovation site")  # 装修工地
    CONTRACTOR = "contractor", _("Contractor")  # 施工单位
    EMPLOYER = "employer", _("Employer")  # 用工单位（商铺、住户）
    OTHER = "other", _("Other")  # 其他


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # 正常
    SUSPENDED = "suspended", _("Suspended")  # 停工/暂停
    CLOSED = "closed", _("Closed")  # 已结束


GROUP_MOVES: dict[str, frozenset[str]] = {
    GroupStatus.ACTIVE: frozenset({GroupStatus.SUSPENDED, GroupStatus.CLOSED}),
    GroupStatus.SUSPENDED: frozenset({GroupStatus.ACTIVE, GroupStatus.CLOSED}),
    GroupStatus.CLOSED: frozenset(),
}


class PassGroup(TimeStampedModel):
    """A named group of passes and who sponsors it (`sponsor`: "renovation:123")."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=GroupKind)
    name = models.CharField(_("name"), max_length=100)
    sponsor = models.CharField(_("sponsor"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus, default=GroupStatus.ACTIVE
    )
    reason = models.CharField(_("reason for the suspension"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass group")
        verbose_name_plural = _("pass groups")
        ordering = ["community_id", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GroupStatus.values), name="passgroup_known_status"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=GroupKind.values), name="passgroup_known_kind"
            ),
        ]
        indexes = [models.Index(fields=["community", "sponsor"], name="passgroup_by_sponsor")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("passes:group-detail", args=[self.pk])


class PassGroupEvent(WorkflowEvent):
    statuses = dict(GroupStatus.choices)
    group = models.ForeignKey(PassGroup, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("pass group event")
        verbose_name_plural = _("pass group events")


def _may_manage_group(user: Any, group: PassGroup) -> bool:
    return has_perm_in(user, "passes.change_passgroup", group.community_id)


workflows.register(
    PassGroup,
    workflows.Transitions(
        moves=GROUP_MOVES,
        event_model=PassGroupEvent,
        event_object="group",
        actor=_may_manage_group,
    ),
)
