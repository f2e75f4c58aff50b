"""Helpers of the training pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from guanjia.core.access import get_visible_or_404, has_perm_in, require_perm

from ..models import Assessment, TrainingPlan, TrainingSession

VIEW_PLANS = "training.view_trainingplan"
WRITE_PLANS = "training.add_trainingplan"
APPROVE = "training.approve_trainingplan"
VIEW_SESSIONS = "training.view_trainingsession"
RUN_SESSIONS = "training.add_trainingsession"
VIEW_TESTS = "training.view_assessment"
MAKE_TESTS = "training.add_assessment"
TAKE = "training.take_training"


def either(request: HttpRequest, obj: Any, *perms: str) -> None:
    """403 unless the user holds one of `perms` in the row's community."""
    if not any(has_perm_in(request.user, perm, obj.community_id) for perm in perms):
        raise PermissionDenied


def plan_of(request: HttpRequest, pk: int) -> TrainingPlan:
    plan: TrainingPlan = get_visible_or_404(
        TrainingPlan.objects.select_related("community", "author", "requested_by", "decided_by"),
        request.user,
        pk=pk,
    )
    require_perm(request.user, VIEW_PLANS, plan.community)
    return plan


def session_of(request: HttpRequest, pk: int) -> TrainingSession:
    """A session of a visible community, for its managers and its staff."""
    session: TrainingSession = get_visible_or_404(
        TrainingSession.objects.select_related("community", "trainer", "plan"),
        request.user,
        pk=pk,
    )
    either(request, session, VIEW_SESSIONS, TAKE)
    return session


def test_of(request: HttpRequest, pk: int) -> Assessment:
    test: Assessment = get_visible_or_404(
        Assessment.objects.select_related("community", "session", "session__trainer"),
        request.user,
        pk=pk,
    )
    either(request, test, VIEW_TESTS, TAKE)
    return test


# What each event of a plan or a session says in its history.
ACTIONS: dict[str, Any] = {
    "created": gettext_lazy("Created"),
    "requested": gettext_lazy("Submitted"),
    "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Returned"),
    "reminded": gettext_lazy("Reminded"),
    "edited": gettext_lazy("Edited"),
    "moved": gettext_lazy("Moved"),
    "sheet_recorded": gettext_lazy("Sheet recorded"),
    "cancelled": gettext_lazy("Cancelled"),
    "held": gettext_lazy("Held"),
}


def history(events: Any) -> list[dict[str, Any]]:
    """Each event with the words for what happened."""
    return [{"event": e, "what": ACTIONS.get(e.action) or e.to_label or e.action} for e in events]
