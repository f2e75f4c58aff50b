"""The monthly attendance sheet: submitted by the supervisor, then locked; HR corrects."""

import pytest
from django.core.exceptions import ValidationError

from guanjia.attendance import services
from guanjia.attendance.models import AttendanceSheet, Leave, SheetStatus
from guanjia.core.workflows import WorkflowDenied

from .factories import MONTH, at, day, rostered, worker

pytestmark = pytest.mark.django_db


def _submit(world):
    return services.submit_sheet(community=world.a, month=MONTH, by=world.user("supervisor"))


def test_submitted_sheet_locks_the_month(world):
    person = worker(world)
    rostered(world, person, day(3))
    sheet = _submit(world)
    assert (sheet.status, sheet.submitted_by) == (SheetStatus.SUBMITTED, world.user("supervisor"))
    with pytest.raises(ValidationError) as exc:
        services.request_leave(community=world.a, kind="personal", starts_on=day(3),
                               ends_on=day(3), explanation="补请假", by=person)  # fmt: skip
    assert exc.value.error_dict["starts_on"][0].code == "sheet_submitted"
    with pytest.raises(ValidationError) as exc:
        services.request_missing_punch(community=world.a, at=at(day(3), 8), explanation="x",
                                       by=person)  # fmt: skip
    assert exc.value.error_dict["at"][0].code == "sheet_submitted"
    assert not Leave.objects.exists()


def test_planning_a_submitted_month_is_refused(world):
    from guanjia.desk.tests.factories import post_and_shift

    _submit(world)
    post, shift = post_and_shift(world)
    with pytest.raises(ValidationError) as exc:
        services.plan_roster(post=post, shift=shift, employee=worker(world), first=day(5),
                             last=day(5), by=world.user("supervisor"))  # fmt: skip
    assert exc.value.error_dict["first"][0].code == "sheet_submitted"


def test_hr_corrects_a_submitted_month(world):
    person = worker(world)
    rostered(world, person, day(3))
    _submit(world)
    sheet = AttendanceSheet.objects.get()
    with pytest.raises(WorkflowDenied):
        services.reopen_sheet(sheet=sheet, note="补卡", by=world.user("supervisor"))
    with pytest.raises(ValidationError):
        services.reopen_sheet(sheet=sheet, note=" ", by=world.user("hr"))
    services.reopen_sheet(sheet=sheet, note="补卡", by=world.user("hr"))
    assert AttendanceSheet.objects.get().status == SheetStatus.OPEN
    services.request_missing_punch(community=world.a, at=at(day(3), 8), explanation="x",
                                   by=person)  # fmt: skip


def test_a_month_not_over_cannot_be_submitted_and_twice_is_refused(world):
    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:
        services.submit_sheet(community=world.a, month=timezone.localdate(),
                              by=world.user("supervisor"))  # fmt: skip
    assert exc.value.error_dict["month"][0].code == "not_over"
    _submit(world)
    with pytest.raises(ValidationError) as exc:
        _submit(world)
    assert exc.value.code == "move_not_allowed"


def test_the_sheet_exports_to_excel_for_payroll(world):
    import io

    import openpyxl

    from guanjia.attendance.importers import SheetExporter
    from guanjia.core.imports.xlsx import export_xlsx

    person = worker(world)
    rostered(world, person, day(3))
    services.compute(world.a, day(1), day(28))
    exporter = SheetExporter(by=world.user("hr"), community=world.a,
                             params={"month": f"{MONTH:%Y-%m}"})  # fmt: skip
    content = export_xlsx(exporter.rows(), exporter.columns, title="考勤表")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=False))
    assert (values["工号"], values["排班天数"], values["旷工天数"]) == ("A001", 1, 1)
