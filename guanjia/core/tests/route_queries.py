"""Measure each route case's queries and write the ceilings into the routes.py files.

1. Measure (on each database the suite runs on; the results add up in one file):

       GUANJIA_ENV=test .venv/bin/pytest -q guanjia/core/tests/route_queries.py [-k name]
       DATABASE_URL=postgres://… GUANJIA_ENV=test .venv/bin/pytest -q …/route_queries.py

   Each right-role request of the matrix runs as the matrix runs it; its query count goes to
   var/route-queries.jsonl.
2. Write: `.venv/bin/python guanjia/core/tests/route_queries.py` sets `max_queries=` on every
   measured case in its routes.py (the most measured on any database, plus a margin), then
   `.venv/bin/ruff format` the files. A call that makes several cases (a loop) gets the
   largest, unless its `max_queries=` is an expression (a ceiling per case, kept by hand).
   `--clear` empties the measurements.

Not collected by the suite (it is not named test_*.py).
"""

from __future__ import annotations

import ast
import json
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "var" / "route-queries.jsonl"


def margin(count: int) -> int:
    """The ceiling for a measured count: room for a cold cache or the other database, not
    for a new query per row."""
    return count + max(2, count // 10)


# --- 1. measure (under pytest) -------------------------------------------------------------

if "pytest" in sys.modules:
    import pytest
    from django.db import connection

    from guanjia.core.tests.matrix import all_cases, as_right_role

    CASES = all_cases()

    @pytest.mark.parametrize("key", sorted(k for k, c in CASES.items() if c.allowed or c.public))
    def test_measure(world, key):
        case = CASES[key]
        response, queries = as_right_role(world, case)
        assert response.status_code in case.ok
        OUT.parent.mkdir(exist_ok=True)
        with OUT.open("a") as out:
            row = {"key": key, "db": connection.vendor, "queries": len(queries)}
            out.write(json.dumps({**row, "at": case.defined_at}) + "\n")


# --- 2. write the ceilings -----------------------------------------------------------------


def ceilings() -> dict[str, dict[tuple[int, int], int]]:
    """file -> (first line, last line) of a case's call -> its ceiling."""
    most: dict[tuple[str, int, int], int] = defaultdict(int)
    for line in OUT.read_text().splitlines():
        row = json.loads(line)
        path, _, span = row["at"].rpartition(":")
        first, _, last = span.partition("-")
        spot = (path, int(first), int(last or first))
        most[spot] = max(most[spot], row["queries"])
    out: dict[str, dict[tuple[int, int], int]] = defaultdict(dict)
    for (path, first, last), count in most.items():
        out[path][(first, last)] = margin(count)
    return out


def write(path: str, spans: dict[tuple[int, int], int]) -> None:
    source = Path(path).read_bytes()  # ast's columns count bytes (UTF-8), not characters
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, int, int, str]] = []  # (line, col, end line, end col, text)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or (node.lineno, node.end_lineno) not in spans:
            continue
        ceiling = spans.pop((node.lineno, node.end_lineno))  # type: ignore[arg-type]
        given = [k for k in node.keywords if k.arg == "max_queries"]
        if given and not isinstance(given[0].value, ast.Constant):
            continue  # a ceiling per case of a loop, looked up by hand: left as written
        if given:
            v = given[0].value
            edits.append((v.lineno, v.col_offset, v.end_lineno, v.end_col_offset, str(ceiling)))  # type: ignore[arg-type]
            continue
        # Before the closing parenthesis, after a trailing comma if there is one.
        end_line, end_col = node.end_lineno, node.end_col_offset - 1  # type: ignore[operator]
        before = lines[end_line - 1][:end_col].rstrip()  # type: ignore[index]
        after_comma = before.endswith(b",") or (
            not before and lines[end_line - 2].rstrip().endswith(b",")  # type: ignore[operator]
        )
        text = f"max_queries={ceiling}," if after_comma else f", max_queries={ceiling}"
        edits.append((end_line, end_col, end_line, end_col, text))  # type: ignore[arg-type]
    assert not spans, f"{path}: no call found at lines {sorted(spans)}"
    for line, col, end_line, end_col, text in sorted(edits, reverse=True):
        head = b"".join(lines[: line - 1]) + lines[line - 1][:col]
        tail = lines[end_line - 1][end_col:] + b"".join(lines[end_line:])
        lines = (head + text.encode() + tail).splitlines(keepends=True)
    Path(path).write_bytes(b"".join(lines))


if __name__ == "__main__":
    if sys.argv[1:] == ["--clear"]:
        OUT.unlink(missing_ok=True)
    else:
        for path, spans in ceilings().items():
            sys.stdout.write(f"{path}: {len(spans)} ceilings\n")
            write(path, spans)
