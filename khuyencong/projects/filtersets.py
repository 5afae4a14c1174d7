"""One FilterSet for the project list page and the API."""

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.text import fold
from khuyencong.geography.models import AdminUnit
from khuyencong.policy.forms import ContentChoiceField
from khuyencong.policy.models import CalendarDeadline, Fund
from khuyencong.policy.selectors import calendar_deadline, content_family

from .choices import Status
from .models import Project
from .workflow import AWAITING_DEADLINE, KCDP, KCQG, waiting_for_q


def overdue_condition(queryset: QuerySet[Project], today: datetime.date) -> Q:
    """Projects whose current state waits on a calendar deadline that has passed (the deadline depends on the
    fund, the province for a local fund, and the plan year or last year: computed for the combinations present)."""
    condition = Q(pk__in=[])
    combos = (
        queryset.filter(status__in=list(AWAITING_DEADLINE))
        .values_list("status", "fund", "province_id", "plan_year", "end_year")
        .distinct()
    )
    provinces: dict[int, AdminUnit] = {}
    memo: dict[tuple, Any] = {}
    for status, fund, province_id, plan_year, end_year in combos:
        step = AWAITING_DEADLINE[status]
        if step == CalendarDeadline.Step.REGISTER_WITH_MINISTRY and fund != KCQG:
            continue
        year = end_year if step == CalendarDeadline.Step.SETTLEMENT else plan_year
        province = None
        if fund == KCDP:
            province = provinces.get(province_id) or AdminUnit.objects.get(pk=province_id)
            provinces[province_id] = province
        key = (fund, step, year, province_id if fund == KCDP else None)
        if key not in memo:
            memo[key] = calendar_deadline(fund=fund, step=step, year=year, on=today, province=province)
        found = memo[key]
        if found and today > found[0]:
            part = Q(status=status, fund=fund, plan_year=plan_year, end_year=end_year)
            if fund == KCDP:
                part &= Q(province_id=province_id)
            condition |= part
    return condition


class ContentFilter(django_filters.Filter):
    field_class = ContentChoiceField


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    year = django_filters.NumberFilter(label=_("Plan year"), field_name="plan_year")
    fund = django_filters.ChoiceFilter(label=_("Fund"), choices=Fund.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    content = ContentFilter(label=_("Content"), method="filter_content")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("name_folded"),
    )
    implementing_org = django_filters.ModelChoiceFilter(
        label=_("Implementing organisation"), queryset=Organisation.objects.all()
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue")
    waiting = django_filters.BooleanFilter(label=_("Waiting for my step"), method="filter_waiting")

    class Meta:
        model = Project
        fields = ["q", "year", "fund", "status", "content", "province", "implementing_org", "overdue", "waiting"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = fold(value)
        if not text:
            return queryset
        return queryset.filter(Q(name_folded__contains=text) | Q(code__icontains=value.strip()))

    def filter_content(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """A project of any version of the content (4.5 of 2012 and of 2025 are one content)."""
        if not value:
            return queryset
        through = Project.contents.through.objects.filter(activitycontent_id__in=content_family(value.pk) or [])
        return queryset.filter(pk__in=through.values("project_id"))

    def filter_overdue(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(overdue_condition(queryset, timezone.localdate()))

    def filter_waiting(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """Projects whose next step is the user's to take (the home page's list)."""
        if not value:
            return queryset
        user = getattr(self, "user", None) or getattr(self.request, "user", None)
        return queryset.filter(waiting_for_q(user)) if user is not None else queryset.none()
