"""Attendance (spec §22): computing a month for 500 employees with 4 punches a day, recomputing
one person's day after a correction, and importing 100,000 punch rows from the attendance
machine's file through the import framework (check, preview batch, commit).

The application's paths are `guanjia.attendance.services.compute`, `recompute_day` and
`read_punch_file` + `core.imports.services.upload_rows` + `commit_import`; the raw paths read
the same rows in plain SQL (the roster joined to its punches) and insert the punches with one
multi-row INSERT. See docs/bench.md and docs/attendance.md.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from typing import Any

from bench.harness import Benchmark

EMPLOYEES = 500
DAYS = 30
IMPORT_ROWS = 100_000
IMPORT_DAYS = IMPORT_ROWS // (EMPLOYEES * 4)  # 50 days of 4 punches for 500 people

_SEEDED: dict[str, Any] = {}


def log(message: str) -> None:
    print(f"bench[attendance]: {message}", file=sys.stderr, flush=True)


def _seed() -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from guanjia.accounts.models import Membership, User
    from guanjia.attendance.models import Punch, PunchSource, RosterEntry
    from guanjia.core.models import Community, Company
    from guanjia.desk.models import Post, PostKind, Shift

    if "ctx" in _SEEDED:
        return _SEEDED["ctx"]  # type: ignore[no-any-return]
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        company = Company.objects.create(name="考勤物业")
        community = Community.objects.create(company=company, name="考勤小区", code="attb")
        boss = User.objects.create(username="att-boss", full_name="主管", company=company)
        Membership.objects.create(
            user=boss, role=Group.objects.get(name="supervisor"), community=community,
            starts_on=first - dt.timedelta(days=400),
        )  # fmt: skip
        post = Post.objects.create(community=community, name="前台", kind=PostKind.FRONT_DESK)
        shift = Shift.objects.create(
            community=community, post=post, name="白班", starts=dt.time(8), ends=dt.time(20)
        )
        users = User.objects.bulk_create(
            User(username=f"att{n}", full_name=f"员工{n}", staff_no=f"S{n:04d}", company=company)
            for n in range(EMPLOYEES)
        )
        role = Group.objects.get(name="receptionist")
        Membership.objects.bulk_create(
            Membership(user=u, role=role, community=community,
                       starts_on=first - dt.timedelta(days=400))
            for u in users
        )  # fmt: skip
        entries, punches = [], []
        for n, user in enumerate(users):
            for d in range(DAYS):
                day = first + dt.timedelta(days=d)
                entries.append(RosterEntry(community=community, post=post, shift=shift,
                                           day=day, employee=user))  # fmt: skip
                late = (n + d) % 17  # some lates, some beyond the thresholds
                for hh, mm in ((8, late), (12, 0), (13, 0), (20, 0)):
                    punches.append(Punch(
                        community=community, employee=user, source=PunchSource.MACHINE,
                        at=dt.datetime.combine(day, dt.time(hh, mm), tzinfo=tz),
                    ))  # fmt: skip
        RosterEntry.objects.bulk_create(entries, batch_size=5000)
        Punch.objects.bulk_create(punches, batch_size=5000)
    log(f"seeded {len(entries)} roster entries and {len(punches)} punches")
    _SEEDED["ctx"] = {
        "community": Community.objects.select_related("company").get(pk=community.pk),
        "first": first,
        "last": first + dt.timedelta(days=DAYS - 1),
        "users": [u.pk for u in users],
        "boss": boss,
        "import_start": today - dt.timedelta(days=IMPORT_DAYS + 70),
    }
    return _SEEDED["ctx"]  # type: ignore[no-any-return]


def _month(ctx: dict[str, Any], i: int) -> object:
    from guanjia.attendance.models import AttendanceDay
    from guanjia.attendance.services import compute

    AttendanceDay.objects.filter(community=ctx["community"]).delete()
    return compute(ctx["community"], ctx["first"], ctx["last"])


_RAW = """
SELECT r.employee_id, r.day, MIN(p.at), MAX(p.at), COUNT(p.id)
FROM attendance_rosterentry r
LEFT JOIN attendance_punch p ON p.employee_id = r.employee_id AND p.at >= %s AND p.at < %s
WHERE r.community_id = %s AND r.day BETWEEN %s AND %s
GROUP BY r.employee_id, r.day
"""


def _month_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(ctx["first"], dt.time(), tzinfo=tz)
    high = dt.datetime.combine(ctx["last"] + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    with connection.cursor() as cursor:
        cursor.execute(_RAW, [low, high, ctx["community"].pk, ctx["first"], ctx["last"]])
        return cursor.fetchall()


def _recompute(ctx: dict[str, Any], i: int) -> object:
    from guanjia.attendance.services import recompute_day

    employee = ctx["users"][i % EMPLOYEES]
    return recompute_day(ctx["community"], employee, ctx["first"] + dt.timedelta(days=10))


def _recompute_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection

    employee = ctx["users"][i % EMPLOYEES]
    day = ctx["first"] + dt.timedelta(days=10)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT at FROM attendance_punch WHERE employee_id = %s AND at >= %s AND at < %s",
            [employee, day - dt.timedelta(days=1), day + dt.timedelta(days=2)],
        )
        return cursor.fetchall()


def _csv(ctx: dict[str, Any], i: int) -> bytes:
    start = ctx["import_start"] + dt.timedelta(days=i * (IMPORT_DAYS + 1))
    lines = ["工号,姓名,打卡时间"]
    for n in range(EMPLOYEES):
        for d in range(IMPORT_DAYS):
            day = start + dt.timedelta(days=d)
            for hh in ("08:01", "12:00", "13:00", "20:00"):
                lines.append(f"S{n:04d},员工{n},{day} {hh}")
    return "\n".join(lines).encode()


def _import(ctx: dict[str, Any], i: int) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guanjia.attendance.importers import read_punch_file
    from guanjia.core.imports.services import commit_import, upload_rows

    content = _csv(ctx, i)
    upload = SimpleUploadedFile("punches.csv", content, content_type="text/csv")
    rows = read_punch_file(upload, ctx["community"])
    batch = upload_rows(
        kind="punches", rows=rows, file_name="punches.csv", by=ctx["boss"],
        community=ctx["community"],
    )  # fmt: skip
    if batch.error_count:
        raise AssertionError(batch.errors[:3])
    batch = commit_import(batch=batch, by=ctx["boss"])
    if batch.report.get("created") != IMPORT_ROWS:
        raise AssertionError(batch.report)
    return batch


def _import_raw(ctx: dict[str, Any], i: int) -> object:
    from django.db import connection, transaction

    content = _csv(ctx, i + 50)
    reader = io.StringIO(content.decode())
    next(reader)
    ids = dict(zip([f"S{n:04d}" for n in range(EMPLOYEES)], ctx["users"], strict=True))
    rows = []
    for line in reader:
        staff_no, _name, stamp = line.rstrip("\n").split(",")
        rows.append((ctx["community"].pk, ids[staff_no], f"{stamp}:00+08:00"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO attendance_punch (community_id, employee_id, at, source, created_at) "
            "VALUES (%s, %s, %s, 'machine', CURRENT_TIMESTAMP)",
            rows,
        )
        transaction.set_rollback(True)
    return len(rows)


BENCHMARKS = [
    Benchmark(
        name="attendance.month_500",
        seed=_seed,
        run=_month,
        raw=_month_raw,
        n=EMPLOYEES * DAYS,
        repeat=1,
        warmup=0,
        stat="max",
        target=10_000.0,
        description="a month's attendance of 500 employees with 4 punches a day (15,000 days)",
    ),
    Benchmark(
        name="attendance.recompute_day",
        seed=_seed,
        run=_recompute,
        raw=_recompute_raw,
        n=20,
        warmup=2,
        stat="p95",
        target=200.0,
        description="recomputing one person's day after a correction",
    ),
    Benchmark(
        name="attendance.import_punches_100k",
        seed=_seed,
        run=_import,
        raw=_import_raw,
        n=IMPORT_ROWS,
        repeat=1,
        warmup=0,
        stat="max",
        target=30_000.0,
        description="100,000 punch rows from a CSV file: checked, previewed, committed",
    ),
]
