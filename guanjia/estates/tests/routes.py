"""Every estates route and its promises (see guanjia/core/tests/matrix.py)."""

from django.core.files.base import ContentFile

from guanjia.core.tests.matrix import RouteCase
from guanjia.estates.models import UnitDocument

from .factories import (
    BuildingFactory,
    EntranceFactory,
    OccupancyFactory,
    ParkingSpaceFactory,
    PersonFactory,
    PetFactory,
    UnitFactory,
    VehicleFactory,
    ZoneFactory,
)

LIST = "a list shows the current community's rows only"
SEARCH = "search reads only the user's communities"
NEW = "a new row is created in the current community"


def unit(w, c):
    return {"pk": UnitFactory(community=c).pk}


def occupant(w, c):
    """A person living in a unit of `c` (security sees occupants, not owners: spec §26)."""
    person = PersonFactory(community=c)
    OccupancyFactory(unit=UnitFactory(community=c), person=person)
    return {"pk": person.pk}


def document(w, c):
    u = UnitFactory(community=c)
    doc = UnitDocument(
        community=c,
        unit=u,
        kind="other",
        title="合同",
        original_name="a.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=w.user("receptionist"),
    )
    doc.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"app_label": "estates", "model": "unitdocument", "pk": doc.pk, "field": "file"}


def unscoped(name, allowed, denied=None, why=LIST, **kw):
    return RouteCase(name, allowed=allowed, denied=denied, scoped=False, why_unscoped=why, **kw)


ROUTES = [
    unscoped("estates:search", "receptionist", "hr", why=SEARCH, query="q=1201", max_queries=13),
    unscoped("estates:search-results", "security", "hr", why=SEARCH, query="q=zs", max_queries=11),
    # Setup
    unscoped("estates:zone-list", "receptionist", "hr", max_queries=12),
    unscoped("estates:zone-create", "supervisor", "receptionist", why=NEW, max_queries=13),
    RouteCase(
        "estates:zone-edit",
        allowed="supervisor",
        denied="receptionist",
        kwargs=lambda w, c: {"pk": ZoneFactory(community=c).pk},
        max_queries=14,
    ),
    unscoped("estates:building-list", "receptionist", "hr", max_queries=13),
    unscoped("estates:building-create", "receptionist", "cashier", why=NEW, max_queries=12),
    RouteCase(
        "estates:building-edit",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": BuildingFactory(community=c).pk},
        max_queries=13,
    ),
    RouteCase(
        "estates:building-units-bulk",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": BuildingFactory(community=c).pk},
        max_queries=13,
    ),
    unscoped("estates:entrance-list", "receptionist", "hr", max_queries=13),
    unscoped("estates:entrance-create", "receptionist", "cashier", why=NEW, max_queries=12),
    RouteCase(
        "estates:entrance-edit",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": EntranceFactory(building=BuildingFactory(community=c)).pk},
        max_queries=14,
    ),
    unscoped("estates:unit-list", "cashier", "hr", max_queries=14),
    unscoped("estates:unit-create", "receptionist", "cashier", why=NEW, max_queries=13),
    RouteCase(
        "estates:unit-edit", allowed="receptionist", denied="cashier", kwargs=unit, max_queries=15
    ),
    unscoped("estates:parking-list", "receptionist", "hr", max_queries=12),
    unscoped("estates:parking-create", "receptionist", "cashier", why=NEW, max_queries=11),
    RouteCase(
        "estates:parking-edit",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": ParkingSpaceFactory(community=c).pk},
        max_queries=13,
    ),
    # The household archive
    RouteCase("estates:unit-detail", allowed="security", denied="hr", kwargs=unit, max_queries=18),
    RouteCase("estates:unit-history", allowed="director", denied="hr", kwargs=unit, max_queries=14),
    RouteCase(
        "estates:unit-status",
        allowed="receptionist",
        denied="cashier",
        method="POST",
        kwargs=unit,
        data=lambda w, c: {"to": "vacant", "note": "业主外出"},
        max_queries=21,
    ),
    RouteCase(
        "estates:unit-owners",
        allowed="receptionist",
        denied="security",
        kwargs=unit,
        max_queries=16,
    ),
    RouteCase(
        "estates:occupancy-create",
        allowed="receptionist",
        denied="cashier",
        kwargs=unit,
        max_queries=13,
    ),
    RouteCase(
        "estates:occupancy-end",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": OccupancyFactory(unit=UnitFactory(community=c)).pk},
        max_queries=13,
    ),
    RouteCase(
        "estates:vehicle-create",
        allowed="receptionist",
        denied="cashier",
        kwargs=unit,
        max_queries=13,
    ),
    unscoped("estates:vehicle-list", "security", "hr", max_queries=12),
    RouteCase(
        "estates:vehicle-edit",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": VehicleFactory(unit=UnitFactory(community=c)).pk},
        max_queries=14,
    ),
    RouteCase(
        "estates:pet-create", allowed="receptionist", denied="cashier", kwargs=unit, max_queries=12
    ),
    RouteCase(
        "estates:pet-edit",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": PetFactory(unit=UnitFactory(community=c)).pk},
        max_queries=13,
    ),
    RouteCase(
        "estates:document-create",
        allowed="receptionist",
        denied="security",
        kwargs=unit,
        max_queries=12,
    ),
    # The core serving view (guanjia/core/files) is listed here: core has no file field of its
    # own, and core's tests build no other app's rows. A household document of community A.
    RouteCase(
        "files:serve", allowed="director", denied="security", kwargs=document, max_queries=11
    ),
    RouteCase(
        "estates:note-create",
        allowed="receptionist",
        denied="cashier",
        method="POST",
        kwargs=unit,
        data=lambda w, c: {"text": "业主来电询问停车位"},
        max_queries=17,
    ),
    # People and personal data
    unscoped("estates:person-list", "receptionist", "hr", max_queries=12),
    unscoped("estates:person-create", "receptionist", "cashier", why=NEW, max_queries=11),
    RouteCase(
        "estates:person-edit",
        allowed="receptionist",
        denied="cashier",
        kwargs=lambda w, c: {"pk": PersonFactory(community=c).pk},
        max_queries=13,
    ),
    RouteCase(
        "estates:person-reveal",
        allowed="receptionist",
        denied="security",
        kwargs=occupant,
        query="field=mobile",
        max_queries=12,
    ),
    RouteCase(
        "estates:person-reveal",
        allowed="receptionist",
        denied="security",
        method="POST",
        kwargs=occupant,
        data=lambda w, c: {"field": "mobile", "reason": "业主报修回访"},
        max_queries=15,
    ),
    unscoped("estates:access-log", "director", "receptionist", max_queries=12),
    # Excel exports of the lists (the current community's rows, with the list's filters)
    unscoped("estates:unit-export", "cashier", "hr", max_queries=12),
    unscoped("estates:building-export", "receptionist", "hr", max_queries=12),
    unscoped("estates:zone-export", "receptionist", "hr", max_queries=12),
    unscoped("estates:entrance-export", "receptionist", "hr", max_queries=12),
    unscoped("estates:person-export", "receptionist", "hr", max_queries=12),
    unscoped("estates:vehicle-export", "security", "hr", max_queries=12),
    unscoped("estates:parking-export", "security", "hr", max_queries=12),
    unscoped("estates:access-log-export", "director", "receptionist", max_queries=12),
]

# --- API ------------------------------------------------------------------------------------

BODY = "the body names the community; one the caller cannot see is refused with 400"


def api(name, allowed, denied, method="GET", **kw):
    return RouteCase(
        f"estates-api:{name}", allowed=allowed, denied=denied, method=method, api=True, **kw
    )


def pk_of(factory, **extra):
    return lambda w, c: {"pk": factory(community=c, **extra).pk}


def unit_pk(factory):
    return lambda w, c: {"pk": factory(unit=UnitFactory(community=c)).pk}


def building_body(w, c):
    return {
        "community": c.pk,
        "zone": ZoneFactory(community=c).pk,
        "number": "99",
        "floors_above": 18,
    }


ROUTES += [
    api(
        "search",
        "receptionist",
        "hr",
        scoped=False,
        why_unscoped=SEARCH,
        query="q=zs",
        max_queries=11,
    ),
    api("community-list", "cashier", "hr", scoped=False, why_unscoped=LIST, max_queries=12),
    api("community-detail", "cashier", "hr", kwargs=lambda w, c: {"pk": c.pk}, max_queries=11),
    api("zone-list", "receptionist", "hr", scoped=False, why_unscoped=LIST, max_queries=11),
    api(
        "zone-list",
        "supervisor",
        "receptionist",
        "POST",
        scoped=False,
        why_unscoped=BODY,
        data=lambda w, c: {"community": c.pk, "name": "新片区"},
        ok=(201,),
        max_queries=21,
    ),
    api("zone-detail", "receptionist", "hr", kwargs=pk_of(ZoneFactory), max_queries=11),
    api(
        "zone-detail",
        "supervisor",
        "receptionist",
        "PATCH",
        kwargs=pk_of(ZoneFactory),
        data=lambda w, c: {"note": "东区"},
        max_queries=20,
    ),
    api("building-list", "receptionist", "hr", scoped=False, why_unscoped=LIST, max_queries=11),
    api(
        "building-list",
        "receptionist",
        "cashier",
        "POST",
        scoped=False,
        why_unscoped=BODY,
        data=building_body,
        ok=(201,),
        max_queries=20,
    ),
    api("building-detail", "receptionist", "hr", kwargs=pk_of(BuildingFactory), max_queries=11),
    api(
        "building-detail",
        "receptionist",
        "cashier",
        "PATCH",
        kwargs=pk_of(BuildingFactory),
        data=lambda w, c: {"has_lift": False},
        max_queries=19,
    ),
    api("unit-list", "cashier", "hr", scoped=False, why_unscoped=LIST, max_queries=11),
    api(
        "unit-list",
        "receptionist",
        "cashier",
        "POST",
        scoped=False,
        why_unscoped=BODY,
        data=lambda w, c: {
            "building": BuildingFactory(community=c).pk,
            "room_number": "101",
            "floor": 1,
            "building_area": "88.80",
        },
        ok=(201,),
        max_queries=30,
    ),
    api("unit-detail", "cashier", "hr", kwargs=pk_of(UnitFactory), max_queries=11),
    api(
        "unit-detail",
        "receptionist",
        "cashier",
        "PATCH",
        kwargs=pk_of(UnitFactory),
        data=lambda w, c: {"layout": "三室两厅"},
        max_queries=31,
    ),
    api("person-list", "receptionist", "hr", scoped=False, why_unscoped=LIST, max_queries=11),
    api(
        "person-list",
        "receptionist",
        "cashier",
        "POST",
        scoped=False,
        why_unscoped=BODY,
        data=lambda w, c: {"community": c.pk, "name": "曾志强", "mobile": "13912345678"},
        ok=(201,),
        max_queries=22,
    ),
    api("person-detail", "receptionist", "hr", kwargs=pk_of(PersonFactory), max_queries=11),
    api(
        "person-detail",
        "receptionist",
        "cashier",
        "PATCH",
        kwargs=pk_of(PersonFactory),
        data=lambda w, c: {"employer": "广州某公司"},
        max_queries=22,
    ),
    api("occupancy-list", "security", "hr", scoped=False, why_unscoped=LIST, max_queries=11),
    api(
        "occupancy-list",
        "receptionist",
        "cashier",
        "POST",
        scoped=False,
        why_unscoped=BODY,
        data=lambda w, c: {
            "unit": UnitFactory(community=c).pk,
            "person": PersonFactory(community=c).pk,
            "relation": "family",
            "starts_on": "2024-01-01",
        },
        ok=(201,),
        max_queries=36,
    ),
    api("occupancy-detail", "security", "hr", kwargs=unit_pk(OccupancyFactory), max_queries=11),
    api(
        "occupancy-detail",
        "receptionist",
        "cashier",
        "PATCH",
        kwargs=unit_pk(OccupancyFactory),
        data=lambda w, c: {"note": "长期居住"},
        max_queries=35,
    ),
    api("vehicle-list", "security", "hr", scoped=False, why_unscoped=LIST, max_queries=11),
    api(
        "vehicle-list",
        "receptionist",
        "cashier",
        "POST",
        scoped=False,
        why_unscoped=BODY,
        data=lambda w, c: {
            "community": c.pk,
            "plate": "粤B 12345",
            "unit": UnitFactory(community=c).pk,
        },
        ok=(201,),
        max_queries=20,
    ),
    api("vehicle-detail", "security", "hr", kwargs=unit_pk(VehicleFactory), max_queries=11),
    api(
        "vehicle-detail",
        "receptionist",
        "cashier",
        "PATCH",
        kwargs=unit_pk(VehicleFactory),
        data=lambda w, c: {"colour": "白色"},
        max_queries=21,
    ),
]
