"""Background job runs: one row per logical run, unique by its key, so a run happens once."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.models import Community, TimeStampedModel

VIEW_PERM = "jobs.view_jobrun"

if TYPE_CHECKING:
    from guanjia.core.access import AnyUser, User


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # zh-hans: 排队中
    RUNNING = "running", _("Running")  # zh-hans: 运行中
    SUCCEEDED = "succeeded", _("Succeeded")  # zh-hans: 已完成
    FAILED = "failed", _("Failed")  # zh-hans: 失败


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})


class JobRunQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> JobRunQuerySet:
        """Runs the user started, and runs of communities where the user may view job runs
        (company-wide runs for company-wide viewers); all for a superuser."""
        from guanjia.core.access import get_access

        access = get_access(user)
        if access.is_superuser:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        own = Q(created_by=user) & (
            Q(community__isnull=True) | Q(community_id__in=access.community_ids)
        )
        viewable = Q(community_id__in=access.communities_with(VIEW_PERM))
        if VIEW_PERM in access.company_perms:
            viewable |= Q(community__isnull=True)
        return self.filter(own | viewable)

    def started_by(self, user: User) -> JobRunQuerySet:
        return self.filter(created_by=user)


class JobRun(TimeStampedModel):
    """One logical run of a background job (an export, a nightly task), unique by its key."""

    key = models.CharField(_("key"), max_length=200)
    task = models.CharField(_("task"), max_length=200, help_text=_("Dotted path of the function."))
    label = models.CharField(_("label"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    args = models.JSONField(_("arguments"), default=list, blank=True, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField(
        _("keyword arguments"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("error"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The job runs in this language.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_runs",
        verbose_name=_("started by"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_runs",
        verbose_name=_("community"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="jobrun_unique_key",
                violation_error_message=_("A job run with this key already exists."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values),
                name="jobrun_known_status",
                violation_error_message=_("Unknown job status."),
            ),
        ]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="jobrun_by_creator"),
            models.Index(fields=["status", "started_at"], name="jobrun_status_started"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """Progress in whole percent; 100 once succeeded."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def file_url(self) -> str:
        """The download link the result names (`result["file_url"]`): a path on this site or
        an http(s) address of the file storage; anything else (javascript:, //host) is dropped."""
        url = self.result.get("file_url") if isinstance(self.result, dict) else None
        if not isinstance(url, str) or not url or "\\" in url:
            return ""
        parts = urlsplit(url)
        if parts.scheme in {"http", "https"} and parts.netloc:
            return url
        if not parts.scheme and not parts.netloc and url.startswith("/"):
            return url
        return ""
