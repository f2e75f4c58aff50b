"""Job functions the tests enqueue by dotted path."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext

from guanjia.core.jobs.services import report_progress
from guanjia.core.numbering.models import DocumentSequence

TASKS = "guanjia.core.jobs.tests.tasks"


def count(run, *, counter: int, times: int = 1) -> dict:
    """Add `times` to the counter row: the work whose repetition the tests detect."""
    for done in range(1, times + 1):
        DocumentSequence.objects.filter(pk=counter).update(last_number=F("last_number") + 1)
        report_progress(run, done=done, total=times, message=f"counted {done}")
    return {"counted": times, "file_url": "/media/exports/count.xlsx"}


def explode(run) -> None:
    raise RuntimeError("the spreadsheet could not be read")


def refuse(run) -> None:
    raise ValidationError("Row 3: unknown community code.")


def unserialisable(run) -> object:
    return object()


def speak(run) -> str:
    return gettext("Active")


def echo(run, *args, **kwargs) -> dict:
    return {"args": list(args), "kwargs": kwargs, "community": run.community_id}
