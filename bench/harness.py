"""The benchmark harness: what a benchmark is, how it is timed, and one database's run.

A benchmark module `bench/bench_<area>.py` exposes `BENCHMARKS: list[Benchmark]`. For each
database the harness migrates a fresh schema, calls `seed()` once, then measures `run(seed)`
(the application's code path) and `raw(seed)` (plain SQL doing the same work) in the same
process, and prints one JSON line with exactly the keys of RESULT_KEYS.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import os
import pkgutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

RESULT_KEYS = ("name", "db", "n", "value", "unit", "raw_value", "ratio", "target", "ok")
DATABASES = ("sqlite", "postgresql")
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/guanjia_bench"


@dataclass(frozen=True)
class Benchmark:
    """One measured operation.

    `run(context, i)` does one operation through the application's code; `raw(context, i)`
    does the same work in plain SQL. `context` is what `seed()` returned. The harness times
    `repeat` calls of each (default `n`), interleaved so both see the same machine load, and
    reports `stat` of the milliseconds ("p95", "median", "mean" or "max"). `ok` means
    value <= target, and value / raw_value <= max_ratio when `max_ratio` is given.
    """

    name: str
    run: Callable[[Any, int], object]
    raw: Callable[[Any, int], object]
    n: int
    target: float
    unit: str = "ms"
    seed: Callable[[], Any] | None = None
    max_ratio: float | None = None
    stat: str = "p95"
    repeat: int | None = None
    warmup: int = 10
    description: str = ""


# --- Timing -----------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    """The nearest-rank percentile `q` (0-100) of the samples."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


STATS: dict[str, Callable[[list[float]], float]] = {
    "p95": lambda samples: percentile(samples, 95),
    "median": statistics.median,
    "mean": statistics.fmean,
    "max": max,
}


def measure(bench: Benchmark, context: Any) -> tuple[float, float]:
    """(value, raw_value): `bench.stat` of the milliseconds of its app and raw operations."""
    app: list[float] = []
    raw: list[float] = []
    for i in range(bench.warmup):
        bench.run(context, -1 - i)
        bench.raw(context, -1 - i)
    for i in range(bench.repeat or bench.n):
        pair = ((bench.run, app), (bench.raw, raw))
        for operation, samples in pair if i % 2 == 0 else reversed(pair):
            start = time.perf_counter()
            operation(context, i)
            samples.append((time.perf_counter() - start) * 1000)
    stat = STATS[bench.stat]
    return stat(app), stat(raw)


# --- Discovery and results --------------------------------------------------------------------


def discover(only: str | None = None) -> list[Benchmark]:
    """Every Benchmark of the bench_*.py modules, by module then order, filtered by prefix."""
    import bench

    found: list[Benchmark] = []
    for module in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if module.name.startswith("bench_"):
            found.extend(importlib.import_module(f"bench.{module.name}").BENCHMARKS)
    unknown = sorted(b.name for b in found if b.stat not in STATS)
    if unknown:
        raise SystemExit(f"benchmarks with an unknown stat: {unknown}")
    names = [b.name for b in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise SystemExit(f"benchmark names used twice: {duplicates}")
    return [b for b in found if only is None or b.name.startswith(only)]


def result(bench: Benchmark, db: str, value: float, raw_value: float) -> dict[str, Any]:
    ratio = value / raw_value if raw_value > 0 else None
    ok = value <= bench.target and (
        bench.max_ratio is None or (ratio is not None and ratio <= bench.max_ratio)
    )
    return {
        "name": bench.name,
        "db": db,
        "n": bench.n,
        "value": round(value, 4),
        "unit": bench.unit,
        "raw_value": round(raw_value, 4),
        "ratio": None if ratio is None else round(ratio, 3),
        "target": bench.target,
        "ok": ok,
    }


def not_measured(bench: Benchmark, db: str, *, skipped: str = "", error: str = "") -> dict:
    line: dict[str, Any] = {
        "name": bench.name,
        "db": db,
        "n": bench.n,
        "value": None,
        "unit": bench.unit,
        "raw_value": None,
        "ratio": None,
        "target": bench.target,
        "ok": None if skipped else False,
    }
    if skipped:
        line["skipped"] = skipped
    if error:
        line["error"] = error
    return line


def emit(line: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()


# --- One database, in this process ------------------------------------------------------------


def run_database(db: str, only: str | None, out: TextIO) -> int:
    """Set up a fresh schema on `db`, run the benchmarks, print their lines; 1 if one failed."""
    with contextlib.ExitStack() as stack:
        reason = _configure(db, stack)
        import django

        with contextlib.redirect_stdout(sys.stderr):  # only JSON lines go to stdout
            django.setup()
            benchmarks = discover(only)
            if reason is None:
                from django.core.management import call_command

                call_command("migrate", verbosity=0, interactive=False)
        if not benchmarks:
            print(f"bench: no benchmark name starts with {only!r}", file=sys.stderr)
        failed = False
        for bench in benchmarks:
            line = not_measured(bench, db, skipped=reason) if reason else _measure(bench, db)
            failed = failed or line["ok"] is False
            emit(line, out)
    return 1 if failed else 0


def _measure(bench: Benchmark, db: str) -> dict[str, Any]:
    try:
        with contextlib.redirect_stdout(sys.stderr):
            context = bench.seed() if bench.seed else None
            value, raw_value = measure(bench, context)
    except Exception as exc:  # report the broken benchmark and go on with the others
        traceback.print_exc()
        return not_measured(bench, db, error=f"{exc.__class__.__name__}: {exc}")
    return result(bench, db, value, raw_value)


def _configure(db: str, stack: contextlib.ExitStack) -> str | None:
    """Point Django at a fresh database of kind `db`; the reason to skip, or None."""
    os.environ["DEBUG"] = "0"  # no query log: it would be measured too
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("GUANJIA_ENV", "test")
    var_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="guanjia-bench-"))
    os.environ["GUANJIA_VAR_DIR"] = var_dir
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
        return None
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES_URL)
    os.environ["DATABASE_URL"] = url
    return _fresh_postgres(url)


def _fresh_postgres(url: str) -> str | None:
    """Drop and create the benchmark database; the reason to skip when PostgreSQL is away."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        print(f"bench: refusing to reset {name!r}: its name must contain 'bench'", file=sys.stderr)
        raise SystemExit(2)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        connection = psycopg.connect(admin_url, connect_timeout=3, autocommit=True)
    except psycopg.Error as exc:
        detail = " ".join(str(exc).split())
        return f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432}: {detail}"
    with connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return None


def iter_lines(stream: TextIO) -> Iterator[str]:
    yield from iter(stream.readline, "")
