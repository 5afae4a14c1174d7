"""Forms of the plan pages. The progress form parses the same parameters for the page, the API and the export."""

import contextlib
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.forms import (
    DateField,
    IntegerField,
    MoneyField,
    ReferenceModelChoiceField,
    ScopedFormMixin,
    ScopedModelChoiceField,
    YearField,
    style_widgets,
)
from khuyencong.core.parsing import parse_date
from khuyencong.geography.models import Region
from khuyencong.geography.selectors import communes_for, provinces_for, region_provinces
from khuyencong.policy.forms import ContentChoiceField
from khuyencong.policy.models import Fund
from khuyencong.policy.selectors import all_indicator_choices
from khuyencong.projects.choices import BudgetSource

from .choices import MoneyKind
from .selectors import Query, programmes_for


class ProgressForm(ScopedFormMixin, forms.Form):
    """Scope (region, province, commune), fund, programme, content, plan years and the date of the figures."""

    as_of = DateField(label=_("Figures as of"), required=False)
    year_from = YearField(label=_("Plan years from"), min_value=2000, max_value=2100, required=False)
    year_to = YearField(label=_("to"), min_value=2000, max_value=2100, required=False)
    fund = forms.ChoiceField(label=_("Fund"), choices=[("", _("Both funds")), *Fund.choices], required=False)
    region = ReferenceModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("kind", "sort_order"), required=False
    )
    province = ScopedModelChoiceField(label=_("Province"), selector=provinces_for, required=False)
    commune = ScopedModelChoiceField(
        label=_("Commune"), selector=communes_for, required=False, widget=forms.HiddenInput
    )
    programme = ScopedModelChoiceField(label=_("Programme"), selector=programmes_for, required=False)
    content = ContentChoiceField(label=_("Content"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].widget.attrs["placeholder"] = _("dd/mm/yyyy")
        with contextlib.suppress(ApplicationError):  # the contents as worded on the date of the figures
            self.fields["content"].offer(parse_date(self.data.get("as_of")) or timezone.localdate())
        style_widgets(self)

    def clean(self) -> dict:
        data = super().clean() or {}
        today = timezone.localdate()
        data["as_of"] = data.get("as_of") or today
        year_to = data.get("year_to") or data["as_of"].year
        year_from = data.get("year_from") or year_to
        if year_from > year_to:
            self.add_error("year_to", _("The last year is before the first one."))
        data["year_from"], data["year_to"] = year_from, year_to
        commune, province, region = data.get("commune"), data.get("province"), data.get("region")
        if commune is not None and province is not None and commune.province_id != province.pk:
            self.add_error("commune", _("%(commune)s is not in %(province)s.")
                           % {"commune": commune.full_name, "province": province.full_name})  # fmt: skip
        elif (
            commune is not None and province is None and region is not None
            and commune.province_id not in region_provinces(region, timezone.localdate())
        ):  # fmt: skip
            self.add_error("commune", _("%(commune)s is not in the region chosen.") % {"commune": commune.full_name})
        return data

    def query(self) -> Query:
        data = self.cleaned_data
        provinces: frozenset[int] | None = None
        if data.get("province"):
            provinces = frozenset({data["province"].pk})
        elif data.get("region"):
            # figures are kept on today's provinces (docs/figures.md): a region is its provinces of today
            provinces = frozenset(region_provinces(data["region"], timezone.localdate()))
        return Query(
            as_of=data["as_of"],
            year_from=data["year_from"],
            year_to=data["year_to"],
            fund=data.get("fund") or None,
            provinces=provinces,
            programme_id=data["programme"].pk if data.get("programme") else None,
            content_id=data["content"].pk if data.get("content") else None,
            commune_id=data["commune"].pk if data.get("commune") else None,
        )

    def scope_label(self) -> str:
        data = self.cleaned_data
        for name in ("commune", "province", "region"):
            if data.get(name):
                return str(getattr(data[name], "full_name", data[name]))
        return str(_("Whole country (within your scope)"))


class AllocationRowForm(ScopedFormMixin, forms.Form):
    province = ScopedModelChoiceField(label=_("Province"), selector=provinces_for, required=False)
    content = ContentChoiceField(label=_("Content"), required=False)
    amount_vnd = MoneyField(label=_("Amount (đ)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
        self.fields["amount_vnd"].widget.attrs["data-allocation-amount"] = "1"


AllocationFormSet = forms.formset_factory(AllocationRowForm, extra=2, can_delete=True)


class PlanDecisionForm(ScopedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    fund = forms.ChoiceField(label=_("Fund"), choices=Fund.choices, required=False)
    year = YearField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    province = ScopedModelChoiceField(label=_("Province (local plan)"), selector=provinces_for, required=False)
    programme = ScopedModelChoiceField(label=_("Programme"), selector=programmes_for, required=False)
    total_vnd = MoneyField(label=_("Total of the plan (đ)"), required=True)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = DateField(label=_("Decision date"), required=False)
    signer = forms.CharField(label=_("Signer"), max_length=255, required=False)
    effective_on = DateField(label=_("In force from"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, adjusting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if adjusting:
            for name in ("title", "fund", "year", "province", "programme"):
                del self.fields[name]
        for name in ("decision_date", "effective_on"):
            self.fields[name].widget.attrs["placeholder"] = _("dd/mm/yyyy")
        self.fields["total_vnd"].widget.attrs["data-plan-total"] = "1"
        style_widgets(self)


class MoneyEventForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=BudgetSource.choices)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, k.label) for k in MoneyKind if k != MoneyKind.SETTLEMENT]
    )
    amount_vnd = MoneyField(label=_("Amount (đ)"), required=True)
    occurred_on = DateField(label=_("Date"))
    reference = forms.CharField(label=_("Voucher or document"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, sources: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sources is not None:  # only the sources whose money the user records
            source_field = self.fields["source"]
            assert isinstance(source_field, forms.ChoiceField)
            source_field.choices = [(v, label) for v, label in BudgetSource.choices if v in sources]
        self.fields["occurred_on"].widget.attrs["placeholder"] = _("dd/mm/yyyy")
        style_widgets(self)


class PlanItemForm(forms.Form):
    project = forms.CharField(label=_("Project code"), max_length=40)
    approved_vnd = MoneyField(label=_("Approved khuyến công funds (đ)"), help_text=_("Empty: remove it from the plan."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ProgrammeForm(ScopedFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=500)
    province = ScopedModelChoiceField(label=_("Province"), selector=provinces_for, required=False)
    start_year = YearField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = YearField(label=_("Last year"), min_value=2000, max_value=2100)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = DateField(label=_("Decision date"), required=False)
    signer = forms.CharField(label=_("Signer"), max_length=255, required=False)
    total_vnd = MoneyField(label=_("Total funds (đ)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["province"]
        self.fields["decision_date"].widget.attrs["placeholder"] = _("dd/mm/yyyy")
        style_widgets(self)


class ProgrammeTargetRowForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=lambda: [("", "—"), *all_indicator_choices()])
    value = IntegerField(label=_("Target"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


ProgrammeTargetFormSet = forms.formset_factory(ProgrammeTargetRowForm, extra=2, can_delete=True)
