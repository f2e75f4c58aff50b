"""Load the demo data set: idempotent, so `make run` can call it every time."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from guanjia.demo import accounts, billing, estates, tickets


class Command(BaseCommand):
    help = "Load the demo company, communities and one login per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded with production settings.")
        today = timezone.localdate()
        with transaction.atomic():
            result = accounts.load(today=today)
        self.stdout.write(f"demo: {result['users_created']} users created")
        with transaction.atomic():
            built = estates.load(today=today, communities=result["communities"])  # type: ignore[arg-type]
        self.stdout.write(
            f"demo: {built['units']} units, {built['persons']} people, "
            f"{built['vehicles']} vehicles created"
        )
        with transaction.atomic():
            desk = tickets.load(communities=result["communities"])  # type: ignore[arg-type]
        self.stdout.write(f"demo: {desk['tickets']} service desk contacts created")
        with transaction.atomic():
            bills = billing.load(today=today, communities=result["communities"])  # type: ignore[arg-type]
        self.stdout.write(f"demo: {bills['lines']} bill lines posted")
