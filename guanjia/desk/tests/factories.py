"""Builders of the front desk's rows for tests: through the services, as the pages make them."""

from __future__ import annotations

import base64
import datetime as dt
import io

from PIL import Image

from guanjia.estates.tests.factories import OwnershipFactory, PersonFactory, UnitFactory

from .. import services
from ..models import KeyHolding, PostKind


def signature_png() -> str:
    """A small PNG as the signature pad sends it (a data URL)."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


SIGN = signature_png()
_slot = iter(range(1, 10**6))


def key(world, community=None, *, by=None, **kw):
    community = community or world.a
    return services.register_key(
        community=community,
        unit=kw.pop("unit", None) or UnitFactory(community=community),
        holding=kw.pop("holding", KeyHolding.OFFICE),
        cabinet_slot=kw.pop("cabinet_slot", f"A-{next(_slot):03d}"),
        by=by or _receptionist(world, community),
        **kw,
    )


def _receptionist(world, community):
    if community == world.a:
        return world.user("receptionist")
    from guanjia.accounts.tests.factories import staff

    return staff("receptionist", community)


def collector(world, k, name="李四"):
    return services.add_collector(key=k, name=name, by=_receptionist(world, k.community))


def loan(world, k=None, **kw):
    k = k or key(world)
    c = collector(world, k)
    return services.lend_key(
        key=k,
        collector=c,
        purpose="看房",
        signature=SIGN,
        by=_receptionist(world, k.community),
        **kw,
    )


def household_unit(community):
    """A unit with an owner (mobile on file): the household that may collect its mail."""
    owner = OwnershipFactory(unit=UnitFactory(community=community))
    return owner.unit, owner.person


def parcel(world, community=None, **kw):
    community = community or world.a
    unit = kw.pop("unit", None) or household_unit(community)[0]
    return services.register_parcel(
        community=community,
        unit=unit,
        addressee=kw.pop("addressee", "王五"),
        carrier=kw.pop("carrier", "顺丰"),
        by=_receptionist(world, community),
        **kw,
    )


def post_and_shift(world, community=None, kind=PostKind.FRONT_DESK):
    community = community or world.a
    by = world.user("supervisor") if community == world.a else None
    if by is None:
        from guanjia.accounts.tests.factories import staff

        by = staff("supervisor", community)
    from ..models import Post

    post = Post.objects.filter(community=community, kind=kind).first()
    if post is not None:
        return post, post.shifts.first()
    post = services.add_post(community=community, name=f"前台{community.code}", kind=kind, by=by)
    shift = services.add_shift(
        post=post, name="白班", starts=dt.time(8, 0), ends=dt.time(20, 0), by=by
    )
    return post, shift


def handover(world, community=None, *, outgoing=None, incoming=None, day=None):
    """An open handover of community A's front desk from the receptionist to a colleague."""
    community = community or world.a
    post, shift = post_and_shift(world, community)
    from guanjia.accounts.tests.factories import staff

    outgoing = outgoing or _receptionist(world, community)
    incoming = incoming or staff("receptionist", community, username=f"next-{community.code}")
    return services.open_handover(post=post, shift=shift, incoming=incoming, by=outgoing, day=day)


def other_person(community):
    return PersonFactory(community=community, name="赵六")
