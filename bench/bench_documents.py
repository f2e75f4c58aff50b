"""Documents: a repair's work order (派工单) rendered to PDF, as `?format=pdf` serves it.

Against it, the raw work: WeasyPrint writing the very same HTML (rendered once in the seed)
to PDF with no Guanjia code around it (no template, context or URL fetcher; the same reused
font configuration). The ratio shows
what the template and the document service add; the value is what a technician waits for.
"""

from __future__ import annotations

from typing import Any

from bench.harness import Benchmark

TEMPLATE = "tickets/repairorder_print.html"


def _seed() -> Any:
    from django.utils import translation

    from guanjia.accounts.tests.factories import staff
    from guanjia.core.documents.services import print_context
    from guanjia.core.models import Community, Company
    from guanjia.estates.tests.factories import UnitFactory
    from guanjia.tickets import services as s

    company = Company.objects.create(name="管家物业服务有限公司")
    community = Community.objects.create(company=company, code="bench", name="翠苑小区")
    desk = staff("receptionist", community)
    unit: Any = UnitFactory(community=community)
    entry = s.register_contact(
        community=community,
        contact=s.Contact(
            channel="phone",
            kind="repair",
            content="卫生间下水道堵塞，地漏反水",
            unit=unit,
            requester_name="周先生",
        ),
        by=desk,
    )
    details = s.RepairDetails(location="home", category="plumbing", urgency="ordinary")
    order = s.open_repair(entry=entry, details=details, by=desk)
    context = {"order": order, "document_number": order.number}
    with translation.override("zh-hans"):
        from django.template.loader import render_to_string

        html = render_to_string(TEMPLATE, print_context(context, community, for_pdf=True))
    from weasyprint.text.fonts import FontConfiguration

    return {"order": order, "html": html, "fonts": FontConfiguration()}


def _pdf(context: dict[str, Any], i: int) -> None:
    from django.utils import translation

    from guanjia.core.documents.services import render_pdf
    from guanjia.tickets.models import RepairOrder

    order = RepairOrder.objects.select_related("community").get(pk=context["order"].pk)
    with translation.override("zh-hans"):
        pdf = render_pdf(
            TEMPLATE,
            {"order": order, "document_number": order.number},
            community=order.community,
        )
    if not pdf.startswith(b"%PDF"):
        raise AssertionError("not a PDF")


def _raw_pdf(context: dict[str, Any], i: int) -> None:
    from weasyprint import HTML

    pdf = HTML(string=context["html"]).write_pdf(font_config=context["fonts"])
    if pdf is None or not pdf.startswith(b"%PDF"):
        raise AssertionError("not a PDF")


BENCHMARKS = [
    Benchmark(
        name="documents.work_order_pdf",
        seed=_seed,
        run=_pdf,
        raw=_raw_pdf,
        n=20,
        warmup=2,
        stat="p95",
        target=500.0,
        description="a repair's work order (Chinese, letterhead, QR code) rendered to PDF",
    ),
]
