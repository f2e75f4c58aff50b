"""Reads of job runs for pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guanjia.core.access import get_access

from .models import VIEW_PERM, JobRun, JobRunQuerySet

if TYPE_CHECKING:
    from guanjia.core.access import User


def may_view_all_runs(user: User) -> bool:
    """Whether the user may list runs other people started (anywhere they work)."""
    access = get_access(user)
    return (
        access.is_superuser
        or bool(access.communities_with(VIEW_PERM))
        or (VIEW_PERM in access.company_perms)
    )


def recent_runs(user: User, *, everyone: bool = False) -> JobRunQuerySet:
    """The user's own runs, newest first; with `everyone`, every run the user may see."""
    runs = JobRun.objects.visible_to(user)
    if not everyone:
        runs = runs.started_by(user)
    return runs.select_related("created_by", "community").order_by("-created_at", "-pk")
