"""The work an employee did this month, made through the lower apps' services or, for
computed rows (attendance days), written as their computation would; and scores and
appraisals made through this app's services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from guanjia.appraisal import services
from guanjia.appraisal.models import Appraisal, Kind, MonthlyScore
from guanjia.attendance.models import AttendanceDay, DayResult
from guanjia.conduct.tests.factories import record, submitted
from guanjia.core.models import Community
from guanjia.tickets.models import ServiceRequest
from guanjia.tickets.tests.factories import actor


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def desk_entry(
    world: Any,
    community: Community,
    *,
    complete: bool = True,
    answered_after_hours: int | None = 1,
    n: int = 0,
) -> ServiceRequest:
    """A consultation the receptionist registered today, answered after so many hours."""
    received = timezone.now() - dt.timedelta(hours=30)
    received = max(
        received,
        timezone.make_aware(
            dt.datetime.combine(timezone.localdate().replace(day=1), dt.time(0, 30))
        ),
    )
    return ServiceRequest.objects.create(
        community=community,
        number=f"DJ-T{ServiceRequest.objects.count() + 1}-{n}",
        channel="phone",
        kind="consultation",
        requester_name="张三" if complete else "",
        requester_phone="13800000000" if complete else "",
        content="物业费怎么交",
        received_by=actor(world, community, "receptionist"),
        received_at=received,
        status="closed" if answered_after_hours is not None else "open",
        answer="已答复" if answered_after_hours is not None else "",
        answered_at=received + dt.timedelta(hours=answered_after_hours)
        if answered_after_hours is not None
        else None,
    )


def attendance_day(
    world: Any,
    community: Community,
    role: str,
    result: str = DayResult.PRESENT,
    late: int = 0,
    employee: Any = None,
) -> AttendanceDay:
    day = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
    return AttendanceDay.objects.create(
        community=community,
        employee=employee or actor(world, community, role),
        day=day,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=9),
        first_in=start + dt.timedelta(minutes=late),
        last_out=start + dt.timedelta(hours=9),
        result=result,
        late_minutes=late,
    )


def receptionist_month(world: Any, community: Community | None = None) -> dict[str, Any]:
    """A receptionist's month with one fault of each kind: an incomplete entry, an entry
    answered late, a failed spot check, a late day, and a written warning in force."""
    community = community or world.a
    complete = desk_entry(world, community)
    incomplete = desk_entry(world, community, complete=False, n=1)
    late_answer = desk_entry(world, community, answered_after_hours=48, n=2)
    check = submitted(world, community, fail=1)
    from guanjia.conduct import services as conduct

    conduct.acknowledge_check(check=check, by=check.employee)
    attendance_day(world, community, "receptionist", DayResult.LATE, late=12)
    penalty = record(world, "effective", community=community)
    return {
        "complete": complete,
        "incomplete": incomplete,
        "late_answer": late_answer,
        "check": check,
        "penalty": penalty,
    }


def computed(world: Any, community: Community | None = None) -> list[MonthlyScore]:
    community = community or world.a
    services.compute_month(community, this_month())
    return list(MonthlyScore.objects.filter(community=community).order_by("pk"))


def score_of(
    world: Any, role: str = "receptionist", community: Community | None = None
) -> MonthlyScore:
    community = community or world.a
    employee = actor(world, community, role)
    if not MonthlyScore.objects.filter(community=community, employee=employee).exists():
        services.compute_month(community, this_month())
    return MonthlyScore.objects.get(community=community, employee=employee, month=this_month())


def appraisal(
    world: Any,
    state: str = "open",
    community: Community | None = None,
    role: str = "receptionist",
    kind: str = Kind.QUARTER,
    score: str = "85",
) -> Appraisal:
    """An appraisal of the `role` walked to `state` (open, self_assessed, rated, reviewed,
    confirmed, published, appealed)."""
    community = community or world.a
    employee = actor(world, community, role)
    hr = actor(world, community, "hr")
    if kind == Kind.PROBATION:
        found = services.open_probation(
            community=community,
            employee=employee,
            start=timezone.localdate() - dt.timedelta(days=1),
            end=timezone.localdate(),
            by=hr,
        )
    else:
        services.open_period(community=community, kind=kind, day=timezone.localdate(), by=hr)
        found = Appraisal.objects.get(community=community, employee=employee, kind=kind)
    steps = ["self_assessed", "rated", "reviewed", "confirmed", "published", "appealed"]
    if state == "open":
        return found
    if found.needs_self_assessment:
        services.self_assess(appraisal=found, text="本季度完成全部登记工作", by=employee)
    if state == "self_assessed":
        return found
    extra = {"probation_outcome": "confirm"} if kind == Kind.PROBATION else {}
    services.rate(
        appraisal=found,
        score=score,
        score_reason="主管综合评定",
        by=actor(world, community, "supervisor"),
        **extra,
    )
    if state == "rated":
        return found
    for step in steps[2:]:
        if step == "reviewed":
            services.review(appraisal=found, note="同意", by=actor(world, community, "director"))
        elif step == "confirmed":
            services.confirm(appraisal=found, by=hr)
        elif step == "published":
            services.publish(appraisal=found, by=hr)
        else:
            services.appeal(appraisal=found, grounds="登记完整率计算有误", by=employee)
        if state == step:
            return found
    return found
