"""Load the demo data set: idempotent, so `make run` can call it every time."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from guanjia.demo import accounts, billing, estates, history, tickets
from guanjia.demo.timeline import can_travel


class Command(BaseCommand):
    help = (
        "Load the demo company, communities, one login per role and a year of history (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--history-scale",
            type=float,
            default=1.0,
            help="How busy the year of service desk history is (1 = about 44 contacts per "
            "community and month; each kind of contact still comes at least once a month).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded with production settings.")
        scale = options["history_scale"]
        if not 0 < scale <= 10:
            raise CommandError("--history-scale must be more than 0 and at most 10.")
        today = timezone.localdate()
        with transaction.atomic():
            result = accounts.load(today=today)
        self.stdout.write(f"demo: {result['users_created']} users created")
        communities = result["communities"]
        with transaction.atomic():
            built = estates.load(today=today, communities=communities)  # type: ignore[arg-type]
        self.stdout.write(
            f"demo: {built['units']} units, {built['persons']} people, "
            f"{built['vehicles']} vehicles created"
        )
        started, cpu = time.monotonic(), time.process_time()
        with transaction.atomic():
            bills = billing.load(today=today, communities=communities)  # type: ignore[arg-type]
        self.stdout.write(
            f"demo: {bills['runs']} monthly runs, {bills['lines']} bill lines posted "
            f"({_took(started, cpu)})"
        )
        started, cpu = time.monotonic(), time.process_time()
        with history.quiet(), transaction.atomic():
            desk = tickets.load(communities=communities, scale=scale)  # type: ignore[arg-type]
        self.stdout.write(
            f"demo: {desk['history']} contacts of the past year ({desk['steps']} steps) and "
            f"{desk['tickets']} of today created ({_took(started, cpu)})"
        )
        if not can_travel():
            self.stdout.write(
                "demo: no history of the service desk: it needs time-machine "
                "(requirements-dev.txt, installed by `make install`)."
            )


def _took(started: float, cpu: float) -> str:
    """Wall and CPU seconds since `started`/`cpu` (on a busy machine they differ a lot)."""
    return f"{time.monotonic() - started:.1f} s, CPU {time.process_time() - cpu:.1f} s"
