from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LocalWorkflow


@admin.register(LocalWorkflow)
class LocalWorkflowAdmin(SimpleHistoryAdmin):
    """Each province's local-fund steps: the approver, base appraisal and contract (with history)."""

    list_display = ["province", "approver", "base_appraisal", "contract_step"]
    autocomplete_fields: list[str] = []
