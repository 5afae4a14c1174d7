"""Forms of the registry. They parse and label; the services validate and write."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import (
    IntegerField,
    ModelForm,
    ReferenceModelChoiceField,
    ScopedFormMixin,
    ScopedModelChoiceField,
)
from khuyencong.geography.choices import UnitLevel
from khuyencong.geography.models import AdminUnit
from khuyencong.policy.models import EligibleIndustryGroup, Industry

from .models import CraftVillage, Establishment, EstablishmentYear
from .selectors import craft_villages_for, establishment_queryset


def _label(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


FORM_FIELDS = [
    "name",
    "legal_form",
    "tax_code",
    "owner_name",
    "owner_gender",
    "owner_ethnic_minority",
    "phone",
    "email",
    "address",
    "commune_recorded",
    "craft_village",
    "main_industry",
    "eligible_group",
    "main_products",
    "employees_total",
    "employees_female",
    "employees_ethnic_minority",
    "status",
    "status_since",
    "source",
    "latitude",
    "longitude",
]


class EstablishmentForm(ScopedFormMixin, ModelForm):
    # Any commune, current or as it was before 01/07/2025: the service places the record in today's commune and
    # refuses it when that commune is outside the user's area.
    commune_recorded = ReferenceModelChoiceField(
        label=_label(Establishment, "commune_recorded"),
        queryset=AdminUnit.objects.filter(level=UnitLevel.COMMUNE),
        widget=forms.HiddenInput,
    )
    craft_village = ScopedModelChoiceField(
        label=_label(Establishment, "craft_village"), selector=craft_villages_for, required=False
    )
    main_industry = ReferenceModelChoiceField(
        label=_label(Establishment, "main_industry"), queryset=Industry.objects.all(), required=False
    )
    eligible_group = ReferenceModelChoiceField(
        label=_label(Establishment, "eligible_group"), queryset=EligibleIndustryGroup.objects.all(), required=False
    )
    version = IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=255, help_text=_("Kept in the change history.")
    )

    class Meta:
        model = Establishment
        fields = FORM_FIELDS
        widgets = {
            "commune_recorded": forms.HiddenInput,
            "main_products": forms.Textarea(attrs={"rows": 2}),
            "status_since": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune_recorded"].error_messages["required"] = _("Choose the commune where it produces.")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        self.fields["name"].widget.attrs["autofocus"] = True

    def validate_unique(self) -> None:
        """Uniqueness (the tax code) is checked by the service, whose message links to the existing record."""

    def validate_constraints(self) -> None:
        """The service checks the same rules with field-level Vietnamese messages; the database enforces them."""

    def clean_name(self) -> str:
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter the establishment's name."))
        return name


class EstablishmentYearForm(ModelForm):
    class Meta:
        model = EstablishmentYear
        fields = ["year", "revenue_vnd", "production_value_vnd", "export_value_vnd", "employees", "capacity"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class MergeForm(ScopedFormMixin, forms.Form):
    other = ScopedModelChoiceField(selector=establishment_queryset, widget=forms.HiddenInput)
    take_from_other = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=255)

    def __init__(self, *args: Any, field_choices: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["take_from_other"].choices = field_choices


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of the filter"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class CraftVillageForm(ModelForm):
    # Any commune: the service refuses one that is not of today (naming its successor) or outside the user's area.
    commune = ReferenceModelChoiceField(
        label=_label(CraftVillage, "commune"),
        queryset=AdminUnit.objects.filter(level=UnitLevel.COMMUNE),
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=255, help_text=_("Kept in the change history.")
    )

    class Meta:
        model = CraftVillage
        fields = ["name", "kind", "craft", "commune", "recognition_decision", "recognised_on"]
        widgets = {
            "commune": forms.HiddenInput,
            "recognised_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }
        help_texts = {"recognition_decision": _("Number of the provincial People's Committee's decision.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].error_messages["required"] = _("Choose the commune of the craft village.")
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")

    def validate_unique(self) -> None:
        """The service checks the name within the commune, with a Vietnamese message."""
