from django.contrib import admin
from django.http import HttpRequest

from .models import DocumentSequence


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    """Read-only: counters move only through `next_number`, never by hand."""

    list_display = ["community", "kind", "year", "last_number", "updated_at"]
    list_filter = ["kind", "year"]
    list_select_related = ["community"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
