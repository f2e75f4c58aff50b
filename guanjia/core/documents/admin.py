from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(SimpleHistoryAdmin):
    list_display = ["community", "company_name", "office_name", "phone"]
    search_fields = ["community__name", "office_name"]
