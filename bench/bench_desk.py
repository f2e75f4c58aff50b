# ruff: noqa: E501  (the raw path is plain SQL, kept one clause a line to compare with the ORM)
"""Front desk: opening a pre-filled shift handover (spec §06) for a community with 100,000 open
tickets, 2,000 keys (a quarter of them out) and 5,000 parcels held.

The application's path is `guanjia.desk.services.open_handover` (every registered section
collected, the handover and its lines written), rolled back after each call; the raw path runs
the same reads in plain SQL and writes the same rows, rolled back too. See docs/bench.md and
docs/front-desk.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from bench.harness import Benchmark

OPEN_TICKETS = 100_000
KEYS = 2_000
KEYS_OUT = 500
PARCELS = 5_000
LIMIT = 50  # handover.section_lines, the default

_SEEDED: dict[str, Any] = {}


def log(message: str) -> None:
    print(f"bench[desk]: {message}", file=sys.stderr, flush=True)


def _series(n: int) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(SELECT generate_series(1, {int(n)}) AS i) s"
    return (
        f"(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {int(n)}) "
        "SELECT i FROM g) s"
    )


def _at(base: dt.datetime, seconds_sql: str) -> str:
    """A timestamp `seconds_sql` seconds after `base`, in SQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(TIMESTAMPTZ '{base.isoformat()}' + ({seconds_sql}) * INTERVAL '1 second')"
    stamp = base.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    return f"strftime('%Y-%m-%d %H:%M:%S', '{stamp}', ({seconds_sql}) || ' seconds')"


def _execute(sql: str, params: list[Any] | None = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _seed() -> Any:
    from django.db import transaction

    if "ctx" not in _SEEDED:
        with transaction.atomic():
            _SEEDED["ctx"] = _build()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return _SEEDED["ctx"]


def _build() -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from guanjia.accounts.models import Membership, User
    from guanjia.accounts.services import sync_roles
    from guanjia.core.models import Community, Company
    from guanjia.desk.models import Post, PostKind, Shift
    from guanjia.estates.models import Building, Zone

    sync_roles()
    company = Company.objects.create(name="前台基准物业")
    community = Community.objects.create(company=company, code="desk-bench", name="前台基准小区")
    other = Community.objects.create(company=company, code="desk-other", name="其他小区")
    receptionist = Group.objects.get(name="receptionist")
    users = []
    for name in ("out", "in"):
        user = User.objects.create(username=f"desk-{name}", company=company)
        Membership.objects.create(
            user=user, role=receptionist, community=community, starts_on=dt.date(2025, 1, 1)
        )
        users.append(user)
    zone = Zone.objects.create(community=community, name="一区")
    building = Building.objects.create(
        community=community, zone=zone, number="1", floors_above=99, floors_below=0
    )
    now = timezone.now()
    _execute(
        "INSERT INTO estates_unit (created_at, updated_at, room_number, floor, building_area, "
        "inner_area, kind, layout, status, room_code, note, building_id, community_id, sort_key) "
        f"SELECT %s, %s, CAST(i AS VARCHAR(10)), 1, 89.50, 72.30, 'flat', '', 'vacant', "
        f"'1-' || CAST(i AS VARCHAR(10)), '', %s, %s, '' FROM {_series(PARCELS)}",
        [now, now, building.pk, community.pk],
    )
    first_unit = building.units.order_by("pk").values_list("pk", flat=True).first()
    base = now - dt.timedelta(hours=OPEN_TICKETS // 120)
    # Open repairs in this community (and as many in another): every 36 s one falls due,
    # half before the next shift ends; half dispatched, half only registered.
    for community_id in (community.pk, other.pk):
        _execute(
            f"""
            INSERT INTO tickets_repairorder (created_at, updated_at, community_id, number,
                location, place, category, urgency, warranty, is_paid, description, status,
                registered_at, arrive_due, arrived_at, complete_due, completed_at,
                quote_status, fault, work_done, materials, signature)
            SELECT {_at(base, "i * 36")}, {_at(base, "i * 36")}, {community_id},
                'WX-' || i, 'home', '', 'plumbing', 'ordinary', 'none', FALSE, '漏水',
                CASE WHEN i % 2 = 0 THEN 'dispatched' ELSE 'registered' END,
                {_at(base, "i * 36")}, {_at(base, "i * 36 + 1800")}, NULL,
                {_at(base, "i * 72 + 172800")}, NULL, '', '', '', '', ''
            FROM {_series(OPEN_TICKETS)}
            """
        )
    _execute(
        "INSERT INTO desk_key (created_at, updated_at, community_id, unit_id, kind, holding, "
        "description, count, envelope_no, cabinet_slot, registered_by_id) "
        f"SELECT %s, %s, %s, {first_unit} + i - 1, 'door', 'office', '', 1, '', "
        f"'K-' || CAST(i AS VARCHAR(10)), %s FROM {_series(KEYS)}",
        [now, now, community.pk, users[0].pk],
    )
    first_key = community_keys_first(community.pk)
    _execute(
        "INSERT INTO desk_keyloan (created_at, updated_at, community_id, key_id, staff_id, "
        "borrower_name, purpose, out_at, due_at, lent_by_id, out_signature, return_signature) "
        f"SELECT %s, %s, %s, {first_key} + i - 1, %s, '维修工', '维修', %s, "
        f"{_at(now, 'i * 60 - 3600')}, %s, 'desk/signatures/x.png', '' FROM {_series(KEYS_OUT)}",
        [now, now, community.pk, users[0].pk, now, users[0].pk],
    )
    _execute(
        "INSERT INTO desk_parcel (created_at, updated_at, community_id, unit_id, addressee, kind, "
        "carrier, tracking_no, shelf, received_at, received_by_id, signature, return_note) "
        f"SELECT %s, %s, %s, {first_unit} + i - 1, '王五', 'parcel', '顺丰', '', 'A', "
        f"{_at(now, '0 - i * 300')}, %s, '', '' FROM {_series(PARCELS)}",
        [now, now, community.pk, users[0].pk],
    )
    post = Post.objects.create(community=community, name="前台", kind=PostKind.FRONT_DESK)
    shift = Shift.objects.create(
        community=community, post=post, name="白班", starts=dt.time(8), ends=dt.time(20)
    )
    Shift.objects.create(
        community=community, post=post, name="夜班", starts=dt.time(20), ends=dt.time(8)
    )
    log(
        f"seeded {OPEN_TICKETS} open repairs (and as many elsewhere), {KEYS} keys, {PARCELS} parcels"
    )
    return {"community": community, "post": post, "shift": shift, "out": users[0], "in": users[1]}


def community_keys_first(community_id: int) -> int:
    from guanjia.desk.models import Key

    return int(
        Key.objects.filter(community_id=community_id).order_by("pk").values_list("pk", flat=True)[0]
    )


class _Rollback(Exception):
    pass


def _app(ctx: dict[str, Any], i: int) -> None:
    from django.db import transaction

    from guanjia.desk.services import open_handover

    try:
        with transaction.atomic():
            handover = open_handover(
                post=ctx["post"], shift=ctx["shift"], incoming=ctx["in"], by=ctx["out"]
            )
            ctx["lines"] = handover.items.count()
            raise _Rollback
    except _Rollback:
        pass


def _raw(ctx: dict[str, Any], i: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    c = ctx["community"].pk
    shift = ctx["shift"]
    day = timezone.localdate()
    start, end = shift.window(day)
    until = end + dt.timedelta(hours=12)
    now = timezone.now()
    lines: list[tuple[str, str, str]] = []
    try:
        with transaction.atomic(), connection.cursor() as cur:
            due = (
                "community_id = %s AND ((complete_due < %s AND completed_at IS NULL) OR "
                "(arrive_due < %s AND arrived_at IS NULL)) AND status NOT IN ('cancelled', 'verified')"
            )
            cur.execute(
                f"SELECT id, number, place, description, status, complete_due, arrive_due "
                f"FROM tickets_repairorder WHERE {due} ORDER BY complete_due, id LIMIT {LIMIT}",
                [c, until, until],
            )
            lines += [("tickets_due", r[1], r[3]) for r in cur.fetchall()]
            cur.execute(f"SELECT COUNT(*) FROM tickets_repairorder WHERE {due}", [c, until, until])
            cur.fetchone()
            cdue = (
                "community_id = %s AND ((resolve_due < %s AND resolved_at IS NULL) OR "
                "(first_reply_due < %s AND first_replied_at IS NULL)) AND status <> 'closed'"
            )
            cur.execute(
                f"SELECT id, number FROM tickets_complaint WHERE {cdue} ORDER BY resolve_due, id LIMIT {LIMIT}",
                [c, until, until],
            )
            cur.fetchall()
            cur.execute(f"SELECT COUNT(*) FROM tickets_complaint WHERE {cdue}", [c, until, until])
            cur.fetchone()
            busy = "('dispatched', 'accepted', 'on_site', 'quoted', 'waiting_parts', 'no_access')"
            cur.execute(
                f"SELECT id, number, place, description FROM tickets_repairorder WHERE community_id = %s "
                f"AND status IN {busy} ORDER BY id DESC LIMIT {LIMIT}",
                [c],
            )
            lines += [("repairs", r[1], r[3]) for r in cur.fetchall()]
            cur.execute(
                f"SELECT COUNT(*) FROM tickets_repairorder WHERE community_id = %s AND status IN {busy}",
                [c],
            )
            cur.fetchone()
            waiting = "('registered', 'handling', 'resolved')"
            cur.execute(
                f"SELECT id, number FROM tickets_complaint WHERE community_id = %s AND status IN {waiting} ORDER BY id DESC LIMIT {LIMIT}",
                [c],
            )
            cur.fetchall()
            cur.execute(
                f"SELECT COUNT(*) FROM tickets_complaint WHERE community_id = %s AND status IN {waiting}",
                [c],
            )
            cur.fetchone()
            cur.execute(
                "SELECT k.cabinet_slot, u.room_code, l.borrower_name, l.due_at FROM desk_keyloan l "
                "JOIN desk_key k ON k.id = l.key_id JOIN estates_unit u ON u.id = k.unit_id "
                f"WHERE l.community_id = %s AND l.returned_at IS NULL ORDER BY l.due_at, l.id LIMIT {LIMIT}",
                [c],
            )
            lines += [("keys_out", r[0], f"{r[0]} {r[1]} {r[2]}") for r in cur.fetchall()]
            cur.execute(
                "SELECT COUNT(*) FROM desk_keyloan WHERE community_id = %s AND returned_at IS NULL",
                [c],
            )
            cur.fetchone()
            held = "p.community_id = %s AND p.collected_at IS NULL AND p.returned_at IS NULL"
            cur.execute(f"SELECT COUNT(*) FROM desk_parcel p WHERE {held}", [c])
            lines.append(("parcels", "", str(cur.fetchone()[0])))
            cur.execute(
                "SELECT u.room_code, p.addressee, p.carrier, p.shelf FROM desk_parcel p JOIN estates_unit u "
                f"ON u.id = p.unit_id WHERE {held} ORDER BY p.received_at, p.id LIMIT {LIMIT}",
                [c],
            )
            lines += [("parcels", r[3], f"{r[0]} {r[1]}") for r in cur.fetchall()]
            cur.execute(
                "SELECT i.text FROM desk_instruction i LEFT JOIN desk_post p ON p.id = i.post_id "
                "WHERE i.community_id = %s AND i.valid_until >= %s AND (i.post_id IS NULL OR p.kind = %s) "
                f"ORDER BY i.id DESC LIMIT {LIMIT}",
                [c, day, "front_desk"],
            )
            cur.fetchall()
            for table, column in (("desk_keyloan", "out_at"), ("desk_keyloan", "returned_at"),
                                  ("desk_parcel", "received_at"), ("desk_parcel", "collected_at")):  # fmt: skip
                cur.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE community_id = %s AND {column} BETWEEN %s AND %s",
                    [c, start, end],
                )
                cur.fetchone()
            lines += [("events", "", "keys"), ("events", "", "parcels")]
            cur.execute(
                "INSERT INTO desk_handover (created_at, updated_at, community_id, post_id, shift_id, day, "
                "shift_ends_at, status, outgoing_id, incoming_id, notes, equipment, outgoing_signature, "
                "incoming_signature, late_minutes, refusal_reason, discrepancy_count) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, 'open', %s, %s, '', '', '', '', 0, '', 0)",
                [now, now, c, ctx["post"].pk, shift.pk, day, end, ctx["out"].pk, ctx["in"].pk],
            )
            cur.execute("SELECT MAX(id) FROM desk_handover")
            handover_id = cur.fetchone()[0]
            cur.execute(
                "INSERT INTO desk_handoverevent (created_at, updated_at, handover_id, actor_id, at, action, "
                "from_status, to_status, note, data) VALUES (%s, %s, %s, %s, %s, 'created', '', 'open', '', '{}')",
                [now, now, handover_id, ctx["out"].pk, now],
            )
            cur.executemany(
                "INSERT INTO desk_handoveritem (created_at, updated_at, community_id, handover_id, section, "
                "position, ref, summary, detail, finding, finding_note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', '', '')",
                [
                    [now, now, c, handover_id, s, n, ref[:40], text[:200]]
                    for n, (s, ref, text) in enumerate(lines)
                ],
            )
            raise _Rollback
    except _Rollback:
        pass


BENCHMARKS = [
    Benchmark(
        name="desk.handover_prefill",
        seed=_seed,
        run=_app,
        raw=_raw,
        n=30,
        warmup=3,
        unit="ms",
        stat="p95",
        target=300.0,
        description=(
            "open a pre-filled handover (every section collected, the handover and its lines "
            "written, rolled back) for a community with 100,000 open tickets, 2,000 keys "
            "(500 out) and 5,000 parcels held"
        ),
    ),
]
