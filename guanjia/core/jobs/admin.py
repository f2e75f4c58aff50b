from django.contrib import admin
from django.http import HttpRequest

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Read-only: runs change only through the jobs services."""

    list_display = ["label", "key", "status", "progress_done", "progress_total", "created_at"]
    list_filter = ["status"]
    search_fields = ["key", "label", "task"]
    list_select_related = ["created_by", "community"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
