"""The training tasks on the workbench: plans to write and submit (the annual one by its due
day), plans to approve, today's sessions to sign in to, retests due."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.workbench import TaskKind, TaskQuery, register_task

from .models import (
    AssessmentResult,
    PlanStatus,
    SessionStatus,
    TrainingAttendance,
    TrainingPlan,
)

WRITE = "training.add_trainingplan"
APPROVE = "training.approve_trainingplan"
TAKE = "training.take_training"


def _to_submit(q: TaskQuery) -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.in_community(q.community).filter(status=PlanStatus.DRAFT)


def _to_approve(q: TaskQuery) -> QuerySet[TrainingPlan]:
    # Neither the author nor whoever submitted it decides (the service would refuse).
    return (
        TrainingPlan.objects.in_community(q.community)
        .filter(status=PlanStatus.SUBMITTED)
        .exclude(author=q.user)
        .exclude(requested_by=q.user)
    )


def _sign_in_today(q: TaskQuery) -> QuerySet[TrainingAttendance]:
    today = timezone.localtime(q.now).date()
    return (
        TrainingAttendance.objects.filter(
            session__community=q.community,
            employee=q.user,
            signed_at__isnull=True,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__date=today,
        )
        .select_related("session")
        .annotate(starts=F("session__starts_at"))
    )


def _retests(q: TaskQuery) -> QuerySet[AssessmentResult]:
    return AssessmentResult.objects.filter(
        assessment__community=q.community, employee=q.user, retest_open=True
    ).select_related("assessment")


def register() -> None:
    register_task(
        TaskKind(
            code="training.plan_to_submit",
            label=_("Training plans to write and submit"),
            perm=WRITE,
            items=_to_submit,
            deadline="due_on",
            title=lambda p: f"{p.title} ({p.period})",
            link=lambda p: reverse("training:plan-detail", args=[p.pk]),
            list_url=lambda q: reverse("training:plan-list") + "?status=draft",
            order=70,
        )
    )
    register_task(
        TaskKind(
            code="training.plan_to_approve",
            label=_("Training plans to approve"),
            perm=APPROVE,
            items=_to_approve,
            title=lambda p: f"{p.title} ({p.period})",
            link=lambda p: reverse("training:plan-detail", args=[p.pk]),
            list_url=lambda q: reverse("training:plan-list") + "?status=submitted",
            order=71,
        )
    )
    register_task(
        TaskKind(
            code="training.sign_in_today",
            label=_("Training sessions today to sign in to"),
            perm=TAKE,
            items=_sign_in_today,
            deadline="starts",
            title=lambda a: a.session.topic,
            link=lambda a: reverse("training:session-detail", args=[a.session_id]),
            list_url=lambda q: reverse("training:mine"),
            order=72,
            hide_when_empty=True,
        )
    )
    register_task(
        TaskKind(
            code="training.retest_due",
            label=_("Tests to retake"),
            perm=TAKE,
            items=_retests,
            deadline="retest_due",
            title=lambda r: r.assessment.title,
            link=lambda r: reverse("training:test-detail", args=[r.assessment_id]),
            list_url=lambda q: reverse("training:mine"),
            order=73,
            hide_when_empty=True,
        )
    )
