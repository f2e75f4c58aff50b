import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness import (
    RESULT_KEYS,
    Benchmark,
    discover,
    measure,
    not_measured,
    percentile,
    result,
)

ROOT = Path(__file__).resolve().parents[2]


def _bench(**overrides) -> Benchmark:
    fields = {"name": "x.y", "run": lambda c, i: None, "raw": lambda c, i: None, "n": 10}
    return Benchmark(**{**fields, "target": 5.0, **overrides})


def test_a_result_line_has_exactly_the_contract_keys_and_the_ratio():
    line = result(_bench(), "sqlite", 2.0, 1.0)
    assert tuple(line) == RESULT_KEYS
    assert (line["ratio"], line["ok"]) == (2.0, True)


@pytest.mark.parametrize(
    ("value", "raw", "max_ratio", "ok"),
    [(6.0, 5.0, None, False), (4.0, 1.0, 3.0, False), (4.0, 2.0, 3.0, True)],
)
def test_ok_needs_the_target_and_the_ratio(value, raw, max_ratio, ok):
    assert result(_bench(max_ratio=max_ratio), "sqlite", value, raw)["ok"] is ok


def test_a_skipped_line_says_why_and_is_neither_ok_nor_failed():
    line = not_measured(_bench(), "postgresql", skipped="PostgreSQL is not reachable")
    assert (line["ok"], line["value"], line["skipped"]) == (
        None,
        None,
        "PostgreSQL is not reachable",
    )
    assert set(RESULT_KEYS) <= set(line)


def test_the_nearest_rank_percentile():
    assert percentile([float(n) for n in range(1, 101)], 95) == 95.0
    assert percentile([3.0], 95) == 3.0


def test_app_and_raw_operations_are_measured_alternately():
    calls: list[str] = []
    bench = _bench(
        run=lambda c, i: calls.append("app"), raw=lambda c, i: calls.append("raw"), warmup=0, n=4
    )
    measure(bench, None)
    assert calls == ["app", "raw", "raw", "app", "app", "raw", "raw", "app"]


def test_discovery_finds_the_numbering_benchmark_and_filters_by_prefix():
    assert "numbering.next_1000" in [b.name for b in discover()]
    assert discover("no-such-prefix") == []


def test_a_sqlite_run_prints_one_json_line_per_benchmark():
    completed = subprocess.run(  # our own interpreter and module, fixed arguments
        [sys.executable, "-m", "bench", "--db", "sqlite", "--only", "numbering.next_1000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    assert [(line["name"], line["db"]) for line in lines] == [("numbering.next_1000", "sqlite")]
    assert tuple(lines[0]) == RESULT_KEYS
    assert lines[0]["value"] > 0
    assert lines[0]["raw_value"] > 0
