"""The attendance tasks on the workbench: leave, shift swaps and missing punches waiting for the
person who may decide them, and the employee's own days with a missing punch still to explain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.access import has_perm_in
from guanjia.core.policies.selectors import policy
from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import (
    AttendanceDay,
    DayResult,
    Leave,
    LeaveStatus,
    MissingPunch,
    MissingStatus,
    ShiftSwap,
    SwapStatus,
)

LEAVE_PERMS = (
    "attendance.approve_leave",
    "attendance.approve_long_leave",
    "attendance.approve_any_leave",
)
# How far back an unexplained missing punch stays on the employee's list.
EXPLAIN_WITHIN_DAYS = 31


def _leave_to_decide(q: TaskQuery) -> QuerySet[Leave]:
    """Requested leave of others, as long as the user's authority reaches (spec §22, §26)."""
    rows = (
        Leave.objects.in_community(q.community)
        .filter(status=LeaveStatus.REQUESTED)
        .exclude(employee=q.user)
        .select_related("employee")
    )
    if has_perm_in(q.user, "attendance.approve_any_leave", q.community):
        return rows
    if has_perm_in(q.user, "attendance.approve_long_leave", q.community):
        return rows.filter(days__lte=policy(q.community, "att.leave_director_max_days"))
    return rows.filter(days__lte=policy(q.community, "att.leave_supervisor_max_days"))


def _swaps_to_decide(q: TaskQuery) -> QuerySet[Any]:
    return (
        ShiftSwap.objects.in_community(q.community)
        .filter(status=SwapStatus.REQUESTED)
        .exclude(employee=q.user)
        .annotate(due=F("entry__day"))
        .select_related("employee", "substitute")
    )


def _missing_to_decide(q: TaskQuery) -> QuerySet[MissingPunch]:
    return (
        MissingPunch.objects.in_community(q.community)
        .filter(status=MissingStatus.REQUESTED)
        .exclude(employee=q.user)
        .select_related("employee")
    )


def _missing_to_explain(q: TaskQuery) -> QuerySet[AttendanceDay]:
    """My computed days with a missing punch and no explanation asked or approved for them."""
    since = q.now.date() - dt.timedelta(days=EXPLAIN_WITHIN_DAYS)
    explained = MissingPunch.objects.filter(
        employee_id=OuterRef("employee_id"),
        at__date=OuterRef("day"),
        status__in=(MissingStatus.REQUESTED, MissingStatus.APPROVED),
    )
    return (
        AttendanceDay.objects.in_community(q.community)
        .filter(employee=q.user, result=DayResult.MISSING, day__gte=since)
        .exclude(Exists(explained))
    )


def _leave_title(leave: Leave) -> str:
    return f"{leave.employee} {leave.get_kind_display()} {leave.days}"


def _swap_title(swap: ShiftSwap) -> str:
    return f"{swap.employee} → {swap.substitute} {swap.get_kind_display()}"


def _explain_link(day: AttendanceDay) -> str:
    """The form prefilled with the punch that is missing: the arrival if none was recorded,
    else the departure."""
    moment = timezone.localtime(day.ends_at if day.first_in else day.starts_at)
    return reverse("attendance:missing-create") + f"?at={moment:%Y-%m-%dT%H:%M}"


def _filtered(name: str, status: str) -> Any:
    return lambda q: reverse(name) + f"?status={status}"


def register() -> None:
    register_task(
        TaskKind(
            code="attendance.leave_to_decide",
            label=_("Leave to approve"),
            perm=LEAVE_PERMS,
            items=_leave_to_decide,
            deadline="starts_on",
            title=_leave_title,
            link=lambda leave: reverse("attendance:leave-detail", args=[leave.pk]),
            list_url=_filtered("attendance:leave-list", LeaveStatus.REQUESTED),
            order=70,
        )
    )
    register_task(
        TaskKind(
            code="attendance.swap_to_decide",
            label=_("Shift swaps to approve"),
            perm="attendance.approve_shiftswap",
            items=_swaps_to_decide,
            deadline="due",
            title=_swap_title,
            link=lambda swap: reverse("attendance:swap-detail", args=[swap.pk]),
            list_url=_filtered("attendance:swap-list", SwapStatus.REQUESTED),
            order=71,
        )
    )
    register_task(
        TaskKind(
            code="attendance.missing_to_decide",
            label=_("Missing punches to approve"),
            perm="attendance.approve_missingpunch",
            items=_missing_to_decide,
            title=lambda m: f"{m.employee} {m.at:%m-%d %H:%M}",
            link=lambda m: reverse("attendance:missing-detail", args=[m.pk]),
            list_url=_filtered("attendance:missing-list", MissingStatus.REQUESTED),
            order=72,
        )
    )
    register_task(
        TaskKind(
            code="attendance.missing_to_explain",
            label=_("My missing punches to explain"),
            perm="attendance.be_rostered",
            items=_missing_to_explain,
            title=lambda d: f"{d.day:%Y-%m-%d}",
            link=_explain_link,
            list_url=lambda q: reverse("attendance:mine"),
            order=73,
            hide_when_empty=True,
        )
    )
