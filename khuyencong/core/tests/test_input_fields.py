"""Generated checks over every serializer and every form of the project: each number a user or another system sends
is read by `core.parsing` (the core fields), and each id that names another record is looked up either through the
user's scope (`ScopedPrimaryKeyRelatedField`, `ScopedModelChoiceField`) or in reference data declared as such
(`ReferenceRelatedField`, `ReferenceModelChoiceField`). A new serializer or form with a plain `IntegerField`, a
plain `PrimaryKeyRelatedField` or an auto-generated `ModelChoiceField` fails here, so forgetting the scope is
impossible rather than rare."""

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import serializers

import khuyencong
from khuyencong.core import forms as core_forms
from khuyencong.core.api import fields as core_fields
from khuyencong.core.api.scoped import ReferenceRelatedField, ReferenceSlugRelatedField, ScopedPrimaryKeyRelatedField

SKIPPED_PACKAGES = {"tests", "migrations", "management"}

#: Serializer fields that read a number through core.parsing (IdField is not here: an id must be looked up).
CORE_NUMBERS = (core_fields.IntegerField, core_fields.MoneyField, core_fields.YearField, core_fields.DecimalField)
CORE_RELATED = (ScopedPrimaryKeyRelatedField, ReferenceRelatedField, ReferenceSlugRelatedField)
FORM_RELATED = (
    core_forms.ScopedModelChoiceField,
    core_forms.ScopedModelMultipleChoiceField,
    core_forms.ReferenceModelChoiceField,
    core_forms.ReferenceModelMultipleChoiceField,
)


def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(khuyencong.__path__, "khuyencong."):
        if SKIPPED_PACKAGES & set(info.name.split(".")):
            continue
        yield importlib.import_module(info.name)


def _classes(base: type) -> list[type]:
    found: dict[str, type] = {}
    for module in _modules():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, base) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


SERIALIZERS = _classes(serializers.BaseSerializer)
FORMS = _classes(forms.BaseForm)


def _foreign_keys(serializer: Any) -> set[str]:
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        return set()
    return {
        name
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.ManyToManyField | models.OneToOneField)
        for name in (field.name, f"{field.name}_id")
    }


def _serializer_problems(serializer: Any, path: str) -> Iterator[str]:
    foreign_keys = _foreign_keys(serializer)
    for name, field in serializer.fields.items():
        yield from _field_problems(field, f"{path}.{name}", foreign_keys)


def _field_problems(field: Any, path: str, foreign_keys: set[str]) -> Iterator[str]:
    if field.read_only:
        return
    if isinstance(field, serializers.ListSerializer):
        yield from _serializer_problems(field.child, path + "[]")
    elif isinstance(field, serializers.BaseSerializer):
        yield from _serializer_problems(field, path)
    elif isinstance(field, serializers.ManyRelatedField):
        yield from _field_problems(field.child_relation, path + "[]", set())
    elif isinstance(field, serializers.ListField | serializers.DictField):
        yield from _field_problems(field.child, path + "[]", set())
    elif isinstance(field, serializers.RelatedField):
        if not isinstance(field, CORE_RELATED):
            yield f"{path}: {type(field).__name__} (use ScopedPrimaryKeyRelatedField or ReferenceRelatedField)"
    elif isinstance(field, serializers.IntegerField | serializers.FloatField | serializers.DecimalField):
        if isinstance(field, core_fields.IdField) or not isinstance(field, CORE_NUMBERS):
            yield f"{path}: {type(field).__name__} (use a core.api.fields number, or a scoped/reference field)"
    elif (field.source or "").split(".")[0] in foreign_keys:
        yield f"{path}: {type(field).__name__} names a foreign key (use a scoped or reference related field)"


def test_the_walk_finds_the_projects_serializers_and_forms():
    names = {f"{c.__module__}.{c.__qualname__}" for c in SERIALIZERS + FORMS}
    assert "khuyencong.establishments.api.serializers.EstablishmentSerializer" in names
    assert "khuyencong.plans.api.serializers.MoneyEventSerializer" in names
    assert "khuyencong.establishments.forms.EstablishmentForm" in names
    assert "khuyencong.collaborators.views.CollaboratorForm" in names
    assert "khuyencong.reports.views.ReportForm" in names
    assert len(SERIALIZERS) >= 25 and len(FORMS) >= 25


@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_serializer_input_is_parsed_and_scoped(serializer_class):
    serializer = serializer_class()
    problems = list(_serializer_problems(serializer, serializer_class.__name__))
    assert problems == []


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_form_input_is_parsed_and_scoped(form_class):
    problems = []
    for name, field in form_class.base_fields.items():
        path = f"{form_class.__name__}.{name}"
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, FORM_RELATED):
            problems.append(f"{path}: {type(field).__name__} (declare it scoped or reference)")
        if isinstance(field, core_forms.IdField):
            problems.append(f"{path}: IdField (an id must be looked up: a scoped or reference field)")
        if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
            problems.append(f"{path}: {type(field).__name__} (use a core.forms number field)")
        if isinstance(field, forms.TypedChoiceField) and field.coerce is int:
            problems.append(f"{path}: a choice of ids (use a scoped or reference field)")
        scoped = (core_forms.ScopedModelChoiceField, core_forms.ScopedModelMultipleChoiceField)
        if isinstance(field, scoped) and not issubclass(form_class, core_forms.ScopedFormMixin):
            problems.append(f"{path}: a scoped field in a form that is not a ScopedFormMixin (never bound)")
    assert problems == []


def test_a_forgotten_foreign_key_of_a_model_form_accepts_nothing():
    from khuyencong.establishments.models import Establishment

    class Forgetful(core_forms.ModelForm):
        class Meta:
            model = Establishment
            fields = ["name", "craft_village"]

    field = Forgetful.base_fields["craft_village"]
    assert isinstance(field, core_forms.UndeclaredRelatedField)
    assert field.queryset is not None and field.queryset.query.is_empty()


def test_a_scoped_serializer_field_without_the_request_is_an_error_not_everything():
    from khuyencong.establishments.selectors import craft_villages_for

    class Body(serializers.Serializer):
        craft_village = ScopedPrimaryKeyRelatedField(selector=craft_villages_for)

    with pytest.raises(ImproperlyConfigured):
        Body(data={"craft_village": 1}).is_valid()
    body = Body(data={"craft_village": 1}, context={"user": AnonymousUser()})
    assert not body.is_valid() and "craft_village" in body.errors


def test_an_unbound_scoped_form_field_accepts_nothing():
    from khuyencong.establishments.selectors import craft_villages_for

    field = core_forms.ScopedModelChoiceField(selector=craft_villages_for)
    assert field.queryset is not None and field.queryset.query.is_empty()
