"""Form fields naming policy data: an activity content is offered once, as its version in force on the date that
matters (the plan's, the figures'), with its legal basis as the option's hint; any version's id is accepted (the
figures group the versions of one content)."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator

from khuyencong.core.forms import ReferenceModelChoiceField

from .models import ActivityContent
from .selectors import contents_in_force


class HintedSelect(forms.Select):
    """A select whose options carry a hint (`title`), e.g. the legal basis of a content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints: dict[str, str] = {}

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        hint = self.hints.get(str(getattr(value, "value", value)))
        if hint:
            option["attrs"]["title"] = hint
        return option


class _LazyContents(BaseChoiceIterator):
    """The choices, read when the form is rendered (never when the form class is defined)."""

    def __init__(self, field: "ContentChoiceField") -> None:
        self.field = field

    def __iter__(self) -> Any:
        field = self.field
        rows = contents_in_force(getattr(field, "on", None) or timezone.localdate())
        field.widget.hints = {str(row.pk): row.basis() for row in rows}
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for row in rows:
            yield (row.pk, f"{row.code}. {row.name}")

    def __bool__(self) -> bool:
        return True


class ContentChoiceField(ReferenceModelChoiceField):
    widget = HintedSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", ActivityContent.objects.order_by("code", "valid_from"))
        super().__init__(**kwargs)
        self.on: datetime.date | None = None

    def offer(self, on: datetime.date) -> None:
        """List each content once, as the version in force on `on` (today when never called)."""
        self.on = on

    def _get_choices(self) -> Any:
        return _LazyContents(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)  # type: ignore[union-attr]
