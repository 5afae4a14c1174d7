"""Forms of the project pages. They parse and label; the services validate and write."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.selectors import organisations_for
from khuyencong.core.forms import (
    DateField,
    IntegerField,
    MoneyField,
    ReferenceModelChoiceField,
    ReferenceModelMultipleChoiceField,
    ScopedFormMixin,
    ScopedModelChoiceField,
    ScopedModelMultipleChoiceField,
    YearField,
    style_widgets,
)
from khuyencong.establishments.selectors import establishment_queryset
from khuyencong.geography.models import AdminUnit
from khuyencong.geography.selectors import communes_for, provinces_for
from khuyencong.policy.models import ActivityContent, Fund, SupportItem
from khuyencong.policy.selectors import indicator_choices

from .choices import AdjustmentScale, BudgetSource, DecisionKind, DocumentKind, Kind, SelectionMethod
from .selectors import documents_for
from .services import BeneficiaryData, BudgetLineData, ProjectContent, TargetData


class ProjectForm(ScopedFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the project"), max_length=500)
    fund = forms.ChoiceField(label=_("Fund"), choices=Fund.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    plan_year = YearField(label=_("Plan year"), min_value=2000, max_value=2100)
    end_year = YearField(label=_("Last year"), min_value=2000, max_value=2100, required=False)
    province = ScopedModelChoiceField(label=_("Province"), selector=provinces_for)
    commune = ScopedModelChoiceField(label=_("Commune (location)"), selector=communes_for, required=False)
    location = forms.CharField(label=_("Location (village, address)"), max_length=255, required=False)
    implementing_org = ScopedModelChoiceField(label=_("Implementing organisation"), selector=organisations_for)
    coordinating_orgs = ScopedModelMultipleChoiceField(
        label=_("Coordinating organisations"), selector=organisations_for, required=False
    )
    selection_method = forms.ChoiceField(label=_("Selection method"), choices=SelectionMethod.choices)
    contents = ReferenceModelMultipleChoiceField(
        label=_("Khuyến công contents"),
        queryset=ActivityContent.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scale = forms.CharField(
        label=_("Scale and outstanding features"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_effects = forms.CharField(
        label=_("Expected economic, social and environmental effects"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=255, help_text=_("Kept in the change history.")
    )

    def __init__(self, *args: Any, user: Any, province: AdminUnit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        provinces = self.fields["province"].queryset
        if province is not None and not provinces.filter(pk=province.pk).exists():
            province = None  # another area's province narrows nothing (and shows none of its communes)
        chosen = province or (provinces.first() if provinces.count() == 1 else None)
        if chosen is not None:
            self.fields["province"].initial = chosen.pk
        self.fields["commune"].narrow(province=chosen)
        if chosen is not None:
            for name in ("implementing_org", "coordinating_orgs"):
                self.fields[name].narrow(Q(province=chosen) | Q(province__isnull=True))
        self.fields["contents"].narrow(pk__in=ActivityContent.objects.valid_on(timezone.localdate()).values("pk"))
        self.fields["contents"].queryset = self.fields["contents"].queryset.order_by("code")
        self.fields["plan_year"].initial = timezone.localdate().year + 1
        style_widgets(self)


class BeneficiaryForm(ScopedFormMixin, forms.Form):
    # The page renders its own searchable select (the registry is too large for a list of options).
    establishment = ScopedModelChoiceField(
        label=_("Establishment"), selector=establishment_queryset, widget=forms.HiddenInput
    )
    support_item = ReferenceModelChoiceField(
        label=_("Support item"), queryset=SupportItem.objects.order_by("sort_order", "code"), required=False
    )
    eligible_cost_vnd = MoneyField(label=_("Eligible cost (đ)"))
    support_vnd = MoneyField(label=_("Support (đ)"))
    counterpart_vnd = MoneyField(label=_("Counterpart capital (đ)"))
    priority = forms.BooleanField(label=_("Priority case"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["establishment"].error_messages["required"] = _("Choose an establishment.")
        style_widgets(self)


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=255)
    source = forms.ChoiceField(label=_("Source"), choices=BudgetSource.choices)
    planned_vnd = MoneyField(label=_("Planned (đ)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)
    planned = IntegerField(label=_("Planned"), min_value=0, max_value=10_000_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


BeneficiaryFormSet = forms.formset_factory(BeneficiaryForm, extra=1, can_delete=True)
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=1, can_delete=True)
TargetFormSet = forms.formset_factory(TargetForm, extra=1, can_delete=True)


def _rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def project_content(
    form: ProjectForm, beneficiaries: forms.BaseFormSet, budget: forms.BaseFormSet, targets: forms.BaseFormSet
) -> ProjectContent:
    data = form.cleaned_data
    fields = {name: data.get(name) for name in ("name", "fund", "kind", "plan_year", "end_year", "province",
                                                "commune", "location", "implementing_org", "selection_method",
                                                "objectives", "scale", "expected_effects")}  # fmt: skip
    fields["end_year"] = fields["end_year"] or fields["plan_year"]
    return ProjectContent(
        fields=fields,
        contents=[c.pk for c in data.get("contents") or []],
        coordinating_orgs=[o.pk for o in data.get("coordinating_orgs") or []],
        beneficiaries=[
            BeneficiaryData(
                establishment_id=row["establishment"].pk,
                support_item_id=row["support_item"].pk if row.get("support_item") else None,
                eligible_cost_vnd=row.get("eligible_cost_vnd") or 0,
                support_vnd=row.get("support_vnd") or 0,
                counterpart_vnd=row.get("counterpart_vnd") or 0,
                priority=bool(row.get("priority")),
            )
            for row in _rows(beneficiaries)
        ],
        budget_lines=[BudgetLineData(row["item"], row["source"], row.get("planned_vnd") or 0) for row in _rows(budget)],
        targets=[TargetData(row["indicator"], row["planned"]) for row in _rows(targets)],
    )


class StepForm(ScopedFormMixin, forms.Form):
    """The confirmation of a lifecycle step: a reason, and the decision when the step needs one."""

    reason = forms.CharField(label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_signed_on = DateField(label=_("Signed on"), required=False)
    decision_signer = forms.CharField(label=_("Signer"), max_length=255, required=False)
    decision_issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    decision_document = ScopedModelChoiceField(
        label=_("File of the decision"), selector=documents_for, required=False, empty_label="—"
    )
    version = IntegerField(widget=forms.HiddenInput, required=False)
    scale = forms.ChoiceField(label=_("Scale of the adjustment"), choices=AdjustmentScale.choices, required=False)
    new_end_year = YearField(label=_("New last year"), required=False, min_value=2000, max_value=2100)
    new_location = forms.CharField(label=_("New location"), max_length=255, required=False)
    new_scale = forms.CharField(label=_("New scale"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    decision_file = forms.FileField(label=_("Attach the file"), required=False)

    #: How each kind of decision is asked for: what it is called, its number, date and who signs it.
    WORDS: dict[str, tuple[Any, Any, Any, Any]] = {
        DecisionKind.CONTRACT: (_("Contract"), _("Contract number"), _("Signed on"), _("Parties (party A, party B)")),
        DecisionKind.ACCEPTANCE: (
            _("Acceptance minutes"), _("Minutes number"), _("Date of the acceptance"), _("Signed by (the council)"),
        ),
        DecisionKind.APPRAISAL: (_("Appraisal result"), _("Number of the appraisal sheet or minutes"), _("Signed on"),
                                 _("Signer")),
    }  # fmt: skip

    def __init__(
        self, *args: Any, user: Any, project: Any, lines: Any = (), targets: Any = (), step: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["decision_document"].narrow(project=project)
        self.legend = _("Decision")
        if step is not None and step.decision in self.WORDS:
            self.legend, number, date, signer = self.WORDS[step.decision]
            self.fields["decision_number"].label = number
            self.fields["decision_signed_on"].label = date
            self.fields["decision_signer"].label = signer
            self.fields["decision_document"].label = _("File already attached")
        self.fields["decision_signed_on"].widget.attrs["placeholder"] = _("dd/mm/yyyy")
        self.lines = list(lines)
        self.targets = list(targets)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = MoneyField(label=line.item)
        for target in self.targets:
            self.fields[f"achieved_{target.indicator_id}"] = IntegerField(
                label=target.indicator.name, required=False, min_value=0, max_value=10_000_000
            )
        style_widgets(self)

    def line_fields(self) -> list[Any]:
        return [self[f"line_{line.pk}"] for line in self.lines]

    def target_fields(self) -> list[Any]:
        return [self[f"achieved_{target.indicator_id}"] for target in self.targets]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG, up to 25 MB."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ProgressReportForm(forms.Form):
    month = DateField(label=_("Month (any day of it)"), help_text=_("dd/mm/yyyy"))
    work_done = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent_done = IntegerField(label=_("Share of the work done (%)"), min_value=0, max_value=100)
    spent_khuyen_cong_vnd = MoneyField(label=_("Spent from khuyến công funds (đ)"))
    spent_counterpart_vnd = MoneyField(label=_("Spent from counterpart capital (đ)"))
    spent_other_vnd = MoneyField(label=_("Spent from other sources (đ)"))
    issues = forms.CharField(label=_("Issues and proposals"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class EvaluationForm(forms.Form):
    revenue_before_vnd = MoneyField(label=_("Revenue before (đ)"))
    employees_before = IntegerField(label=_("Employees before"), required=False, min_value=0)
    revenue_year1_vnd = MoneyField(label=_("Revenue, year 1 (đ)"))
    employees_year1 = IntegerField(label=_("Employees, year 1"), required=False, min_value=0)
    revenue_year2_vnd = MoneyField(label=_("Revenue, year 2 (đ)"))
    employees_year2 = IntegerField(label=_("Employees, year 2"), required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
