"""Import batches: one uploaded spreadsheet, its checked rows and errors, until committed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from guanjia.core import workflows
from guanjia.core.models import Community, CommunityScopedQuerySet, Company, TimeStampedModel
from guanjia.core.workflows import WorkflowEvent

if TYPE_CHECKING:
    from guanjia.core.access import AnyUser, User


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")  # zh-hans: 已上传
    VALIDATED = "validated", _("Ready to import")  # zh-hans: 待导入
    FAILED = "failed", _("Has errors")  # zh-hans: 有错误
    COMMITTED = "committed", _("Imported")  # zh-hans: 已导入
    DISCARDED = "discarded", _("Discarded")  # zh-hans: 已放弃


# The whole workflow: any move not listed here is refused.
IMPORT_MOVES: dict[str, frozenset[str]] = {
    ImportStatus.UPLOADED: frozenset(
        {ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.DISCARDED}
    ),
    ImportStatus.VALIDATED: frozenset(
        {ImportStatus.COMMITTED, ImportStatus.FAILED, ImportStatus.DISCARDED}
    ),
    ImportStatus.FAILED: frozenset({ImportStatus.DISCARDED}),
    ImportStatus.COMMITTED: frozenset(),
    ImportStatus.DISCARDED: frozenset(),
}


class ImportBatchQuerySet(CommunityScopedQuerySet):
    def visible_to(self, user: AnyUser) -> ImportBatchQuerySet:
        """Batches of the user's communities; company-wide batches of the user's company for
        holders of a company-wide role."""
        from guanjia.core.access import get_access

        access = get_access(user)
        if access.is_superuser:
            return self.all()
        condition = Q(community_id__in=access.community_ids)
        company_id = getattr(user, "company_id", None)
        if None in access.roles_by_community and company_id is not None:
            condition |= Q(community__isnull=True, company_id=company_id)
        return self.filter(condition)


class ImportBatch(TimeStampedModel):
    """One uploaded spreadsheet of one kind: its checked rows, its errors and its outcome."""

    kind = models.CharField(_("kind"), max_length=40)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("company"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("community"),
        help_text=_("Empty for a company-wide import such as staff accounts."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus, default=ImportStatus.UPLOADED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    rows = models.JSONField(_("checked rows"), default=list, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["rows", "errors"])

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="importbatch_known_status",
                violation_error_message=_("Unknown import status."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.COMMITTED) | Q(error_count=0),
                name="importbatch_committed_without_errors",
                violation_error_message=_("A batch with errors cannot be imported."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "uploaded_by", "-created_at"], name="importbatch_recent")
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name}"

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.VALIDATED and self.error_count == 0

    @property
    def can_discard(self) -> bool:
        return ImportStatus.DISCARDED in IMPORT_MOVES[self.status]


class ImportBatchEvent(WorkflowEvent):
    """One step of a batch: uploaded, checked, imported, failed or discarded, and by whom."""

    statuses = dict(ImportStatus.choices)

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="events", verbose_name=_("batch")
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("import batch event")
        verbose_name_plural = _("import batch events")


def _may_import(user: User, batch: ImportBatch) -> bool:
    from .services import may_import

    return may_import(user, batch)


workflows.register(
    ImportBatch,
    workflows.Transitions(
        moves=IMPORT_MOVES, event_model=ImportBatchEvent, event_object="batch", actor=_may_import
    ),
)
