"""Spot checks and records made through the services (their events are real)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanjia.conduct import services
from guanjia.conduct.models import ConductRecord, RecordLevel, SpotCheck
from guanjia.conduct.services import Evidence, ItemResult
from guanjia.core.models import Community
from guanjia.tickets.tests.factories import actor

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdac\xfc\xff\x9f\xa1\x1e\x00\x07\x82\x02\x7f=\xc8H"
    b"\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def photo(name: str = "fail.png", content: bytes = PNG_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def level(world: Any, code: str) -> RecordLevel:
    return RecordLevel.objects.get(company=world.company, code=code)


def open_check(
    world: Any, community: Community | None = None, inspector: str = "supervisor", **kw: Any
) -> SpotCheck:
    community = community or world.a
    return services.open_check(
        community=community,
        employee=kw.pop("employee", None) or actor(world, community, "receptionist"),
        cadence=kw.pop("cadence", "daily"),
        by=actor(world, community, inspector),
        **kw,
    )


def submitted(
    world: Any, community: Community | None = None, fail: int = 1, **kw: Any
) -> SpotCheck:
    """A submitted check whose first `fail` items failed (with a note)."""
    check = open_check(world, community)
    items = list(check.items.all())
    results = {
        item.pk: ItemResult("fail", "工牌未佩戴") if i < fail else ItemResult("pass")
        for i, item in enumerate(items)
    }
    return services.submit_check(check=check, results=results, by=check.inspector, **kw)


def record(
    world: Any,
    state: str = "proposed",
    community: Community | None = None,
    code: str = "written_warning",
    **kw: Any,
) -> ConductRecord:
    """A record walked to `state`: proposed, confirmed, acknowledged, effective, appealed."""
    community = community or world.a
    supervisor = actor(world, community, "supervisor")
    employee = kw.pop("employee", None) or actor(world, community, "receptionist")
    rec = services.propose_record(
        community=community,
        employee=employee,
        level=level(world, code),
        facts=kw.pop("facts", "上班时间玩手机"),
        event_date=kw.pop("event_date", None) or timezone.localdate(),
        evidence=kw.pop("evidence", Evidence()),
        by=supervisor,
        **kw,
    )
    if state == "proposed":
        return rec
    services.confirm_facts(record=rec, by=supervisor)
    if state == "confirmed":
        return rec
    services.sign_record(record=rec, by=employee, statement="知道了")
    if state == "acknowledged":
        return rec
    services.approve_record(record=rec, by=actor(world, community, "director"))
    if state == "effective":
        return rec
    services.appeal_record(record=rec, by=employee, grounds="当时在回复业主微信")
    return rec
