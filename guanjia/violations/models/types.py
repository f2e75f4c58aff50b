"""The reference list of violation types (spec §11, §25.9): a shared list seeded by a data
migration, and each community's own additions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel


class TypeGroup(models.TextChoices):
    RENOVATION = "renovation", _("Renovation")  # 装修
    USE = "use", _("Use of the unit")  # 使用
    COMMON_AREAS = "common_areas", _("Common areas")  # 公共区域
    BEHAVIOUR = "behaviour", _("Behaviour")  # 行为


class ViolationTypeQuerySet(CommunityScopedQuerySet):
    def visible_to(self, user: object) -> ViolationTypeQuerySet:
        from guanjia.core.access import visible_community_ids

        ids = visible_community_ids(user)  # type: ignore[arg-type]
        if ids is None:
            return self.all()
        return self.filter(Q(community__isnull=True) | Q(community__in=ids))

    def for_community(self, community: Community | int) -> ViolationTypeQuerySet:
        """The shared list and the community's own types, in use."""
        return self.filter(
            Q(community__isnull=True) | Q(community=community), active=True
        ).order_by("group", "sort", "pk")


class ViolationType(TimeStampedModel):
    """One entry of the violation types' dropdown: shared (no community) or a community's."""

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    group = models.CharField(_("group"), max_length=14, choices=TypeGroup)
    name = models.CharField(_("name"), max_length=60)
    # Altering structure or load-bearing walls: the notice says stop at once (spec §11).
    structural = models.BooleanField(_("structural: stop work at once"), default=False)
    sort = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    objects = ViolationTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["group", "sort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="violationtype_unique_name",
                violation_error_message=_("This community already has a type of this name."),
            ),
            models.CheckConstraint(
                condition=Q(group__in=TypeGroup.values), name="violationtype_known_group"
            ),
        ]

    def __str__(self) -> str:
        return self.name
