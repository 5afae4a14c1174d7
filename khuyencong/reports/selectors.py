"""The dashboard's figures for a user's scope, read only through the other apps' selectors."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_money, format_number, format_percent, percent_of
from khuyencong.core.scoping import user_scope
from khuyencong.geography.models import AdminUnit
from khuyencong.plans.selectors import PlanVsActual, Query, disbursed_by_province, plan_vs_actual, programme_span
from khuyencong.policy.models import Indicator
from khuyencong.projects.choices import Status
from khuyencong.projects.selectors import project_statistics


@dataclass
class Dashboard:
    query: Query
    money: PlanVsActual
    stats: dict[str, Any]
    provinces: list[dict[str, Any]]

    @property
    def employed_share(self) -> Decimal | None:
        outputs = self.stats["outputs"]
        return percent_of(outputs.get("trainees_employed", (0, 0))[1], outputs.get("trainees", (0, 0))[1])

    @property
    def revenue_change(self) -> Decimal | None:
        before, after = self.stats["revenue_before_vnd"], self.stats["revenue_after_vnd"]
        return None if not before else Decimal(after - before) * 100 / Decimal(before)

    def cards(self) -> list[tuple[str, str, str]]:
        """(key, label, value) of the headline figures, formatted the Vietnamese way."""
        display = self.money.display()
        outputs = self.stats["outputs"]
        cards = [
            ("planned", _("Funds planned"), display["planned_vnd"]),
            ("disbursed", _("Funds disbursed"), display["disbursed_vnd"]),
            ("settled", _("Funds settled"), display["settled_vnd"]),
            ("counterpart", _("Counterpart capital settled"), display["counterpart_settled_vnd"]),
            ("leverage", _("Counterpart per đồng of khuyến công funds"), display["leverage"]),
            ("progress", _("Progress against the plan"), display["progress"]),
            ("projects", _("Projects"), format_number(self.stats["projects"])),
            ("establishments", _("Establishments supported"), format_number(self.stats["establishments_supported"])),
        ]
        for indicator in Indicator.objects.filter(computed=False).order_by("sort_order", "code"):
            planned, achieved = outputs.get(indicator.code, (0, 0))
            if planned or achieved:  # every indicator with values in the scope
                cards.append((indicator.code, indicator.name, format_number(achieved)))
        cards.append(
            ("employed_share", _("Share of trainees employed after training"), format_percent(self.employed_share, 1))
        )
        cards.append(
            ("revenue_change", _("Revenue change one year after support"), format_percent(self.revenue_change, 1))
        )
        return cards

    @property
    def outputs_by_content(self) -> list[tuple[str, list[tuple[str, str, int, int]]]]:
        """The indicators under each content (the projects' main content), with units, in the catalogue's order."""
        from khuyencong.policy.models import ActivityContent
        from khuyencong.policy.selectors import content_sort_key

        indicators = {i.code: i for i in Indicator.objects.order_by("sort_order", "code")}
        order = {code: n for n, code in enumerate(indicators)}
        names = dict(ActivityContent.objects.order_by("code", "valid_from").values_list("code", "name"))
        grouped: dict[str, list[tuple[str, str, int, int]]] = {}
        for (code, indicator), (planned, achieved) in sorted(
            self.stats["outputs_by_content"].items(), key=lambda item: order.get(item[0][1], 0)
        ):
            if (planned or achieved) and indicator in indicators:
                item = indicators[indicator]
                grouped.setdefault(code, []).append((item.name, str(item.get_unit_display()), planned, achieved))
        return [
            (f"{code}. {names.get(code, '')}" if code else str(_("Projects without a content")), grouped[code])
            for code in sorted(grouped, key=lambda c: content_sort_key(c) if c else [(2, 0, "")])
        ]

    def status_rows(self) -> list[tuple[str, int]]:
        return [
            (str(label), self.stats["by_status"].get(value, 0))
            for value, label in Status.choices
            if self.stats["by_status"].get(value)
        ]

    def as_dict(self) -> dict[str, Any]:
        outputs = self.stats["outputs"]
        return {
            "money": self.money.as_dict(),
            "projects": self.stats["projects"],
            "projects_by_status": self.stats["by_status"],
            "projects_by_content": [{"code": c, "name": n, "projects": k} for c, n, k in self.stats["by_content"]],
            "establishments_supported": self.stats["establishments_supported"],
            "outputs": {k: {"planned": p, "achieved": a} for k, (p, a) in outputs.items()},
            "outputs_by_content": [
                {"content": c, "indicator": i, "planned": p, "achieved": a}
                for (c, i), (p, a) in sorted(self.stats["outputs_by_content"].items())
            ],
            "revenue_before_vnd": self.stats["revenue_before_vnd"],
            "revenue_after_vnd": self.stats["revenue_after_vnd"],
            "provinces": self.provinces,
            "cards": {key: value for key, _label, value in self.cards()},
        }


def dashboard(*, user: Any, query: Query) -> Dashboard:
    """Every dashboard figure for the query, restricted to the user's scope."""
    scope = user_scope(user)
    provinces = query.provinces
    year_from, year_to, fund, provinces = programme_span(query)
    stats = project_statistics(
        user=user,
        year_from=year_from,
        year_to=year_to,
        fund=fund,
        provinces=provinces,
        communes=provinces is not None and len(provinces) == 1,  # the map of one province's communes
        as_of=query.as_of,
        content_id=query.content_id,
        commune_id=query.commune_id,
    )
    money = plan_vs_actual(user=user, query=query)
    disbursed = disbursed_by_province(user=user, query=query)
    units = AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("name_folded")
    if not scope.is_country:
        units = units.filter(pk__in=scope.province_ids if scope.level == "province" else [])
    by_province = stats["by_province"]
    rows = [
        {
            "code": unit.code,
            "full_name": unit.full_name,
            "projects": by_province.get(unit.code, 0),
            "disbursed_vnd": disbursed.get(unit.pk, 0),
            "disbursed": format_money(disbursed.get(unit.pk, 0), "ty", 3),
            "id": unit.pk,
        }
        for unit in units
    ]
    return Dashboard(query=query, money=money, stats=stats, provinces=rows)


def default_query(today: datetime.date) -> Query:
    return Query(as_of=today, year_from=today.year, year_to=today.year)
