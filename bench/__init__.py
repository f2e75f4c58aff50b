"""`make bench`: Guanjia's performance contract, one JSON line per benchmark and database.

See docs/bench.md. `python -m bench` runs every `bench/bench_*.py` module's BENCHMARKS on a
fresh SQLite file and on PostgreSQL, each in its own subprocess.
"""
