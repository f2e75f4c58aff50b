"""The State Council's holiday arrangements (国务院办公厅关于节假日安排的通知), shared by every
company. 2026 is the published arrangement. 2027 is not published yet: only the statutory
holidays (全国年节及纪念日放假办法, as revised in 2024) are entered, unconfirmed, on their
2027 dates; the make-up working days and bridging days must be added when it is published."""

import datetime as dt

from django.db import migrations

HOLIDAY, WORKDAY = "holiday", "workday"


def _days(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# (first day, last day, name, kind, confirmed)
SCHEDULE = [
    # 2026: the arrangement the State Council published in November 2025
    ("2026-01-01", "2026-01-03", "元旦", HOLIDAY, True),
    ("2026-01-04", "2026-01-04", "元旦", WORKDAY, True),
    ("2026-02-14", "2026-02-14", "春节", WORKDAY, True),
    ("2026-02-15", "2026-02-23", "春节", HOLIDAY, True),
    ("2026-02-28", "2026-02-28", "春节", WORKDAY, True),
    ("2026-04-04", "2026-04-06", "清明节", HOLIDAY, True),
    ("2026-05-01", "2026-05-05", "劳动节", HOLIDAY, True),
    ("2026-05-09", "2026-05-09", "劳动节", WORKDAY, True),
    ("2026-06-19", "2026-06-21", "端午节", HOLIDAY, True),
    ("2026-09-20", "2026-09-20", "国庆节", WORKDAY, True),
    ("2026-09-25", "2026-09-27", "中秋节", HOLIDAY, True),
    ("2026-10-01", "2026-10-07", "国庆节", HOLIDAY, True),
    ("2026-10-10", "2026-10-10", "国庆节", WORKDAY, True),
    # 2027: statutory days only (除夕 and 正月初一–初三; 5月1–2日; 10月1–3日), unconfirmed.
    ("2027-01-01", "2027-01-01", "元旦", HOLIDAY, False),
    ("2027-02-05", "2027-02-08", "春节", HOLIDAY, False),
    ("2027-04-05", "2027-04-05", "清明节", HOLIDAY, False),
    ("2027-05-01", "2027-05-02", "劳动节", HOLIDAY, False),
    ("2027-06-09", "2027-06-09", "端午节", HOLIDAY, False),
    ("2027-09-15", "2027-09-15", "中秋节", HOLIDAY, False),
    ("2027-10-01", "2027-10-03", "国庆节", HOLIDAY, False),
]


def _rows() -> list[tuple[dt.date, str, str, bool]]:
    return [
        (day, name, kind, confirmed)
        for first, last, name, kind, confirmed in SCHEDULE
        for day in _days(first, last)
    ]


def seed(apps, schema_editor):
    official = apps.get_model("calendars", "OfficialHoliday")
    for day, name, kind, confirmed in _rows():
        official.objects.update_or_create(
            date=day, defaults={"name": name, "kind": kind, "is_confirmed": confirmed}
        )


def unseed(apps, schema_editor):
    official = apps.get_model("calendars", "OfficialHoliday")
    official.objects.filter(date__in=[day for day, *_ in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
