"""`manage.py sync_schedules`: write the schedules declared in code to django-q."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guanjia.core.jobs.services import sync_schedules


class Command(BaseCommand):
    help = "Create or update django-q schedules from the schedules the apps declare in code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep-stale",
            action="store_true",
            help="Keep schedules of Guanjia functions that are no longer declared.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = sync_schedules(prune=not options["keep_stale"])
        if options["verbosity"] < 1:
            return
        for outcome in ("created", "updated", "unchanged", "deleted"):
            for name in report[outcome]:
                self.stdout.write(f"{outcome}: {name}")
