"""Dunning notices printed in batches: a month's notices of one kind for one building as one
PDF (core.documents, the Noto CJK fonts), rendered by a background job with progress
(docs/jobs.md), saved to the file storage and served to those who read the cases."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core.access import User, require_perm
from guanjia.core.documents.services import render_pdf
from guanjia.core.jobs.models import JobRun
from guanjia.core.jobs.services import enqueue, report_progress
from guanjia.estates.models import Building

from ..models import DunningNotice, NoticeBatch, NoticeKind

TASK = "guanjia.cashier.services.notices.run_notice_print"
PART = 100  # notices rendered per part before the progress is reported
TEMPLATE = "cashier/notices_print.html"


def batch_notices(batch: NoticeBatch) -> QuerySet[DunningNotice]:
    return (
        DunningNotice.objects.filter(
            community_id=batch.community_id,
            unit__building_id=batch.building_id,
            kind=batch.kind,
            month=batch.month,
        )
        .select_related("unit__building", "unit__entrance")
        .order_by("unit__sort_key", "pk")
    )


def start_notice_print(*, building: Building, kind: str, month: dt.date, by: User) -> JobRun:
    """Print the month's notices of `kind` for `building`. Refused: none prepared."""
    require_perm(by, "cashier.view_arrearscase", building.community)
    if kind not in NoticeKind.values:
        raise ValidationError({"kind": [ValidationError(_("Choose a notice."), code="bad_kind")]})
    batch = NoticeBatch(
        community=building.community, building=building, kind=kind, month=month, by=by
    )
    count = batch_notices(batch).count()
    if count == 0:
        raise ValidationError(
            _("No %(kind)s is prepared for %(building)s in %(month)s.")
            % {
                "kind": NoticeKind(kind).label,
                "building": building.name,
                "month": f"{month:%Y-%m}",
            },
            code="no_notices",
        )
    batch.count = count
    batch.save()
    return enqueue(
        TASK,
        key=f"cashier.notices:{batch.pk}",
        label=_("%(kind)s of %(building)s, %(month)s")
        % {"kind": NoticeKind(kind).label, "building": building.name, "month": f"{month:%Y-%m}"},
        kwargs={"batch_id": batch.pk},
        by=by,
        community=building.community,
    )


def notices_pdf(notices: list[DunningNotice], community: Any, run: JobRun | None = None) -> bytes:
    """One PDF, a page a notice (their rendering reported part by part)."""
    total = len(notices) + 1
    if run is not None:
        report_progress(run, done=0, total=total, message=_("Writing the notices"))
    context: dict[str, Any] = {"notices": notices, "today": timezone.localdate()}
    pdf = render_pdf(TEMPLATE, context, community=community)
    if run is not None:
        report_progress(run, done=total, total=total)
    return pdf


def run_notice_print(run: JobRun, *, batch_id: int) -> dict[str, Any]:
    batch = NoticeBatch.objects.select_related("community", "building").get(pk=batch_id)
    notices = list(batch_notices(batch))
    pdf = notices_pdf(notices, batch.community, run)
    name = default_storage.save(
        f"cashier/notices/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(pdf)
    )
    NoticeBatch.objects.filter(pk=batch.pk).update(file=name, count=len(notices))
    return {
        "file_url": reverse("cashier:notice-batch-download", args=[batch.pk]),
        "pages": len(notices),
    }
