"""One search box for the front desk: room codes, names, pinyin, phones and plates.

Every branch reads an indexed, precomputed column (room_code, room_number, name, name_pinyin,
name_initials, mobile, other_phone, phone_last4, plate, plate_tail); the only LIKE '%x%' is a
short name fragment within one community.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from guanjia.core.access import communities_with_perm
from guanjia.core.models import Community
from guanjia.core.personal_data import LANDLINE_RE, MOBILE_RE, mask_phone

from ..models import Occupancy, Ownership, Person, PersonKind, Unit, Vehicle
from ..models.identity import (
    PLATE_RE,
    normalise_phone,
    normalise_plate,
    squeeze,
    strip_blanks,
)

if TYPE_CHECKING:
    from guanjia.core.access import User

ROOM_RE = re.compile(
    r"^(?P<b>[A-Z0-9]{1,6})(?:栋|幢|座|号楼|#|-|号)"
    r"(?:(?P<e>[A-Z0-9]{1,4})(?:单元|-))?(?P<r>[A-Z0-9]{1,8})(?:室|号|房)?$"
)
TAIL_RE = re.compile(r"^[A-Z][A-Z0-9]{4,6}$")
CJK_RE = re.compile(r"^[\u3400-\u9fff·]+$")
MAX_FRAGMENT = 6


@dataclass(frozen=True)
class SearchHit:
    """One search result: what it is, how it reads, where it leads."""

    kind: str  # "unit", "person" or "vehicle"
    pk: int
    title: str
    detail: str
    url: str
    community_id: int
    community_name: str


@dataclass(frozen=True)
class _Scope:
    user: User
    units: list[int]
    persons: list[int]
    vehicles: list[int]
    current: int | None


def search(
    user: User, q: str, community: Community | None = None, limit: int = 20
) -> list[SearchHit]:
    """Hits for `q` among the user's communities, those of `community` first."""
    text = squeeze(q)
    compact = strip_blanks(q).upper()
    if not compact:
        return []
    scope = _Scope(
        user=user,
        units=communities_with_perm(user, "estates.view_unit"),
        persons=communities_with_perm(user, "estates.view_person"),
        vehicles=communities_with_perm(user, "estates.view_vehicle"),
        current=community.pk if community is not None else None,
    )
    hits: list[SearchHit] = []
    hits += _unit_hits(_units(compact, scope, limit))
    hits += _person_hits(_persons(text, compact, scope, limit))
    hits += _vehicle_hits(_vehicles(compact, scope, limit))
    unique = {(h.kind, h.pk): h for h in hits}
    ordered = sorted(unique.values(), key=lambda h: h.community_id != scope.current)
    return ordered[:limit]


# --- Units ----------------------------------------------------------------------------------


def _units(compact: str, scope: _Scope, limit: int) -> list[Unit]:
    # An explicit order: the model's default one joins the company to sort by its name.
    base = Unit.objects.filter(community__in=scope.units).with_place().order_by("sort_key")
    match = ROOM_RE.match(compact)
    if match:
        b, e, r = match.group("b"), match.group("e"), match.group("r")
        if e:
            return list(base.filter(room_code=f"{b}-{e}-{r}")[:limit])
        return list(base.filter(room_number=r, building__number=b)[:limit])
    if re.match(r"^[A-Z]?\d{3,5}$", compact):
        return _current_first(base.filter(room_number=compact), scope, limit, scope.units)
    return []


def _current_first(qs: QuerySet[Any], scope: _Scope, limit: int, among: list[int]) -> list[Any]:
    """At most `limit` rows, those of the current community first (two indexed queries; one
    when the user sees no other community)."""
    if scope.current is None:
        return list(qs[:limit])
    mine = list(qs.filter(community=scope.current)[:limit])
    if len(mine) < limit and set(among) - {scope.current}:
        mine += list(qs.exclude(community=scope.current)[: limit - len(mine)])
    return mine


def _unit_hits(units: Iterable[Unit]) -> list[SearchHit]:
    return [
        SearchHit(
            kind="unit",
            pk=u.pk,
            title=u.label,
            detail=f"{u.room_code} · {u.get_status_display()}",
            url=reverse("estates:unit-detail", kwargs={"pk": u.pk}),
            community_id=u.community_id,
            community_name=u.community.name,
        )
        for u in units
    ]


# --- Persons --------------------------------------------------------------------------------


PERSON_HIT_FIELDS = ("name", "kind", "mobile", "other_phone", "community__name")
HOME_FIELDS = (
    "person_id",
    "unit__room_number",
    "unit__building__number",
    "unit__building__name",
    "unit__entrance__number",
)


def _persons(text: str, compact: str, scope: _Scope, limit: int) -> list[Person]:
    base = (
        Person.objects.visible_to(scope.user)  # security: occupants only (spec §26)
        .filter(community__in=scope.persons)
        .select_related("community")
        .only(*PERSON_HIT_FIELDS)
        .order_by("name_pinyin", "pk")  # the default order joins the company (see _units)
    )
    query = _person_filter(text, compact, scope)
    if query is None:
        return []
    return _current_first(base.filter(query), scope, limit, scope.persons)


def _person_filter(text: str, compact: str, scope: _Scope) -> Q | None:
    if compact.isdigit() and len(compact) == 4:
        return Q(phone_last4=compact)
    phone = normalise_phone(compact)
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return Q(mobile=phone) | Q(other_phone=phone)
    letters = compact.lower()
    if letters.isascii() and letters.isalpha():
        return _prefix("name_initials", letters) | _prefix("name_pinyin", letters)
    name = text.replace(" ", "")
    if CJK_RE.match(name):
        query = Q(name=name)
        fragment_community = scope.current or (
            scope.persons[0] if len(scope.persons) == 1 else None
        )
        if fragment_community is not None and len(name) <= MAX_FRAGMENT:
            query |= Q(community=fragment_community, name__contains=name)
        return query
    return None


def _prefix(column: str, value: str) -> Q:
    """`column` starts with `value`, as an index range (LIKE 'x%' skips indexes on SQLite).

    The pinyin columns hold only [a-z0-9], so the bound after "zs" is "zt" ("zz" -> "z{"
    would depend on the collation: trailing z's are dropped instead)."""
    stem = value.rstrip("z")
    if not stem:
        return Q(**{f"{column}__gte": value})
    upper = stem[:-1] + chr(ord(stem[-1]) + 1)
    return Q(**{f"{column}__gte": value, f"{column}__lt": upper})


def _homes(persons: list[Person]) -> dict[int, Unit]:
    """Each person's current home: an occupancy first, else an ownership."""
    ids = [p.pk for p in persons]
    homes: dict[int, Unit] = {}
    for model in (Occupancy, Ownership):
        rows = (
            model.objects.current()
            .filter(person_id__in=ids)
            .select_related("unit__building", "unit__entrance")
            .only(*HOME_FIELDS)
            .order_by("starts_on", "pk")  # the default order joins the company to sort
        )
        for row in rows:
            homes.setdefault(row.person_id, row.unit)
    return homes


def _person_hits(persons: list[Person]) -> list[SearchHit]:
    homes = _homes(persons) if persons else {}
    hits = []
    for p in persons:
        home = homes.get(p.pk)
        url = (
            reverse("estates:unit-detail", kwargs={"pk": home.pk})
            if home
            else reverse("estates:person-edit", kwargs={"pk": p.pk})
        )
        where = home.label if home else _("no unit")
        kind = f" · {_('organisation')}" if p.kind == PersonKind.ORGANISATION else ""
        hits.append(
            SearchHit(
                kind="person",
                pk=p.pk,
                title=p.name,
                detail=f"{where} · {mask_phone(p.mobile or p.other_phone)}{kind}".strip(" ·"),
                url=url,
                community_id=p.community_id,
                community_name=p.community.name,
            )
        )
    return hits


# --- Vehicles -------------------------------------------------------------------------------


def _vehicles(compact: str, scope: _Scope, limit: int) -> list[Vehicle]:
    base = (
        Vehicle.objects.filter(community__in=scope.vehicles)
        .select_related("community", "person", "unit__building", "unit__entrance")
        .defer("person__id_number_cipher")
        .order_by("plate")
    )
    plate = normalise_plate(compact)
    if PLATE_RE.match(plate):
        return list(base.filter(plate=plate)[:limit])
    if TAIL_RE.match(plate) and any(c.isdigit() for c in plate):
        return list(base.filter(plate_tail=plate)[:limit])
    return []


def _vehicle_hits(vehicles: Iterable[Vehicle]) -> list[SearchHit]:
    hits = []
    for v in vehicles:
        url = (
            reverse("estates:unit-detail", kwargs={"pk": v.unit_id})
            if v.unit_id
            else reverse("estates:vehicle-edit", kwargs={"pk": v.pk})
        )
        parts = [
            v.model,
            v.colour,
            v.person.name if v.person else "",
            v.unit.label if v.unit else "",
        ]
        hits.append(
            SearchHit(
                kind="vehicle",
                pk=v.pk,
                title=v.plate,
                detail=" · ".join(p for p in parts if p),
                url=url,
                community_id=v.community_id,
                community_name=v.community.name,
            )
        )
    return hits
