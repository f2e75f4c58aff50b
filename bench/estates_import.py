"""One run of `import.units_10k` in a process of its own, so that its peak memory is its own.

    python -m bench.estates_import app|raw COMMUNITY_ID USER_ID UNITS.xlsx OWNERS.xlsx

`app`: upload -> check -> commit of both files through the import framework and the estates
services, as the import pages do. `raw`: the same rows read with openpyxl and written with
plain multi-row INSERTs (no checks, no history, no search keys): the floor of the work.
Prints one JSON object (seconds, peak_rss_mb, rows) on stdout. The environment (database,
settings) is the parent benchmark process's.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    mode, community_id, user_id, units_path, owners_path = argv
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from guanjia.accounts.models import User
    from guanjia.core.models import Community

    community = Community.objects.get(pk=int(community_id))
    user = User.objects.get(pk=int(user_id))
    started = time.perf_counter()
    work = _app if mode == "app" else _raw
    rows = work(community, user, Path(units_path), Path(owners_path))
    seconds = time.perf_counter() - started
    sys.stdout.write(
        json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "rows": rows}) + "\n"
    )
    return 0


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB.

    Linux keeps `getrusage().ru_maxrss` across exec, so a child started by a large parent
    (the benchmark process holds the fixture) would report the parent's peak; the kernel's
    high-water mark of this process's own memory map (VmHWM) does not carry over.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _app(community: Any, user: Any, units: Path, owners: Path) -> int:
    from django.core.files import File

    from guanjia.core.imports.models import ImportStatus
    from guanjia.core.imports.services import commit_import, upload_import

    total = 0
    for kind, path in (("units", units), ("owners", owners)):
        with path.open("rb") as handle:
            batch = upload_import(
                kind=kind, upload=File(handle, name=path.name), by=user, community=community
            )
        if batch.status != ImportStatus.VALIDATED:
            raise SystemExit(f"{kind}: {batch.error_count} errors, e.g. {batch.errors[:3]}")
        batch = commit_import(batch=batch, by=user)
        if batch.status != ImportStatus.COMMITTED:
            raise SystemExit(f"{kind}: the commit failed: {batch.errors[:3]}")
        total += batch.row_count
    return total


def _sheet_rows(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    finally:
        workbook.close()


def _raw(community: Any, user: Any, units: Path, owners: Path) -> int:
    """The same rows in plain SQL: buildings, entrances, units, persons, ownerships."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.fixtures_estates import PERSON_COLUMNS, insert

    unit_rows, owner_rows = _sheet_rows(units), _sheet_rows(owners)
    now = timezone.now()
    stamp = (
        now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM estates_zone WHERE community_id = %s", [community.pk])
        zone_id = cursor.fetchone()[0]
        ids = _raw_structure(cursor, community.pk, zone_id, unit_rows, stamp)
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM estates_person")
        before = cursor.fetchone()[0]
        columns = PERSON_COLUMNS[1:]  # every column but the id, blank unless given
        insert(
            "estates_person",
            columns,
            (
                _person(columns, stamp, community.pk, name=row[3], mobile=row[4] or "")
                for row in owner_rows
            ),
        )
        cursor.execute("SELECT id FROM estates_person WHERE id > %s ORDER BY id", [before])
        person_ids = [pk for (pk,) in cursor.fetchall()]
        insert(
            "estates_ownership",
            ("created_at", "updated_at", "community_id", "unit_id", "person_id", "share",
             "starts_on", "title_ref", "contract_ref"),
            (
                (stamp, stamp, community.pk, ids[(str(row[0]), str(row[1]), str(row[2]))],
                 person_ids[n], row[7] or 100, "2024-05-01", "", "")
                for n, row in enumerate(owner_rows)
            ),
        )  # fmt: skip
    return len(unit_rows) + len(owner_rows)


def _person(columns: tuple[str, ...], stamp: Any, community_id: int, **given: Any) -> tuple:
    values = {"created_at": stamp, "updated_at": stamp, "community_id": community_id}
    values |= {"kind": "person", **given}
    return tuple(values.get(column, "") for column in columns)


def _raw_structure(
    cursor: Any, community_id: int, zone_id: int, rows: list[tuple[Any, ...]], stamp: Any
) -> dict[tuple[str, str, str], int]:
    """Buildings, entrances and units by INSERT ... RETURNING-free plain SQL; unit ids back."""
    from bench.fixtures_estates import insert

    buildings = sorted({str(row[0]) for row in rows}, key=int)
    insert(
        "estates_building",
        ("created_at", "updated_at", "community_id", "zone_id", "number", "name",
         "floors_above", "floors_below", "has_lift"),
        ((stamp, stamp, community_id, zone_id, number, "", 25, 0, True) for number in buildings),
    )  # fmt: skip
    cursor.execute(
        "SELECT number, id FROM estates_building WHERE community_id = %s", [community_id]
    )
    building_ids = dict(cursor.fetchall())
    entrances = sorted({(str(row[0]), str(row[1])) for row in rows})
    insert(
        "estates_entrance",
        ("created_at", "updated_at", "community_id", "building_id", "number"),
        ((stamp, stamp, community_id, building_ids[b], e) for b, e in entrances),
    )
    cursor.execute(
        "SELECT b.number, e.number, e.id FROM estates_entrance e "
        "JOIN estates_building b ON b.id = e.building_id WHERE e.community_id = %s",
        [community_id],
    )
    entrance_ids = {(b, e): pk for b, e, pk in cursor.fetchall()}
    insert(
        "estates_unit",
        ("created_at", "updated_at", "community_id", "building_id", "entrance_id", "room_number",
         "floor", "building_area", "inner_area", "kind", "layout", "status", "room_code", "note"),
        (
            (stamp, stamp, community_id, building_ids[str(r[0])],
             entrance_ids[(str(r[0]), str(r[1]))], str(r[2]), r[3], str(r[4]), str(r[5]), "flat",
             r[7] or "", "occupied", f"{r[0]}-{r[1]}-{r[2]}", "")
            for r in rows
        ),
    )  # fmt: skip
    cursor.execute(
        "SELECT b.number, e.number, u.room_number, u.id FROM estates_unit u "
        "JOIN estates_building b ON b.id = u.building_id "
        "JOIN estates_entrance e ON e.id = u.entrance_id WHERE u.community_id = %s",
        [community_id],
    )
    return {(b, e, r): pk for b, e, r, pk in cursor.fetchall()}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
