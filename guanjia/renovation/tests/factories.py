"""Renovations built through the services (events, numbers and charges are real)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from guanjia.cashier.tests.factories import code_of, owned_unit, pay
from guanjia.core.models import Community
from guanjia.core.policies.selectors import clear_policy_cache
from guanjia.core.policies.tests.factories import value_row
from guanjia.renovation import services
from guanjia.renovation.models import Contractor, RenoStatus, Renovation
from guanjia.tickets.tests.factories import actor

__all__ = ["actor", "code_of", "owned_unit", "pay", "services"]

ID_OK = "11010519491231002X"  # the GB 11643 example: a valid check digit
ID_BAD = "110105194912310021"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
S = RenoStatus


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def set_policy(world: Any, community: Community, key: str, value: Any) -> None:
    value_row(key, value, company=world.company, community=community)
    clear_policy_cache()


def contractor(world: Any, community: Community, **kw: Any) -> Contractor:
    values = {
        "name": "安居装饰公司",
        "licence_no": f"LIC{Contractor.objects.count() + 1:06d}",
        "person_in_charge": "李工",
        "phone": "13800000000",
        "fire_safety_person": "赵安全",
        **kw,
    }
    return services.save_contractor(
        contractor=Contractor(community=community, **values),
        by=actor(world, community, "supervisor"),
    )


def application(world: Any, community: Community, **kw: Any) -> services.Application:
    start = timezone.localdate() + dt.timedelta(days=5)
    values: dict[str, Any] = {
        "unit": kw.pop("unit", None) or owned_unit(community),
        "contractor": kw.pop("contractor", None) or contractor(world, community),
        "applicant_kind": "owner",
        "applicant_name": "王业主",
        "applicant_phone": "13900000000",
        "planned_start": start,
        "planned_end": start + dt.timedelta(days=30),
        "items": {"walls": "刷乳胶漆", "floors": "铺木地板"},
        **kw,
    }
    return services.Application(**values)


def applied(world: Any, community: Community, **kw: Any) -> Renovation:
    return services.apply(
        community=community,
        application=application(world, community, **kw),
        by=actor(world, community, "receptionist"),
    )


def under_review(world: Any, community: Community, **kw: Any) -> Renovation:
    reno = applied(world, community, **kw)
    desk = actor(world, community, "receptionist")
    services.add_plan(renovation=reno, kind="layout", upload=pdf(), by=desk)
    services.add_worker(renovation=reno, name="张师傅", id_number=ID_OK, photo=png(), by=desk)
    return services.submit_for_review(renovation=reno, by=desk)


def approved(world: Any, community: Community, **kw: Any) -> Renovation:
    reno = under_review(world, community, **kw)
    services.give_opinion(
        renovation=reno, opinion="同意", by=actor(world, community, "supervisor"), engineering=False
    )
    services.give_opinion(
        renovation=reno,
        opinion="图纸合格",
        by=actor(world, community, "engineering_lead"),
        engineering=True,
    )
    return services.approve(renovation=reno, by=actor(world, community, "supervisor"))


def paid(reno: Renovation, world: Any) -> Renovation:
    owed = services.outstanding(reno)
    if owed > 0:
        pay(reno.unit, f"{owed:.2f}", actor(world, reno.community, "cashier"))
    return reno


def permitted(world: Any, community: Community, **kw: Any) -> Renovation:
    reno = paid(approved(world, community, **kw), world)
    return services.issue_permit(renovation=reno, by=actor(world, community, "supervisor"))


def in_progress(world: Any, community: Community, **kw: Any) -> Renovation:
    reno = permitted(world, community, **kw)
    return services.start_work(renovation=reno, by=actor(world, community, "supervisor"))


ALL_PASSED = dict.fromkeys(services.CHECKS, True)


def final_accepted(world: Any, community: Community, **kw: Any) -> Renovation:
    set_policy(world, community, "reno.refund_after_days", 0)
    reno = in_progress(world, community, **kw)
    services.request_completion(renovation=reno, by=actor(world, community, "receptionist"))
    eng = actor(world, community, "engineering_lead")
    services.accept_initial(renovation=reno, checks=ALL_PASSED, by=eng)
    return services.accept_final(renovation=reno, note="无渗漏", by=eng)


def money(value: str) -> Decimal:
    return Decimal(value)
