"""Move-in benchmarks (issue 15): the developer's buyer list of 5,000 rows from upload to
committed, in a process of its own (time and peak memory), and the move-in notices of 1,000
units as one PDF."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import Benchmark

ROOT = Path(__file__).resolve().parent.parent
BUYERS = int(os.environ.get("BENCH_MOVEIN_BUYERS", "5000"))
NOTICES = int(os.environ.get("BENCH_MOVEIN_NOTICES", "1000"))
PEAK_RSS_MB = 500


def log(message: str) -> None:
    sys.stderr.write(message + "\n")


@dataclass
class ImportContext:
    path: Path
    targets: dict[str, tuple[int, int]]


def _community(code: str, units: int) -> tuple[Any, Any]:
    """A community with `units` sold units (10 buildings) and its director."""
    from django.contrib.auth.models import Group

    from guanjia.accounts.models import Membership, User
    from guanjia.core.models import Community, Company
    from guanjia.estates.models import Building, Unit, UnitStatus, Zone, room_code_for

    company = Company.objects.first() or Company.objects.create(name="基准物业")
    community = Community.objects.create(company=company, code=code, name=f"交房小区-{code}")
    zone = Zone.objects.create(community=community, name="一区")
    rows = []
    per = max(units // 10, 1)
    for b in range(1, 11):
        building = Building.objects.create(
            community=community, zone=zone, number=str(b), floors_above=30
        )
        for i in range(per):
            room = f"{i // 10 + 1}{i % 10 + 1:02d}"
            code_ = room_code_for(str(b), None, room)
            rows.append(Unit(community=community, building=building, room_number=room,
                             floor=i // 10 + 1, building_area="89.50", room_code=code_,
                             sort_key=code_, status=UnitStatus.SOLD_NOT_NOTIFIED))  # fmt: skip
    Unit.objects.bulk_create(rows, batch_size=2000)
    user = User.objects.create(username=f"bench-movein-{code}", full_name="主任", company=company)
    Membership.objects.create(
        user=user, role=Group.objects.get(name="director"), community=community,
        starts_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    return community, user


def _batch(community: Any, user: Any) -> Any:
    from django.utils import timezone

    from guanjia.movein.services import open_batch

    today = timezone.localdate()
    return open_batch(
        community=community, name="一期", notice_date=today, counter_from=today,
        counter_to=today + dt.timedelta(days=30), counter_hours="9:00-17:00",
        checked=["takeover", "services", "contract"], by=user,
    )  # fmt: skip


def write_buyers(path: Path, units: int) -> None:
    """The developer's list: one row a unit, valid resident IDs, phones, contract numbers."""
    import xlsxwriter

    from guanjia.estates.models.identity import resident_id_check_digit

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    head = ["交房批次", "楼栋", "单元", "房号", "业主姓名", "业主类型", "联系人", "证件号码",
            "联系电话", "购房合同号"]  # fmt: skip
    for c, h in enumerate(head):
        sheet.write_string(0, c, h)
    per = max(units // 10, 1)
    r = 1
    for b in range(1, 11):
        for i in range(per):
            first = f"1101011985{(r % 12) + 1:02d}{(r % 28) + 1:02d}{r % 1000:03d}"
            number = first + resident_id_check_digit(first)
            room = f"{i // 10 + 1}{i % 10 + 1:02d}"
            values = ["一期", str(b), "", room, f"业主{r}", "个人", "", number, f"139{r:08d}",
                      f"HT-{r:05d}"]  # fmt: skip
            for c, v in enumerate(values):
                sheet.write_string(r, c, v)
            r += 1
    book.close()


def _import_seed() -> ImportContext:
    folder = Path(tempfile.mkdtemp(prefix="guanjia-bench-movein-"))
    path = folder / "buyers.xlsx"
    write_buyers(path, BUYERS)
    targets = {}
    for mode in ("app", "raw"):
        community, user = _community(f"movein-{mode}", BUYERS)
        _batch(community, user)
        targets[mode] = (community.pk, user.pk)
    return ImportContext(path, targets)


def _child(context: ImportContext, mode: str) -> dict[str, Any]:
    community_id, user_id = context.targets[mode]
    command = [sys.executable, "-m", "bench.movein_import", mode, str(community_id),
               str(user_id), str(context.path)]  # fmt: skip
    done = subprocess.run(  # noqa: S603  # our interpreter, fixed arguments
        command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, check=False
    )
    sys.stderr.write(done.stderr[-4000:])
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} import failed: {done.stderr.strip()[-300:]}")
    outcome: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    log(
        f"movein.buyers_import_5k [{mode}]: {outcome['rows']} rows in "
        f"{outcome['seconds']:.2f} s, peak RSS {outcome['peak_rss_mb']:.0f} MB"
    )
    return outcome


def _import(context: ImportContext, i: int) -> None:
    outcome = _child(context, "app")
    if outcome["peak_rss_mb"] > PEAK_RSS_MB:
        raise RuntimeError(f"peak memory {outcome['peak_rss_mb']:.0f} MB is above {PEAK_RSS_MB} MB")


def _import_raw(context: ImportContext, i: int) -> None:
    _child(context, "raw")


def _notices_seed() -> Any:
    from guanjia.estates.models import Unit
    from guanjia.movein.models import Delivery

    community, user = _community("movein-notices", NOTICES)
    batch = _batch(community, user)
    Delivery.objects.bulk_create(
        [
            Delivery(
                community=community,
                batch=batch,
                unit=unit,
                buyer_name=f"业主{n}",
                contract_no=f"HT-{n:05d}",
            )
            for n, unit in enumerate(Unit.objects.filter(community=community), start=1)
        ],
        batch_size=1000,
    )
    return batch


def _notices(batch: Any, i: int) -> None:
    from guanjia.movein.services import notices_pdf

    pdf = notices_pdf(batch)
    log(f"movein.notices_1000: {len(pdf) / 1e6:.1f} MB PDF")


def _notices_raw(batch: Any, i: int) -> None:
    """WeasyPrint writing the same notices as plain HTML, no Guanjia code."""
    from weasyprint import HTML

    from guanjia.movein.models import Delivery

    rows = Delivery.objects.filter(batch=batch).values_list("buyer_name", "unit__room_code")
    body = "".join(
        f'<section style="page-break-after: always"><p>尊敬的 {n}（{u}）：</p>'
        "<p>您的房屋已具备交付条件，请携带本通知书、身份证、购房合同到管理处办理入住手续。</p></section>"
        for n, u in rows
    )
    HTML(string=f"<html><body>{body}</body></html>").write_pdf()


BENCHMARKS = [
    Benchmark(
        name="movein.buyers_import_5k",
        seed=_import_seed,
        run=_import,
        raw=_import_raw,
        n=BUYERS,
        unit="ms",
        stat="max",
        repeat=1,
        warmup=0,
        target=20_000.0,
        description="5,000 buyers from one .xlsx onto an open batch, upload to committed, in a "
        "process of its own (ms, including its start); fails above 500 MB peak RSS",
    ),
    Benchmark(
        name="movein.notices_1000",
        seed=_notices_seed,
        run=_notices,
        raw=_notices_raw,
        n=NOTICES,
        unit="ms",
        stat="max",
        repeat=1,
        warmup=0,
        target=180_000.0,
        description="the move-in notices of 1,000 units as one PDF (letterhead, Chinese fonts)",
    ),
]
