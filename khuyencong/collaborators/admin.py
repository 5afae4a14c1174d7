from typing import Any

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.core.forms import ModelForm

from . import engine
from .models import FormVersion, ReportForm


class FormVersionForm(ModelForm):
    class Meta:
        model = FormVersion
        fields = ["number", "fields", "rules", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = engine.check_schema(data.get("fields"), data.get("rules"))
        if problems:
            raise forms.ValidationError(problems)
        return data


class FormVersionInline(admin.StackedInline):
    """A new version is added here; a published version is never changed (open drafts are carried over to the
    newest when next saved, submitted reports keep theirs)."""

    model = FormVersion
    form = FormVersionForm
    extra = 0

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ReportForm)
class ReportFormAdmin(SimpleHistoryAdmin):
    """Report and survey forms as data (with history): the period, due and grace days, and versions of the fields
    and rules, each checked before it is saved."""

    list_display = ["code", "name", "period_type", "due_days", "grace_days", "is_periodic", "is_active"]
    list_filter = ["period_type", "is_periodic", "is_active"]
    inlines = [FormVersionInline]
