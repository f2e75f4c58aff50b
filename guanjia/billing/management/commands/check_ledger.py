"""`manage.py check_ledger`: verify every ledger invariant; exit non-zero on a difference."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guanjia.billing.selectors import ledger_problems
from guanjia.core.models import Community


class Command(BaseCommand):
    help = "Verify the ledger: balances equal entry sums, reversals exact, periods balanced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--community", help="Check one community (its code).")

    def handle(self, *args: Any, **options: Any) -> None:
        community = None
        if options.get("community"):
            community = Community.objects.filter(code=options["community"]).first()
            if community is None:
                raise CommandError(f"No community with code {options['community']!r}.")
        problems = ledger_problems(community)
        for problem in problems:
            self.stderr.write(f"{problem.where}: {problem.problem}")
        if problems:
            raise CommandError(f"{len(problems)} ledger problem(s).")
        self.stdout.write(self.style.SUCCESS("Ledger OK."))
