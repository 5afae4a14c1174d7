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


def style_widgets(form: forms.BaseForm) -> None:
    """Give every widget of `form` its Bootstrap class (checkbox, select or text input)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class MoneyField(forms.CharField):
    """A whole number of đồng typed the Vietnamese way ("500.000.000", "500 000 000") → int."""

    default_error_messages = {
        "invalid": _("Type a whole number of đồng, e.g. 500.000.000."),
        "negative": _("An amount cannot be negative."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("class", "form-control text-end")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            from .formatting import format_number

            return format_number(value)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        from .formatting import parse_number

        text = super().to_python(value)
        if not text:
            return None if not self.required else 0
        try:
            number = parse_number(text.replace("đ", "").strip())
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if number != number.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if number < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return int(number)
