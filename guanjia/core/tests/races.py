"""Proving race safety: several people doing the same thing at the same moment, on PostgreSQL
(SQLite serialises writers, so it proves nothing there)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="race safety is proven on PostgreSQL"
)


def at_once(actors: Sequence[Any], act: Callable[[Any], object], done: str = "done") -> list[str]:
    """Call `act(actor)` for every actor in its own thread, released together; the sorted
    outcomes: `done` for a call that returned, the code of a ValidationError otherwise."""
    outcomes: list[str] = []
    barrier = threading.Barrier(len(actors))

    def run(actor: Any) -> None:
        try:
            barrier.wait(timeout=30)
            act(actor)
            outcomes.append(done)
        except ValidationError as exc:
            outcomes.append(exc.code or "invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)
