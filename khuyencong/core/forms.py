from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .history_views import HISTORY_TYPES


class ActivityFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    user = forms.CharField(label=_("Username"), required=False, max_length=150)
    kind = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *HISTORY_TYPES.items()]
    )
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, model_choices: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All record types")), *model_choices]  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )
        self.fields["date_from"].widget.attrs["placeholder"] = _("dd/mm/yyyy")
        self.fields["date_to"].widget.attrs["placeholder"] = _("dd/mm/yyyy")

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
