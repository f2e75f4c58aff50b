"""Who is told about an import batch: its uploader, when someone else imported or refused it.

Every other step is the uploader's own act on the page (nobody is told of their own act);
batches waiting to be confirmed are on the uploader's workbench."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.core.notifications.registry import register_event
from guanjia.core.notifications.rules import Happening, notice

from .models import ImportBatch, ImportStatus


def _context(batch: ImportBatch, happened: Happening) -> dict[str, Any]:
    return {
        "file": batch.file_name,
        "rows": batch.row_count,
        "status": batch.get_status_display(),
        "by": happened.actor_name,
    }


def register() -> None:
    register_event(
        "imports.batch_finished",
        label=_("Your import was imported or discarded"),
        subject=_("Import {{ file }}: {{ status }}"),
        body=_("{{ by }} handled your import {{ file }} ({{ rows }} rows): {{ status }}."),
    )
    notice(
        ImportBatch,
        on={ImportStatus.COMMITTED, ImportStatus.DISCARDED, ImportStatus.FAILED},
        event="imports.batch_finished",
        recipients=lambda batch, happened: [batch.uploaded_by],
        context=_context,
        link=lambda b: reverse("imports:batch-detail", kwargs={"kind": b.kind, "pk": b.pk}),
    )
