"""One FilterSet for the list page, the API and the exports: the same filters give the same rows everywhere."""

from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from khuyencong.geography.models import AdminUnit
from khuyencong.policy.models import Industry

from .choices import SIZE_BAND_RANGES, LegalForm, SizeBand, Status
from .models import CraftVillage, Establishment
from .search import apply_search_with_places

SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("name_folded", "id"),
    "-name": ("-name_folded", "-id"),
    # Establishments without a figure come last in both directions, on SQLite and PostgreSQL alike.
    "employees": (F("employees_total").asc(nulls_last=True), "name_folded", "id"),
    "-employees": (F("employees_total").desc(nulls_last=True), "name_folded", "id"),
    "commune": ("commune__name_folded", "name_folded", "id"),
    "-updated": ("-updated_at", "-id"),
}
SORT_CHOICES = [
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("commune", _("Commune")),
    ("-employees", _("Most employees")),
    ("employees", _("Fewest employees")),
    ("-updated", _("Recently changed")),
]


class EstablishmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("name_folded"),
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=AdminUnit.objects.filter(level="commune", valid_to__isnull=True),
        widget=forms.HiddenInput,
    )
    legal_form = django_filters.ChoiceFilter(label=_("Legal form"), choices=LegalForm.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry (VSIC)"), queryset=Industry.objects.all(), method="filter_industry"
    )
    craft_village = django_filters.ModelChoiceFilter(label=_("Craft village"), queryset=CraftVillage.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    size = django_filters.ChoiceFilter(label=_("Size"), choices=SizeBand.choices, method="filter_size")
    sort = django_filters.ChoiceFilter(label=_("Sort"), choices=SORT_CHOICES, method="filter_sort", empty_label=None)

    class Meta:
        model = Establishment
        fields = ["q", "province", "commune", "legal_form", "industry", "craft_village", "status", "size", "sort"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return apply_search_with_places(queryset, value)

    def filter_industry(self, queryset: QuerySet, name: str, value: Industry) -> QuerySet:
        if value.level >= 4:
            return queryset.filter(main_industry=value)
        return queryset.filter(main_industry__code__startswith=value.code)

    def filter_size(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == SizeBand.UNKNOWN:
            return queryset.filter(employees_total__isnull=True)
        low, high = SIZE_BAND_RANGES[SizeBand(value)]
        condition = Q(employees_total__gte=low)
        if high is not None:
            condition &= Q(employees_total__lte=high)
        return queryset.filter(condition)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, in `ordered`

    def ordered(self) -> Any:
        key = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return self.qs.order_by(*SORTS.get(key or "name", SORTS["name"]))
