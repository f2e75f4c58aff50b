"""One run of `movein.buyers_import_5k` in a process of its own, so that its peak memory is
its own.

    python -m bench.movein_import app|raw COMMUNITY_ID USER_ID BUYERS.xlsx

`app`: upload -> check -> commit through the import framework and the move-in services, as
the import page does. `raw`: the same rows read with openpyxl and written with plain INSERTs
(no checks, no events): the floor of the work. Prints one JSON object (seconds, peak_rss_mb,
rows) on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.estates_import import peak_rss_mb


def main(argv: list[str]) -> int:
    mode, community_id, user_id, path = argv
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from guanjia.accounts.models import User
    from guanjia.core.models import Community

    community = Community.objects.get(pk=int(community_id))
    user = User.objects.get(pk=int(user_id))
    started = time.perf_counter()
    rows = (_app if mode == "app" else _raw)(community, user, Path(path))
    seconds = time.perf_counter() - started
    sys.stdout.write(
        json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "rows": rows}) + "\n"
    )
    return 0


def _app(community: Any, user: Any, path: Path) -> int:
    from django.core.files import File

    from guanjia.core.imports.models import ImportStatus
    from guanjia.core.imports.services import commit_import, upload_import

    with path.open("rb") as handle:
        batch = upload_import(
            kind="movein_buyers", upload=File(handle, name=path.name), by=user, community=community
        )
    if batch.status != ImportStatus.VALIDATED:
        raise SystemExit(f"{batch.error_count} errors, e.g. {batch.errors[:3]}")
    batch = commit_import(batch=batch, by=user)
    if batch.status != ImportStatus.COMMITTED:
        raise SystemExit(f"the commit failed: {batch.errors[:3]}")
    return int(batch.row_count)


def _raw(community: Any, user: Any, path: Path) -> int:
    from django.db import connection, transaction
    from django.utils import timezone
    from openpyxl import load_workbook

    from guanjia.movein.models import Delivery, DeliveryBatch

    batch = DeliveryBatch.objects.filter(community=community).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT room_code, id FROM estates_unit WHERE community_id = %s", [community.pk]
        )
        units = dict(cursor.fetchall())
    fields = [f for f in Delivery._meta.concrete_fields if not f.primary_key]
    defaults = {f.column: f.get_default() for f in fields}
    defaults.update(status="listed", buyer_kind="person", community_id=community.pk,
                    batch_id=batch.pk)  # fmt: skip
    sheet = load_workbook(path, read_only=True).worksheets[0]
    now = timezone.now()
    values = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        given = {"created_at": now, "updated_at": now, "unit_id": units[f"{row[1]}-{row[3]}"],
                 "buyer_name": row[4], "phone": str(row[8] or ""),
                 "contract_no": str(row[9] or "")}  # fmt: skip
        values.append([given.get(f.column, defaults[f.column]) for f in fields])
    columns = ", ".join(f.column for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            sql = f"INSERT INTO movein_delivery ({columns}) VALUES " + ", ".join(
                f"({marks})" for _ in chunk
            )
            cursor.execute(sql, [v for row in chunk for v in row])
    return len(values)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
