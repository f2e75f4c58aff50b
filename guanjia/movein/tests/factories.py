"""Builders of move-in rows for tests, through the services as the pages make them."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence

from django.utils import timezone
from PIL import Image

from guanjia.accounts.tests.factories import staff
from guanjia.estates.models import UnitStatus
from guanjia.estates.models.identity import decrypt_pii, resident_id_check_digit
from guanjia.estates.tests.factories import UnitFactory

from .. import services
from ..models import PRECONDITIONS, Delivery, DeliveryBatch, VerifiedAs


def signature_png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def photo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(buffer, format="PNG")
    return buffer.getvalue()


SIGN = signature_png()
_seq = iter(range(1, 10**6))


def resident_id(n: int | None = None) -> str:
    first = "11010119900307" + f"{(n or next(_seq)) % 1000:03d}"
    return first + resident_id_check_digit(first)


def user_in(world, role: str, community):
    if community == world.a:
        return world.user(role)
    return staff(role, community, username=f"{role}-{community.code}-{next(_seq)}")


def batch(world, community=None, *, checked: Sequence[str] | None = None, **kw) -> DeliveryBatch:
    community = community or world.a
    today = timezone.localdate()
    return services.open_batch(
        community=community,
        name=kw.pop("name", f"第{next(_seq)}批"),
        notice_date=kw.pop("notice_date", today),
        counter_from=kw.pop("counter_from", today),
        counter_to=kw.pop("counter_to", today + dt.timedelta(days=14)),
        counter_hours=kw.pop("counter_hours", "09:00-17:00"),
        checked=[c for c, _l in PRECONDITIONS] if checked is None else checked,
        by=kw.pop("by", None) or user_in(world, "director", community),
        **kw,
    )


def sold_unit(community, **kw):
    return UnitFactory(
        community=community, status=kw.pop("status", UnitStatus.SOLD_NOT_NOTIFIED), **kw
    )


def listed(world, community=None, *, b: DeliveryBatch | None = None, **row) -> Delivery:
    community = community or world.a
    b = b or batch(world, community)
    unit = row.pop("unit", None) or sold_unit(community)
    fields = {"buyer_name": "王买家", "id_number": resident_id(), "phone": "13800001111", **row}
    services.import_buyers(
        batch=b,
        rows=[services.BuyerRow(room_code=unit.room_code, **fields)],
        by=user_in(world, "director", community),
    )
    return Delivery.objects.get(unit=unit)


def notified(world, community=None, **row) -> Delivery:
    d = listed(world, community, **row)
    services.send_notices(batch=d.batch, by=user_in(world, "supervisor", d.community))
    d.refresh_from_db()
    return d


def verified(world, community=None, **row) -> Delivery:
    d = notified(world, community, **row)
    number = decrypt_pii(d.id_number_cipher) if d.id_number_cipher else ""
    return services.verify_buyer(
        delivery=d,
        verified_as=VerifiedAs.OWNER,
        id_number=number,
        by=user_in(world, "receptionist", d.community),
    )


def receipt_for(world, unit, amount: str = "300.00"):
    from guanjia.cashier.tests.factories import charge, item, pay

    cashier = user_in(world, "cashier", unit.community)
    fee = item(unit.community, "MGMT", "物业服务费")
    charge(unit, fee, timezone.localdate().replace(day=1), amount, cashier)
    return pay(unit, amount, cashier).receipt


def ready_for_keys(world, community=None, *, defect: bool = False, **row) -> Delivery:
    """Verified, registered, paid, documents signed, inspected (with one defect if asked)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    d = verified(world, community, **row)
    rec = user_in(world, "receptionist", d.community)
    services.register_household(delivery=d, by=rec)
    receipt = receipt_for(world, d.unit)
    services.record_fees(delivery=d, receipt_no=receipt.number, prepaid_months=3, by=rec)
    services.sign_documents(delivery=d, signature=SIGN, by=rec)
    sheet = services.start_inspection(delivery=d, by=rec)
    if defect:
        services.add_defect(
            inspection=sheet,
            room=sheet.rooms[0],
            item=sheet.items[0],
            description="墙面裂缝",
            photo=SimpleUploadedFile("crack.png", photo_png(), content_type="image/png"),
            by=rec,
        )
    services.sign_inspection(
        inspection=sheet, owner_signature=SIGN, inspector_signature=SIGN, by=rec, water="12.5"
    )
    d.refresh_from_db()
    return d


def delivered(world, community=None, *, defect: bool = False, **row) -> Delivery:
    d = ready_for_keys(world, community, defect=defect, **row)
    return services.hand_over_keys(
        delivery=d,
        count=3,
        description="入户门钥匙3把",
        signature=SIGN,
        by=user_in(world, "receptionist", d.community),
    )
