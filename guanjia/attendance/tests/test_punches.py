"""Punches: the attendance machine's file through the import framework (mapped columns,
preview with row errors, the same file twice adds nothing), the web punch, the explained
missing punch and its monthly limit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanjia.attendance import services
from guanjia.attendance.importers import read_punch_file
from guanjia.attendance.models import AttendanceDay, MissingPunch, MissingStatus, Punch
from guanjia.core.imports.models import ImportBatch, ImportStatus
from guanjia.core.imports.services import commit_import, upload_rows
from guanjia.core.imports.tests.factories import xlsx_upload
from guanjia.core.workflows import WorkflowDenied

from .factories import MONTH, at, day, rostered, worker

pytestmark = pytest.mark.django_db


def _csv(lines, name="punches.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, "\n".join(lines).encode(encoding), content_type="text/csv")


def _upload(world, upload, by=None):
    by = by or world.user("supervisor")
    rows = read_punch_file(upload, world.a)
    return upload_rows(kind="punches", rows=rows, file_name=upload.name, by=by, community=world.a)


def _errors(batch):
    return [(e["line"], e["column"], e["message"]) for e in batch.errors]


def test_a_machine_file_is_previewed_committed_and_computed(world):
    person = worker(world)
    rostered(world, person, day(3))
    batch = _upload(world, _csv([
        "工号,姓名,打卡时间",
        f"A001,张三,{day(3)} 08:14",
        f"A001,张三,{day(3):%Y/%m/%d} 20:01:00",
    ]))  # fmt: skip
    assert (batch.status, batch.error_count, batch.row_count) == (ImportStatus.VALIDATED, 0, 2)
    batch = commit_import(batch=batch, by=world.user("supervisor"))
    assert batch.report["created"] == 2
    row = AttendanceDay.objects.get(employee=person, day=day(3))
    assert (row.result, row.late_minutes) == ("half_absent", 14)


def test_the_same_file_twice_adds_nothing(world):
    worker(world)
    lines = ["工号,打卡时间", f"A001,{day(3)} 08:00", f"A001,{day(3)} 20:00"]
    commit_import(batch=_upload(world, _csv(lines)), by=world.user("supervisor"))
    again = commit_import(batch=_upload(world, _csv(lines)), by=world.user("supervisor"))
    assert (again.report["created"], again.report["unchanged"]) == (0, 2)
    assert Punch.objects.count() == 2


def test_unknown_staff_times_out_of_order_and_duplicates_are_row_errors(world):
    worker(world)
    batch = _upload(world, _csv([
        "工号,打卡时间",
        f"A001,{day(3)} 20:00",
        f"A001,{day(3)} 08:00",
        f"Z999,{day(3)} 08:00",
        f"A001,{day(3)} 20:00",
        "A001,昨天早上",
    ]))  # fmt: skip
    assert batch.status == ImportStatus.FAILED
    errors = _errors(batch)
    assert errors[0][:2] == (3, "打卡时间")
    assert "out of order" in errors[0][2]
    assert errors[1][:2] == (4, "工号")
    assert "Unknown staff number" in errors[1][2]
    assert errors[2][0] == 5
    assert "Duplicated row" in errors[2][2]
    assert errors[3][:2] == (6, "打卡时间")
    with pytest.raises(ValidationError):
        commit_import(batch=batch, by=world.user("supervisor"))
    assert not Punch.objects.exists()


def test_a_punch_in_the_future_is_a_row_error(world):
    worker(world)
    later = timezone.localtime() + dt.timedelta(days=2)
    batch = _upload(world, _csv(["工号,打卡时间", f"A001,{later:%Y-%m-%d %H:%M}"]))
    assert "future" in batch.errors[0]["message"]


def test_columns_mapped_once_per_community_and_an_xlsx_file(world):
    worker(world)
    services.save_punch_columns(
        community=world.a, staff_no="考勤号码", punched_at="", date="日期", time="时间",
        by=world.user("supervisor"),
    )  # fmt: skip
    upload = xlsx_upload([["考勤号码", "日期", "时间"], ["A001", day(3), "08:01"]], "机器.xlsx")
    batch = _upload(world, upload)
    assert batch.error_count == 0
    commit_import(batch=batch, by=world.user("supervisor"))
    assert Punch.objects.get().at == at(day(3), 8, 1)
    gbk = _csv(["考勤号码,日期,时间", f"A001,{day(4)},08:02"], encoding="gbk")
    assert _upload(world, gbk).error_count == 0


def test_a_file_with_the_wrong_headers_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as exc:
        _upload(world, _csv(["编号,时刻", "A001,08:00"]))
    assert "Unknown columns" in " ".join(exc.value.messages)
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"staff_no": "", "punched_at": "打卡时间", "date": "", "time": ""}, "staff_no"),
        ({"staff_no": "工号", "punched_at": "", "date": "", "time": ""}, "punched_at"),
        ({"staff_no": "工号", "punched_at": "打卡时间", "date": "日期", "time": ""}, "date"),
        ({"staff_no": "工号", "punched_at": "工号", "date": "", "time": ""}, "staff_no"),
    ],
)
def test_bad_column_mappings_are_refused(world, values, field):
    with pytest.raises(ValidationError) as exc:
        services.save_punch_columns(community=world.a, by=world.user("supervisor"), **values)
    assert field in exc.value.error_dict


def test_a_web_punch_is_recorded_once_and_computed(world):
    person = worker(world)
    moment = timezone.now().replace(microsecond=0)
    services.record_punch(community=world.a, by=person, at=moment)
    with pytest.raises(ValidationError) as exc:
        services.record_punch(community=world.a, by=person, at=moment)
    assert exc.value.error_dict["at"][0].code == "duplicate"
    assert Punch.objects.get().source == "web"


def _explain(world, person, moment):
    return services.request_missing_punch(
        community=world.a, at=moment, explanation="忘记打卡", by=person
    )


def test_an_explained_missing_punch_approved_counts(world):
    person = worker(world)
    rostered(world, person, day(3))
    Punch.objects.create(community=world.a, employee=person, at=at(day(3), 8), source="machine")
    missing = _explain(world, person, at(day(3), 20))
    with pytest.raises(WorkflowDenied) as exc:
        services.decide_missing_punch(missing=missing, approve=True, by=person)
    assert exc.value.code == "own_request"
    services.decide_missing_punch(missing=missing, approve=True, by=world.user("supervisor"))
    assert MissingPunch.objects.get().status == MissingStatus.APPROVED
    assert AttendanceDay.objects.get(employee=person).result == "present"


def test_at_most_max_missing_punch_a_month(world):
    person = worker(world)
    for n in range(3):
        _explain(world, person, at(day(3 + n), 8))
    with pytest.raises(ValidationError) as exc:
        _explain(world, person, at(day(10), 8))
    assert exc.value.error_dict["at"][0].code == "too_many"
    assert MissingPunch.objects.count() == 3
    _explain(world, person, at(MONTH - dt.timedelta(days=3), 8))  # another month


def test_a_missing_punch_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _explain(world, worker(world), timezone.now() + dt.timedelta(hours=2))
    assert exc.value.error_dict["at"][0].code == "future"
