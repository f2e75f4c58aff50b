"""Builders of the vacant units' rows for tests: through the services, as the pages make them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guanjia.accounts.tests.factories import staff
from guanjia.estates.models import UnitStatus
from guanjia.estates.tests.factories import BuildingFactory, UnitFactory, ZoneFactory

from .. import services
from ..models import Category


def supervisor(world, community=None):
    community = community or world.a
    if community == world.a:
        return world.user("supervisor")
    return staff("supervisor", community, username=f"sup-{community.code}")


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def disguised(name="photo.jpg"):
    """A text file named and sent as a JPEG."""
    return SimpleUploadedFile(name, b"not a picture at all", content_type="image/jpeg")


def zone_unit(world, community=None, *, manager=None, status=UnitStatus.DELIVERED, **kw):
    """A unit in a zone (managed by `manager` when given)."""
    community = community or world.a
    zone = ZoneFactory(community=community, area_manager=manager)
    building = BuildingFactory(community=community, zone=zone)
    return UnitFactory(community=community, building=building, status=status, **kw)


def vacancy(world, community=None, *, unit=None, category=Category.UNOCCUPIED, by=None, **kw):
    community = community or world.a
    unit = unit or zone_unit(world, community)
    return services.register_vacancy(
        community=community,
        unit=unit,
        category=category,
        by=by or supervisor(world, community),
        **kw,
    )


ALL_OK = services.Checklist(
    doors_ok=True,
    no_leaks=True,
    no_damp=True,
    fixtures_ok=True,
    meters_still=True,
    clean_ok=True,
    ventilated=True,
)
