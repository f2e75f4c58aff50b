"""`python -m bench [--only PREFIX] [--db sqlite|postgres]`: see docs/bench.md.

Without --db, runs one subprocess per database (Django is configured once per process) and
passes their JSON lines through. Exit status: 0 when every measured benchmark is ok, 1 when
one missed its target, 2 when a database run crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import traceback

from bench.harness import DATABASES, iter_lines, run_database

ALIASES = {
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "postgres": "postgresql",
    "postgresql": "postgresql",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", metavar="PREFIX", help="run benchmarks whose name starts so")
    parser.add_argument("--db", choices=sorted(ALIASES), help="run on this database only, here")
    options = parser.parse_args(argv)
    if options.db:
        try:
            return run_database(ALIASES[options.db], options.only, sys.stdout)
        except Exception:  # setup or migration broke: a crash, not a missed target
            traceback.print_exc()
            return 2
    return max(_run_child(db, options.only) for db in DATABASES)


def _run_child(db: str, only: str | None) -> int:
    command = [sys.executable, "-m", "bench", "--db", db]
    if only:
        command += ["--only", only]
    failed = False
    with subprocess.Popen(  # noqa: S603  # our own interpreter and module, fixed arguments
        command, stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    ) as child:
        assert child.stdout is not None
        for line in iter_lines(child.stdout):
            try:
                failed = failed or json.loads(line).get("ok") is False
            except ValueError:  # not a result line: keep stdout for JSON only
                sys.stderr.write(line)
                continue
            sys.stdout.write(line)
            sys.stdout.flush()
    if child.returncode not in (0, 1):
        print(f"bench: the {db} run crashed (exit {child.returncode})", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
