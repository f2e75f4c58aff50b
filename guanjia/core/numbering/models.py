"""Gap-free document numbering: one counter row per community, document kind and year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, CommunityScopedQuerySet, Company, TimeStampedModel

from .registry import CODE_MAX_LENGTH


class DocumentSequence(TimeStampedModel):
    """The last number handed out for one kind of document in one community and year.

    Written only by `numbering.services.next_number`, inside the transaction of the document.
    """

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="document_sequences",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("document kind"), max_length=CODE_MAX_LENGTH)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        ordering = ["community", "kind", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind", "year"],
                name="documentsequence_unique_kind_year",
                violation_error_message=_(
                    "This community already has a sequence for this document kind and year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1000, year__lte=9999),
                name="documentsequence_year_four_digits",
                violation_error_message=_("The year must have four digits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.kind} · {self.year}: {self.last_number}"
