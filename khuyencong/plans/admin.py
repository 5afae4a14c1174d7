from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Programme, ProgrammeTarget


class ProgrammeTargetInline(admin.TabularInline):
    model = ProgrammeTarget
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    """National and provincial programmes and their targets (with history): administrators add provincial
    programmes and fill the targets not yet known."""

    list_display = ["name", "level", "province", "start_year", "end_year", "uncertain"]
    list_filter = ["level", "uncertain"]
    inlines = [ProgrammeTargetInline]
