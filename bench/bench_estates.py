"""Estates: the search box over 100 communities, 100,000 units and 200,000 persons, the search
page under 16 concurrent clients, and the Excel import of a 10,000-unit community.

Every `search.*` benchmark calls `guanjia.estates.selectors.search` as a receptionist of one
community (the page's own call) beside the plain SQL of the same lookup: the person (or unit)
query and the query of their homes. See docs/bench.md and docs/estates.md.
"""

from __future__ import annotations

import atexit
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from bench.harness import Benchmark, percentile

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 20
PAGE_CLIENTS = 16
# Timed requests of the measured client (15 others load the server). Odd, so that the last
# timed call is a raw one, which also stops the load (see _after_timed_call).
PAGE_REQUESTS = 101
IMPORT_UNITS = 10_000
PEAK_RSS_MB = 500


def log(message: str) -> None:
    print(f"bench[estates]: {message}", file=sys.stderr, flush=True)


# --- The raw SQL of each lookup -----------------------------------------------------------

PERSON_SQL = (
    "SELECT p.id, p.name, p.mobile, p.other_phone, p.kind, p.community_id, c.name "
    "FROM estates_person p JOIN core_community c ON c.id = p.community_id "
    "WHERE p.community_id = %s AND ({}) ORDER BY p.name_pinyin, p.id LIMIT 20"
)
HOME_SQL = (
    "SELECT h.person_id, u.id, u.room_code, u.room_number, b.number, e.number "
    "FROM {} h JOIN estates_unit u ON u.id = h.unit_id "
    "JOIN estates_building b ON b.id = u.building_id "
    "LEFT JOIN estates_entrance e ON e.id = u.entrance_id "
    "WHERE h.person_id IN ({}) AND h.starts_on <= %s AND (h.ends_on IS NULL OR h.ends_on >= %s)"
)
UNIT_SQL = (
    "SELECT u.id, u.room_code, u.status, u.room_number, b.number, e.number, c.name "
    "FROM estates_unit u JOIN estates_building b ON b.id = u.building_id "
    "LEFT JOIN estates_entrance e ON e.id = u.entrance_id "
    "JOIN core_community c ON c.id = u.community_id "
    "WHERE u.{} = %s AND u.community_id = %s LIMIT 20"
)


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _raw_persons(community_id: int, condition: str, params: list[Any]) -> list[tuple[Any, ...]]:
    from django.utils import timezone

    rows = _fetch(PERSON_SQL.format(condition), [community_id, *params])
    if rows:
        ids = [row[0] for row in rows]
        marks = ", ".join(["%s"] * len(ids))
        today = timezone.localdate()
        for table in ("estates_occupancy", "estates_ownership"):
            _fetch(HOME_SQL.format(table, marks), [*ids, today, today])
    return rows


def _prefix_range(value: str) -> tuple[str, str]:
    stem = value.rstrip("z") or value
    return value, stem[:-1] + chr(ord(stem[-1]) + 1)


def raw_lookup(kind: str, community_id: int, q: str) -> None:
    """The lookup `search()` does for `q`, in plain SQL."""
    if kind == "phone_exact":
        _raw_persons(community_id, "p.mobile = %s OR p.other_phone = %s", [q, q])
    elif kind == "phone_last4":
        _fetch(UNIT_SQL.format("room_number"), [q, community_id])
        _raw_persons(community_id, "p.phone_last4 = %s", [q])
    elif kind == "pinyin_initials":
        low, high = _prefix_range(q)
        condition = (
            "(p.name_initials >= %s AND p.name_initials < %s) "
            "OR (p.name_pinyin >= %s AND p.name_pinyin < %s)"
        )
        _raw_persons(community_id, condition, [low, high, low, high])
    elif kind == "room_code":
        _fetch(UNIT_SQL.format("room_code"), [q, community_id])
    else:
        _raw_persons(community_id, "p.name = %s OR p.name LIKE %s", [q, f"%{q}%"])


# --- search.* through the selector ----------------------------------------------------------


@dataclass
class SearchContext:
    user: Any
    community: Any
    kind: str
    queries: list[str]


def _queries(sample: Any, kind: str) -> list[str]:
    return {
        "phone_exact": sample.mobiles,
        "phone_last4": sample.last4,
        "pinyin_initials": sample.initials,
        "room_code": sample.room_codes,
        "name_fragment": sample.fragments,
    }[kind]


def _search_seed(kind: str) -> Any:
    def seed() -> SearchContext:
        from bench.fixtures_estates import seed_estates
        from guanjia.accounts.models import User
        from guanjia.core.access import get_access

        stop_server()
        fixture = seed_estates()
        user, community = fixture.users[len(fixture.users) // 2]
        user = User.objects.get(pk=user.pk)
        get_access(user)  # computed once per request by the middleware, before the view
        return SearchContext(user, community, kind, _queries(fixture.samples[community.pk], kind))

    return seed


def _search(context: SearchContext, i: int) -> None:
    from guanjia.estates.selectors import search

    search(context.user, context.queries[i % len(context.queries)], context.community, LIMIT)


def _search_raw(context: SearchContext, i: int) -> None:
    raw_lookup(context.kind, context.community.pk, context.queries[i % len(context.queries)])


# --- search.page_concurrent16: gunicorn, 2 workers, 16 logged-in clients --------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # every client's, in ms
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_server: list[Server] = []  # the running server, if any: stopped at the end, always
_stopping = threading.Lock()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[int, dict[str, str], float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        cookies = {}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, cookies, elapsed
    finally:
        connection.close()


def _start_server() -> Server:
    port = _free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603  # our interpreter, fixed arguments
        command,
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,  # stdout carries only the JSON lines
        start_new_session=True,  # its own process group: stopped with its workers
    )
    server = Server(process=process, port=port)
    _server.append(server)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if _request(port, "GET", "/healthz", {})[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_server() -> None:
    """Stop the load and gunicorn (idempotent; also at exit, whatever happened)."""
    with _stopping:
        while _server:
            _stop(_server.pop())


def _stop(server: Server) -> None:
    """The load threads finish their request, then gunicorn and its workers end."""
    server.stop.set()
    for thread in server.threads:
        thread.join(timeout=120)
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
    if server.latencies:
        log(
            f"search.page_concurrent16: {len(server.latencies)} requests by "
            f"{PAGE_CLIENTS} clients, p95 {percentile(server.latencies, 95):.1f} ms, "
            f"median {percentile(server.latencies, 50):.1f} ms, errors {len(server.errors)}"
        )


atexit.register(stop_server)


def _login(port: int, username: str) -> str:
    """Log in through the login page, as a browser does; the session cookie header."""
    from bench.fixtures_estates import PASSWORD

    _status, cookies, _ms = _request(port, "GET", "/accounts/login/", {})
    token = cookies["csrftoken"]
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    headers = {
        "Cookie": f"csrftoken={token}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, cookies, _ms = _request(port, "POST", "/accounts/login/", headers, body)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login of {username} failed ({status})")
    return f"sessionid={cookies['sessionid']}; csrftoken={token}"


@dataclass
class PageClient:
    cookie: str
    paths: list[str]
    community_id: int
    raw: list[tuple[str, str]]


@dataclass
class PageContext:
    server: Server
    clients: list[PageClient]
    timed_calls: int = 0
    repeat: int = PAGE_REQUESTS


def _page_get(context: PageContext, client: PageClient, i: int) -> float:
    headers = {"Cookie": client.cookie, "HX-Request": "true"}
    status, _cookies, ms = _request(
        context.server.port, "GET", client.paths[i % len(client.paths)], headers
    )
    with context.server.lock:
        context.server.latencies.append(ms)
        if status != 200:
            context.server.errors.append(f"{status} {client.paths[i % len(client.paths)]}")
    return ms


def _load(context: PageContext, client: PageClient) -> None:
    """One of the 15 other clients: searches until told to stop (at most 20 per timed one)."""
    for i in range(context.repeat * 20):
        if context.server.stop.is_set():
            return
        _page_get(context, client, i)


def _page_seed() -> PageContext:
    from bench.fixtures_estates import seed_estates

    stop_server()
    fixture = seed_estates()
    server = _start_server()
    clients = []
    for user, community in fixture.users[:PAGE_CLIENTS]:
        sample = fixture.samples[community.pk]
        raw: list[tuple[str, str]] = []
        for kind in ("phone_exact", "phone_last4", "pinyin_initials", "room_code", "name_fragment"):
            raw += [(kind, q) for q in _queries(sample, kind)[:8]]
        raw.sort(key=lambda pair: pair[1])  # the kinds interleaved
        paths = [f"/estates/search/?q={quote(q)}" for _kind, q in raw]
        clients.append(PageClient(_login(server.port, user.username), paths, community.pk, raw))
    context = PageContext(server, clients)
    for client in clients[1:]:
        thread = threading.Thread(target=_load, args=(context, client), daemon=True)
        server.threads.append(thread)
        thread.start()
    return context


def _after_timed_call(context: PageContext, i: int) -> None:
    """After the last timed call: the load stops (its requests finish), then gunicorn, in the
    background, so the next benchmark starts on a quiet machine (its seed waits for it)."""
    if i < 0:
        return
    context.timed_calls += 1
    if context.timed_calls == 2 * context.repeat:
        context.server.stop.set()
        for thread in context.server.threads:
            thread.join(timeout=120)
        threading.Thread(target=stop_server).start()


def _page(context: PageContext, i: int) -> None:
    """One search partial of the measured client while 15 others load the server."""
    if context.server.errors:
        raise RuntimeError(f"failed requests: {context.server.errors[:3]}")
    _page_get(context, context.clients[0], max(i, 0))
    _after_timed_call(context, i)


def _page_raw(context: PageContext, i: int) -> None:
    client = context.clients[0]
    kind, q = client.raw[max(i, 0) % len(client.raw)]
    raw_lookup(kind, client.community_id, q)
    _after_timed_call(context, i)


# --- import.units_10k -----------------------------------------------------------------------


@dataclass
class ImportContext:
    folder: Path
    units: Path
    owners: Path
    targets: dict[str, tuple[int, int]]  # mode -> (community id, user id)


def _import_seed() -> ImportContext:
    from bench.fixtures_estates import seed_estates

    stop_server()
    fixture = seed_estates()
    folder = Path(tempfile.mkdtemp(prefix="guanjia-bench-import-"))
    atexit.register(shutil.rmtree, folder, True)
    units, owners = folder / "units-10k.xlsx", folder / "owners-10k.xlsx"
    write_import_files(units, owners)
    targets = {mode: _import_target(fixture.company_id, mode) for mode in ("app", "raw")}
    return ImportContext(folder, units, owners, targets)


def _import_target(company_id: int, mode: str) -> tuple[int, int]:
    """A new, empty community with one zone and a receptionist, to import into."""
    from django.contrib.auth.models import Group

    from guanjia.accounts.models import Membership, User
    from guanjia.core.models import Community
    from guanjia.estates.models import Zone

    community = Community.objects.create(
        company_id=company_id, code=f"import-{mode}", name=f"导入小区-{mode}"
    )
    Zone.objects.create(community=community, name="一区")
    user = User.objects.create(
        username=f"bench-import-{mode}", full_name="前台", company_id=company_id
    )
    Membership.objects.create(
        user=user,
        role=Group.objects.get(name="receptionist"),
        community=community,
        starts_on=dt.date(2020, 1, 1),
    )
    return community.pk, user.pk


def write_import_files(units: Path, owners: Path) -> None:
    """10,000 units (20 buildings x 2 entrances x 25 floors x 10) and their 11,000 owners
    (every tenth unit has two co-owners), with phones and valid resident ID numbers."""
    import random

    import xlsxwriter

    from bench.fixtures_estates import GIVEN, SURNAMES, mobile_for
    from guanjia.estates.importers.people import OWNER_COLUMNS
    from guanjia.estates.importers.units import UNIT_COLUMNS
    from guanjia.estates.models.identity import resident_id_check_digit

    rng = random.Random(10_000)
    unit_rows, owner_rows = [], []
    for b in range(1, 21):
        for e in (1, 2):
            for floor in range(1, 26):
                for position in range(1, 11):
                    room = f"{floor}{position:02d}"
                    unit_rows.append(
                        [b, e, room, floor, 89.5, 72.3, "住宅", "三室两厅", "已入住", "一区"]
                    )
                    owners_here = 2 if len(unit_rows) % 10 == 0 else 1
                    for _ in range(owners_here):
                        n = len(owner_rows)
                        born = dt.date(1950, 1, 1) + dt.timedelta(days=n)
                        first17 = f"440106{born:%Y%m%d}{n % 1000:03d}"
                        owner_rows.append(
                            [b, e, room, rng.choice(SURNAMES) + rng.choice(GIVEN),
                             mobile_for(5_000_000 + n), "居民身份证",
                             first17 + resident_id_check_digit(first17),
                             100 if owners_here == 1 else 50, "2024-05-01"]
                        )  # fmt: skip
    for path, columns, rows in (
        (units, UNIT_COLUMNS, unit_rows),
        (owners, OWNER_COLUMNS, owner_rows),
    ):
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, [column.header_zh for column in columns])
        for line, row in enumerate(rows, start=1):
            sheet.write_row(line, 0, row)
        workbook.close()


def _import_child(context: ImportContext, mode: str) -> dict[str, Any]:
    community_id, user_id = context.targets[mode]
    command = [
        sys.executable, "-m", "bench.estates_import", mode, str(community_id), str(user_id),
        str(context.units), str(context.owners),
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603  # our interpreter, fixed arguments
        command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, check=False
    )
    sys.stderr.write(done.stderr[-4000:])
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} import failed: {done.stderr.strip()[-300:]}")
    outcome: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    log(
        f"import.units_10k [{mode}]: {outcome['rows']} rows upload-to-commit in "
        f"{outcome['seconds']:.2f} s, peak RSS {outcome['peak_rss_mb']:.0f} MB "
        "(VmHWM of the importing process)"
    )
    return outcome


def _import(context: ImportContext, i: int) -> None:
    outcome = _import_child(context, "app")
    if outcome["peak_rss_mb"] > PEAK_RSS_MB:
        raise RuntimeError(f"peak memory {outcome['peak_rss_mb']:.0f} MB is above {PEAK_RSS_MB} MB")


def _import_raw(context: ImportContext, i: int) -> None:
    _import_child(context, "raw")


# --- The list ---------------------------------------------------------------------------------


def _search_benchmark(kind: str, target: float, description: str) -> Benchmark:
    return Benchmark(
        name=f"search.{kind}",
        seed=_search_seed(kind),
        run=_search,
        raw=_search_raw,
        n=200,
        unit="ms",
        stat="p95",
        target=target,
        description=description,
    )


BENCHMARKS = [
    _search_benchmark("phone_exact", 10.0, "a full mobile number, p95 ms"),
    _search_benchmark("phone_last4", 10.0, "the last four digits of a phone, p95 ms"),
    _search_benchmark("pinyin_initials", 10.0, "pinyin initials such as zzq, p95 ms"),
    _search_benchmark("room_code", 10.0, "a room code such as 3-2-1201, p95 ms"),
    _search_benchmark("name_fragment", 50.0, "two Chinese characters within a community, p95 ms"),
    Benchmark(
        name="search.page_concurrent16",
        seed=_page_seed,
        run=_page,
        raw=_page_raw,
        n=PAGE_REQUESTS,
        unit="ms",
        stat="p95",
        target=150.0,
        description="the search partial over HTTP (gunicorn, 2 workers) with 16 logged-in "
        "clients at once: p95 ms of one client's requests; raw is the SQL lookup alone",
    ),
    Benchmark(
        name="import.units_10k",
        seed=_import_seed,
        run=_import,
        raw=_import_raw,
        n=IMPORT_UNITS,
        unit="ms",
        stat="max",
        repeat=1,
        warmup=0,
        target=20_000.0,
        description="10,000 units and 11,000 owners from two .xlsx files, upload to committed, "
        "in a process of its own (ms, including its start); fails above 500 MB peak RSS",
    ),
]
