"""The supervisor's tasks on the workbench (docs/workbench.md): plans to approve (the
director), the monthly summary to send (the supervisor) and to read (the director), today's
daily check (the supervisor, when the policy asks for it), and each person's own open action
items and plan items. Each count links to the list filtered the same way."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.core.models import Community
from guanjia.core.policies.selectors import policy
from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import (
    PROGRESS_STATUSES,
    ActionItem,
    MeetingKind,
    MonthlySummary,
    PlanItem,
    PlanStatus,
    SummaryStatus,
    WorkPlan,
)


def _url(name: str, **params: str) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _plans(q: TaskQuery) -> QuerySet[WorkPlan]:
    return WorkPlan.objects.in_community(q.community).filter(status=PlanStatus.SUBMITTED)


def _summaries(q: TaskQuery, status: str) -> QuerySet[MonthlySummary]:
    return MonthlySummary.objects.in_community(q.community).filter(status=status)


def _actions(q: TaskQuery) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(community=q.community, closed_on__isnull=True, owner=q.user)


def _items(q: TaskQuery) -> QuerySet[PlanItem]:
    return (
        PlanItem.objects.filter(
            plan__community=q.community, plan__status__in=PROGRESS_STATUSES, owner=q.user
        )
        .exclude(done_pct__gte=100)
        .select_related("plan")
    )


def _check(q: TaskQuery) -> QuerySet[Community]:
    rows = Community.objects.filter(pk=q.community.pk)
    if not policy(q.community, "supervisor.daily_check"):
        return rows.none()
    return rows.exclude(dailycheck__day=timezone.localdate(q.now))


WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def _meeting_due(q: TaskQuery) -> QuerySet[Community]:
    """This week's weekly meeting not yet recorded, from the policy's weekday on."""
    today = timezone.localdate(q.now)
    weekday = WEEKDAYS.index(str(policy(q.community, "supervisor.weekly_meeting_weekday")))
    rows = Community.objects.filter(pk=q.community.pk)
    if today.weekday() < weekday:
        return rows.none()
    monday = today - dt.timedelta(days=today.weekday())
    return rows.exclude(meeting__kind=MeetingKind.WEEKLY, meeting__held_on__gte=monday)


def _summary_title(s: MonthlySummary) -> str:
    return _("Monthly summary %(month)s") % {"month": f"{s.month:%Y-%m}"}


TASKS = [
    TaskKind(
        code="plans.approve",
        label=gettext_lazy("Work plans to approve"),
        perm="plans.approve_workplan",
        items=_plans,
        title=lambda p: f"{p.period_label} {p.title}",
        link=lambda p: p.get_absolute_url(),
        list_url=lambda q: _url("plans:plan-list", status=PlanStatus.SUBMITTED),
        order=70,
    ),
    TaskKind(
        code="plans.summary_send",
        label=gettext_lazy("Monthly summaries to send to the director"),
        perm="plans.change_monthlysummary",
        items=lambda q: _summaries(q, SummaryStatus.DRAFT),
        title=_summary_title,
        link=lambda s: s.get_absolute_url(),
        list_url=lambda q: _url("plans:summary-list", status=SummaryStatus.DRAFT),
        order=71,
    ),
    TaskKind(
        code="plans.summary_read",
        label=gettext_lazy("Monthly summaries to read"),
        perm="plans.acknowledge_monthlysummary",
        items=lambda q: _summaries(q, SummaryStatus.SENT),
        title=_summary_title,
        link=lambda s: s.get_absolute_url(),
        list_url=lambda q: _url("plans:summary-list", status=SummaryStatus.SENT),
        order=72,
    ),
    TaskKind(
        code="plans.daily_check",
        label=gettext_lazy("Today's daily check"),
        perm="plans.add_dailycheck",
        items=_check,
        title=lambda c: _("Check the registers of %(community)s") % {"community": c.name},
        link=lambda c: reverse("plans:daily-check"),
        order=73,
    ),
    TaskKind(
        code="plans.weekly_meeting",
        label=gettext_lazy("This week's meeting to record"),
        perm="plans.add_meeting",
        items=_meeting_due,
        title=lambda c: _("The weekly meeting of %(community)s") % {"community": c.name},
        link=lambda c: reverse("plans:meeting-create"),
        order=74,
    ),
    TaskKind(
        code="plans.actions",
        label=gettext_lazy("My action items"),
        perm="plans.view_meeting",
        items=_actions,
        deadline="due_on",
        title=lambda a: a.title,
        link=lambda a: a.get_absolute_url(),
        list_url=lambda q: _url("plans:action-list", mine="true", open="true"),
        order=74,
        hide_when_empty=True,
    ),
    TaskKind(
        code="plans.items",
        label=gettext_lazy("My plan items"),
        perm="plans.view_workplan",
        items=_items,
        deadline="due_on",
        title=lambda i: f"{i.plan.period_label} {i.title} ({i.done_pct}%)",
        link=lambda i: i.plan.get_absolute_url(),
        order=75,
        hide_when_empty=True,
    ),
]


def register() -> None:
    for kind in TASKS:
        register_task(kind)
