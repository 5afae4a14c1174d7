from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .history_views import HISTORY_TYPES


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy (the project's formats), between 01/01/1900 and 31/12/2100: "01/01/0001" is a
    field error, not a 500 a year before it."""

    def to_python(self, value: Any) -> Any:
        from .parsing import check_date

        date = super().to_python(value)
        if date is None:
            return None
        try:
            return check_date(date)
        except Exception as error:
            raise _field_error(error) from error


class ActivityFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    user = forms.CharField(label=_("Username"), required=False, max_length=150)
    kind = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *HISTORY_TYPES.items()]
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

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


def _this_year_example() -> str:
    from django.utils import timezone

    return gettext("e.g. %(year)s") % {"year": timezone.localdate().year}


#: What each kind of number field shows before anything is typed: how to type it, in the page's language (the
#: parser reads "1.250.000.000", "1 250 000 000" and "1,250,000,000" alike).
HINTS = {
    "money": _("e.g. 1,250,000,000"),
    "integer": _("e.g. 1,250"),
    "decimal": _("e.g. 10.5"),
    "year": lazy(_this_year_example, str)(),
}
#: Said to screen readers and on hover: the hint in words.
TYPING = _("Digits, with commas or spaces between thousands if you like: 1,250,000 or 1 250 000")


def _hint(widget: forms.Widget, kind: str) -> None:
    widget.attrs.setdefault("placeholder", HINTS[kind])
    widget.attrs.setdefault("title", TYPING)


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
        _hint(self.widget, "integer")

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        from .parsing import parse_integer

        text = super().to_python(value)
        try:
            return parse_integer(text, label=str(self.label or ""), minimum=self.min_value, maximum=self.max_value)
        except Exception as error:  # ApplicationError from the parser
            if "invalid" in self.error_messages:  # a form's own wording of what it expects
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
            raise _field_error(error) from error


class YearField(IntegerField):
    """A calendar year (four plain digits, 1990–2100 unless narrowed)."""

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any) -> None:
        from .parsing import MAX_YEAR, MIN_YEAR

        widget = kwargs.get("widget") or forms.TextInput()
        widget = widget() if isinstance(widget, type) else widget
        _hint(widget, "year")
        super().__init__(
            min_value=MIN_YEAR if min_value is None else min_value,
            max_value=MAX_YEAR if max_value is None else max_value,
            **{**kwargs, "widget": widget},
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
        _hint(self.widget, "money")

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


class DecimalField(forms.CharField):
    """A decimal number typed the Vietnamese way ("10,5", "106.7") → Decimal, read by `core.parsing.parse_decimal`
    (ASCII digits only, no exponent, NaN or infinity), within [min_value, max_value] and `decimal_places`."""

    def __init__(
        self,
        *,
        min_value: Any = None,
        max_value: Any = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value, self.decimal_places = min_value, max_value, decimal_places
        if max_digits is not None and decimal_places is not None and max_value is None:
            from decimal import Decimal

            self.max_value = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)
            self.min_value = -self.max_value if min_value is None else min_value
        kwargs.pop("localize", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        _hint(self.widget, "decimal")

    def to_python(self, value: Any) -> Any:
        from .parsing import parse_decimal

        text = super().to_python(value)
        try:
            return parse_decimal(
                text,
                label=str(self.label or ""),
                minimum=self.min_value,
                maximum=self.max_value,
                places=self.decimal_places,
            )
        except Exception as error:
            raise _field_error(error) from error


class PhoneField(forms.CharField):
    """A Vietnamese telephone number, or several ("0912 345 678 / 0263 3822 111"), checked by `core.phones` in the
    same round as the form's other fields. The number a record already holds is accepted as it is (records brought
    in before the check), as the services do; a changed one must be right."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.kept: str | None = None
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")
        self.widget.attrs.setdefault("placeholder", _("e.g. 0912 345 678"))

    def to_python(self, value: Any) -> str:
        return " ".join(str(super().to_python(value) or "").split())

    def validate(self, value: Any) -> None:
        from .phones import phone_problem

        super().validate(value)
        if value and value != self.kept and (problem := phone_problem(value)):
            raise forms.ValidationError(problem, code="invalid")


def keep_phones(form: forms.BaseForm) -> None:
    """Tell the form's phone fields the number the record holds now (see `PhoneField`)."""
    for name, field in form.fields.items():
        if isinstance(field, PhoneField):
            field.kept = " ".join(str(form.initial.get(name) or "").split()) or None


# ---- related fields: every id a form sends is looked up through a selector (scoped) or in reference data ---------


class _RelatedLookup:
    """Shared by the four related fields below: the id is read by `core.parsing` (or as a UUID) and looked up in
    the field's queryset; an id it does not hold gets `core.related.not_found`'s message, the same for a record
    that does not exist and for one of another area."""

    scoped = True
    queryset: Any

    def to_python(self, value: Any) -> Any:
        from .related import lookup

        if isinstance(self, forms.ModelMultipleChoiceField):  # its clean() checks the ids in `_check_values`
            return super().to_python(value)  # type: ignore[misc]
        if value in self.empty_values:  # type: ignore[attr-defined]
            return None
        try:
            return lookup(self.queryset, value, scoped=self.scoped)
        except Exception as error:
            raise _field_error(error) from error

    def _check_values(self, value: Any) -> Any:
        from .exceptions import ApplicationError
        from .related import not_found, parse_pk

        try:
            keys = list(dict.fromkeys(parse_pk(self.queryset.model, v) for v in value))
        except ApplicationError as error:
            raise _field_error(error) from error
        found = {obj.pk: obj for obj in self.queryset.filter(pk__in=keys)}
        for key in keys:
            if key not in found:
                raise _field_error(not_found(self.queryset.model, key, scoped=self.scoped))
        return self.queryset.filter(pk__in=keys)

    def narrow(self, *conditions: Any, **filters: Any) -> None:
        """Keep only some of the records the field allows (a province's communes in a project form): narrowing
        never widens what the selector gave."""
        self.queryset = self.queryset.filter(*conditions, **filters)


class _Scoped(_RelatedLookup):
    def __init__(self, *, selector: Any, **kwargs: Any) -> None:
        from .related import empty_queryset

        self.selector = selector
        super().__init__(queryset=empty_queryset(selector), **kwargs)  # type: ignore[call-arg]

    def bind(self, user: Any) -> None:
        """Called by `ScopedFormMixin` with the form's user: the records this user may name."""
        self.queryset = self.selector(user=user)


class ScopedModelChoiceField(_Scoped, forms.ModelChoiceField):
    """A record the user may reach: `selector(user=<the form's user>)` (bound by `ScopedFormMixin`; an unbound
    field accepts nothing)."""


class ScopedModelMultipleChoiceField(_Scoped, forms.ModelMultipleChoiceField):
    """Several records the user may reach (see `ScopedModelChoiceField`)."""


class ReferenceModelChoiceField(_RelatedLookup, forms.ModelChoiceField):
    """A row of public reference data every user may name (policy tables, administrative units a service judges)."""

    scoped = False


class ReferenceModelMultipleChoiceField(_RelatedLookup, forms.ModelMultipleChoiceField):
    """Several rows of public reference data."""

    scoped = False


class UndeclaredRelatedField(forms.ModelChoiceField):
    """What a model form gets for a foreign key it did not declare as scoped or reference: it accepts nothing (and
    the project's test of every form fails), so a forgotten scope cannot let another area's record through."""

    def __init__(self, *, queryset: Any, **kwargs: Any) -> None:
        kwargs.pop("limit_choices_to", None)
        kwargs.pop("to_field_name", None)
        kwargs.pop("blank", None)
        super().__init__(queryset=queryset.none(), **kwargs)


class ScopedFormMixin:
    """A form whose scoped related fields are bound to the `user` it receives (a required keyword argument)."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, _Scoped):
                field.bind(user)
        keep_phones(self)  # type: ignore[arg-type]


def numeric_formfield(field: Any, **kwargs: Any) -> Any:
    """`formfield_callback` of the project's model forms: integer columns are read by `core.parsing` (money
    columns, named `*_vnd`, as amounts of đồng), decimals by `parse_decimal`; a foreign key the form does not
    declare (as a scoped or reference field) accepts nothing; everything else as Django does."""
    from django.db import models as db_models

    if isinstance(field, db_models.CharField) and field.name == "phone":
        return field.formfield(form_class=PhoneField, **kwargs)
    if isinstance(field, db_models.ForeignKey | db_models.ManyToManyField):
        return UndeclaredRelatedField(queryset=field.remote_field.model._default_manager.all(), required=False)
    if isinstance(field, db_models.DecimalField):
        return field.formfield(form_class=DecimalField, **kwargs)
    if isinstance(field, db_models.DateField) and not isinstance(field, db_models.DateTimeField):
        return field.formfield(form_class=DateField, **kwargs)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep_phones(self)
