from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Holiday, OfficialHoliday, WorkingSchedule


@admin.register(OfficialHoliday)
class OfficialHolidayAdmin(SimpleHistoryAdmin):
    """The State Council schedule is shared by every company: kept by the operators here."""

    list_display = ["date", "name", "kind", "is_confirmed"]
    list_filter = ["kind", "is_confirmed"]
    date_hierarchy = "date"


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name", "kind", "company", "community"]
    list_filter = ["kind", "company"]
    list_select_related = ["company", "community"]
    date_hierarchy = "date"


@admin.register(WorkingSchedule)
class WorkingScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["company", "community", "morning_opens", "afternoon_closes"]
    list_select_related = ["company", "community"]
