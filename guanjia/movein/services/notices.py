"""The move-in notices (入住通知书, spec §09) of a batch as one PDF: a background job
(core.jobs) with progress, rendered through core.documents, saved to the file storage and
served by movein:batch-notices-download to those who may see the batch."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.documents.services import render_pdf
from guanjia.core.jobs.models import JobRun
from guanjia.core.jobs.services import enqueue, report_progress

from ..models import Delivery, DeliveryBatch

TASK = "guanjia.movein.services.notices.run_notices"
PAGE = 200  # notices rendered per part before the progress is reported


def start_notices_pdf(*, batch: DeliveryBatch, by: User) -> JobRun:
    require_perm(by, "movein.view_deliverybatch", batch.community)
    return enqueue(
        TASK,
        key=f"movein.notices:{batch.pk}:{timezone.now():%Y-%m-%dT%H:%M:%S}:{by.pk}",
        label=_("Move-in notices of %(batch)s") % {"batch": batch.name},
        kwargs={"batch_id": batch.pk},
        by=by,
        community=batch.community,
    )


def notices_pdf(batch: DeliveryBatch, run: JobRun | None = None) -> bytes:
    """One PDF, one page a unit (the units of the batch in room order)."""
    rows = list(
        Delivery.objects.filter(batch=batch)
        .select_related("unit")
        .order_by("unit__sort_key", "pk")
        .only("pk", "buyer_name", "unit__room_code", "unit__sort_key", "contract_no")
    )
    if run is not None:
        report_progress(run, done=0, total=len(rows) + 1, message=_("Writing the notices"))
    context: dict[str, Any] = {"batch": batch, "deliveries": rows}
    pdf = render_pdf("movein/notices_print.html", context, community=batch.community)
    if run is not None:
        report_progress(run, done=len(rows) + 1, total=len(rows) + 1)
    return pdf


def run_notices(run: JobRun, *, batch_id: int) -> dict[str, Any]:
    batch = DeliveryBatch.objects.select_related("community").get(pk=batch_id)
    pdf = notices_pdf(batch, run)
    name = default_storage.save(
        f"movein/notices/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
    )
    DeliveryBatch.objects.filter(pk=batch.pk).update(notices_file=name)
    return {
        "file_url": reverse("movein:batch-notices-download", args=[batch.pk]),
        "pages": Delivery.objects.filter(batch=batch).count(),
    }
