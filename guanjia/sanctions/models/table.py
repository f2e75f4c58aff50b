"""The community's sanction table (spec §19): each kind of breach with its default sanction
and amounts. Seeded from §19's examples for every community (editable rows, amounts in fen
through `MoneyField`): the office sets its own figures, the agreement signed by the
contractor is what gives them force."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, TimeStampedModel
from guanjia.core.money import MoneyField

# The measures a sanction may carry besides a deduction, in the order the pages show them.
MEASURES = (
    "confiscate_pass",
    "expel",
    "stop_work",
    "ban_contractor",
    "call_police",
    "remove_materials",
)


class MeasureFields(models.Model):
    """The measures of a sanction: on the table (the defaults) and on a decision."""

    confiscate_pass = models.BooleanField(_("pass confiscated"), default=False)
    expel = models.BooleanField(_("expelled from the estate"), default=False)
    stop_work = models.BooleanField(_("work stopped"), default=False)
    ban_contractor = models.BooleanField(_("contractor banned"), default=False)
    call_police = models.BooleanField(_("handed to the police"), default=False)
    remove_materials = models.BooleanField(_("materials removed"), default=False)

    class Meta:
        abstract = True

    def measure_labels(self) -> list[str]:
        return [str(measure_label(name)) for name in MEASURES if getattr(self, name)]


def measure_label(name: str) -> Any:
    """The label of one measure (its field's verbose name)."""
    field = MeasureFields._meta.get_field(name)
    return getattr(field, "verbose_name", name)


class SanctionTypeQuerySet(CommunityScopedQuerySet):
    def usable(self, community: Community | int) -> SanctionTypeQuerySet:
        return self.filter(community=community, active=True).order_by("sort", "pk")


class SanctionType(MeasureFields, TimeStampedModel):
    """One line of the sanction table: a breach and what it costs by default."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("breach"), max_length=60)
    default_amount = MoneyField(_("default amount"), default=0)
    max_amount = MoneyField(_("highest amount"), default=0)
    per_person = models.BooleanField(_("per person"), default=False)
    plus_damage = models.BooleanField(_("plus the cost of the damage"), default=False)
    sort = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    objects = SanctionTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("sanction table line")
        verbose_name_plural = _("sanction table")
        ordering = ["sort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "code"],
                name="sanctiontype_unique_code",
                violation_error_message=_("This community's table already has this code."),
            ),
            models.CheckConstraint(
                condition=Q(default_amount__gte=0) & Q(max_amount__gte=F("default_amount")),
                name="sanctiontype_amounts",
                violation_error_message=_(
                    "The amounts are not negative and the highest is at least the default."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name
