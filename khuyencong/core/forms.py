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


def _field_error(error: Exception) -> forms.ValidationError:
    from .exceptions import ApplicationError

    message = error.message if isinstance(error, ApplicationError) else str(error)
    return forms.ValidationError(str(message), code="invalid")


class IntegerField(forms.CharField):
    """A whole number typed the Vietnamese way ("1.920", "1 920") → int, read by `core.parsing` (ASCII digits only,
    within the database's range), so that no text reaches a query or a sum as something else."""

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = None, **kwargs: Any) -> None:
        from .parsing import MAX_DB_INT

        self.min_value, self.max_value = min_value, MAX_DB_INT if max_value is None else max_value
        kwargs.pop("localize", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        from .parsing import parse_integer

        text = super().to_python(value)
        try:
            return parse_integer(text, label=str(self.label or ""), minimum=self.min_value, maximum=self.max_value)
        except Exception as error:  # ApplicationError from the parser
            raise _field_error(error) from error


class YearField(IntegerField):
    """A calendar year (four plain digits, 1990–2100 unless narrowed)."""

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any) -> None:
        from .parsing import MAX_YEAR, MIN_YEAR

        super().__init__(
            min_value=MIN_YEAR if min_value is None else min_value,
            max_value=MAX_YEAR if max_value is None else max_value,
            **kwargs,
        )

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        from .parsing import MIN_YEAR, parse_year

        text = forms.CharField.to_python(self, value)
        try:
            return parse_year(
                text, label=str(self.label or ""), minimum=self.min_value or MIN_YEAR, maximum=self.max_value
            )
        except Exception as error:
            raise _field_error(error) from error


class IdField(forms.CharField):
    """The id of a record, from a hidden input or a select whose options are built by the page (not a model
    choice); the view or service still looks the record up through the user's scope."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        from .parsing import parse_id

        text = super().to_python(value)
        try:
            return parse_id(text, label=str(self.label or ""))
        except Exception as error:
            raise _field_error(error) from error


class MoneyField(forms.CharField):
    """A whole number of đồng typed the Vietnamese way ("500.000.000", "500 000 000 đ") → int, read by
    `core.parsing.parse_money` (not negative, not beyond any khuyến công amount)."""

    def __init__(self, *, min_value: Any = None, max_value: Any = None, **kwargs: Any) -> None:
        # A model's money column passes its integer range; the amount's own bounds (core.money) are narrower.
        kwargs.setdefault("required", False)
        kwargs.pop("localize", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("class", "form-control text-end")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            from .formatting import format_number

            return format_number(value)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        from .parsing import parse_money

        text = super().to_python(value)
        if not text:
            return None if not self.required else 0
        try:
            return parse_money(text, label=str(self.label or "").replace(" (đ)", ""))
        except Exception as error:
            raise _field_error(error) from error


def numeric_formfield(field: Any, **kwargs: Any) -> Any:
    """`formfield_callback` of the project's model forms: integer columns are read by `core.parsing` (money
    columns, named `*_vnd`, as amounts of đồng), everything else as Django does."""
    from django.db import models as db_models

    if isinstance(field, db_models.IntegerField) and not field.choices and not isinstance(field, db_models.AutoField):
        if field.name.endswith("_vnd"):
            return field.formfield(form_class=MoneyField, **kwargs)
        positive = (
            db_models.PositiveIntegerField,
            db_models.PositiveSmallIntegerField,
            db_models.PositiveBigIntegerField,
        )
        limits: dict[str, Any] = {"min_value": 0 if isinstance(field, positive) else None}
        for validator in field.validators:
            code = getattr(validator, "code", "")
            if code in ("min_value", "max_value"):
                limits[code] = getattr(validator, "limit_value", None)
        if field.name == "year":
            return field.formfield(form_class=YearField, **{**limits, **kwargs})
        return field.formfield(form_class=IntegerField, **{**limits, **kwargs})
    return field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """The project's model form: numbers through `core.parsing` (see `numeric_formfield`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Runs inside the metaclass before it reads Meta, so every subclass's Meta gets the callback.
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(numeric_formfield)
        super().__init_subclass__(**kwargs)
