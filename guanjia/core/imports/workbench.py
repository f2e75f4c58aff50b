"""The user's own checked imports waiting to be confirmed, on the workbench."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import ImportBatch, ImportStatus


def _mine(q: TaskQuery) -> QuerySet[ImportBatch]:
    here = Q(community=q.community) | Q(community__isnull=True, company_id=q.community.company_id)
    return ImportBatch.objects.filter(here, status=ImportStatus.VALIDATED, uploaded_by=q.user)


def register() -> None:
    register_task(
        TaskKind(
            code="imports.confirm",
            label=_("Imports to confirm"),
            # No permission: the rows are the user's own uploads, whoever uploaded them.
            perm=(),
            items=_mine,
            title=lambda b: f"{b.file_name} ({b.row_count})",
            link=lambda b: reverse("imports:batch-detail", kwargs={"kind": b.kind, "pk": b.pk}),
            hide_when_empty=True,
            order=70,
        )
    )


__all__: list[Any] = ["register"]
