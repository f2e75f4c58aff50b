"""Builders of the passes app's rows for tests: through the services, as the pages make them."""

from __future__ import annotations

import base64
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guanjia.accounts.tests.factories import staff
from guanjia.estates.models.identity import resident_id_check_digit
from guanjia.estates.tests.factories import UnitFactory

from .. import services
from ..models import GroupKind, PassKind


def signature_png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


SIGN = signature_png()
_serial = itertools.count(1)


def id_number(serial: int | None = None) -> str:
    """A valid resident ID number, a different one each call."""
    n = next(_serial) if serial is None else serial
    first17 = f"110101{1950 + n // 1000 % 50:04d}0101{n % 1000:03d}"
    return first17 + resident_id_check_digit(first17)


def photo(name: str = "face.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), "gray").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def desk(world, community=None):
    community = community or world.a
    if community == world.a:
        return world.user("receptionist")
    from guanjia.accounts.models import User

    name = f"desk-{community.code}"
    return User.objects.filter(username=name).first() or staff(
        "receptionist", community, username=name
    )


def group(world, community=None, *, name="3-201 装修工地", sponsor="renovation:1", **kw):
    community = community or world.a
    return services.open_group(
        community=community,
        kind=kw.pop("kind", GroupKind.RENOVATION),
        name=name,
        sponsor=sponsor,
        by=kw.pop("by", None) or desk(world, community),
    )


def issue(world, community=None, *, kind=PassKind.WORKER_LONG, **kw):
    community = community or world.a
    kw.setdefault("photo", photo() if kind != PassKind.VISITOR else None)
    return services.issue_pass(
        community=community,
        kind=kind,
        holder_name=kw.pop("holder_name", "王师傅"),
        id_number=kw.pop("id_number", None) or id_number(),
        unit=kw.pop("unit", None) or UnitFactory(community=community),
        by=kw.pop("by", None) or desk(world, community),
        **kw,
    )
