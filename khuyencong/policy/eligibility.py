"""The eligibility and ceiling check of a proposed support, judged by the rules in force on its date.

`check_support(case)` returns findings, each a Vietnamese sentence that cites its legal basis: blocking ones
(the support cannot be approved as proposed) and warnings (someone must look). Every rule comes from the policy
tables (dated data with their legal documents); nothing here is a regulation constant. The projects app calls it
with the facts of each beneficiary; this module knows nothing of projects or establishments beyond those facts.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_money, format_percent
from khuyencong.geography.choices import UnitType
from khuyencong.geography.models import AdminUnit
from khuyencong.geography.selectors import is_centrally_run_city, unit_type_at

from .models import AreaClass, AreaClassification, BeneficiaryRule, EligibleIndustryGroup, SupportRule

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    basis: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    def sentence(self) -> str:
        """The message with its legal basis: "… (Thông tư 28/2018/TT-BTC)."."""
        if not self.basis:
            return self.message
        return f"{self.message.rstrip('.')} ({self.basis})."


@dataclass
class SupportCase:
    """The facts of one beneficiary's proposed support."""

    on: datetime.date
    fund: str
    item_code: str
    legal_form: str
    commune: AdminUnit
    eligible_cost_vnd: int
    support_vnd: int
    counterpart_vnd: int
    in_recognised_craft_village: bool = False
    eligible_group: EligibleIndustryGroup | None = None
    priority: bool = False
    quantity: int = 1
    #: For a local fund, the province whose rules apply (default: the commune's province).
    province: AdminUnit | None = None
    #: Earlier support of the same establishment for the same content: (project label, year).
    previous_support: Iterable[tuple[str, int]] = field(default_factory=tuple)


@dataclass
class Ceiling:
    rule: SupportRule | None
    #: The largest support allowed, in whole đồng (None when the rule's values are not known).
    amount_vnd: int | None
    findings: list[Finding]


def _money(value: int | Fraction) -> str:
    return format_money(int(value), "dong")


# ---- rule lookup ----------------------------------------------------------------------------------------------------


def _in_force(rules: Iterable[Any], on: datetime.date) -> Any:
    """Of dated rules for the same thing, the one in force on `on`: started by then, not ended, the latest start
    (a newer text supersedes an older one even where the older one's end date was never recorded)."""
    best, best_start = None, datetime.date.min
    for rule in rules:
        start, end, _approximate = rule.period()
        if (start and start > on) or (end and end < on):
            continue
        if best is None or (start or datetime.date.min) > best_start:
            best, best_start = rule, start or datetime.date.min
    return best


def area_class_on(commune: AdminUnit, on: datetime.date) -> str:
    """The commune's support area class on `on`, from the area classifications (the commune's or its district's)."""
    units = [commune.pk] + ([commune.parent_id] if commune.parent_id else [])
    kinds = set(AreaClassification.objects.valid_on(on).filter(unit_id__in=units).values_list("kind", flat=True))
    if AreaClassification.Kind.ESPECIALLY_DIFFICULT in kinds:
        return AreaClass.ESPECIALLY_DIFFICULT
    if AreaClassification.Kind.DIFFICULT in kinds:
        return AreaClass.DIFFICULT
    return AreaClass.NORMAL


def support_rule_for(
    *, item_code: str, fund: str, on: datetime.date, area_class: str, province: AdminUnit | None
) -> SupportRule | None:
    """The support rule in force: the province's own (local fund) before the general one, the area class's own
    before the normal one."""
    candidates = list(
        SupportRule.objects.select_related("legal_document", "item")
        .filter(item__code=item_code, fund=fund)
        .filter(Q(province__isnull=True) | Q(province=province))
    )
    for own_province in (True, False):
        for area in dict.fromkeys((area_class, AreaClass.NORMAL)):
            rule = _in_force(
                (r for r in candidates if r.area_class == area and (r.province_id is not None) == own_province), on
            )
            if rule is not None:
                return rule
    return None


# ---- the checks ------------------------------------------------------------------------------------------------------


def _check_beneficiary(case: SupportCase, findings: list[Finding]) -> None:
    rule = _in_force(BeneficiaryRule.objects.select_related("legal_document"), case.on)
    if rule is None:
        findings.append(
            Finding(WARNING, "no_beneficiary_rule", _("No beneficiary rule is recorded for this date; check by hand."))
        )
        return
    basis = rule.basis()
    if case.legal_form not in rule.legal_forms:
        findings.append(
            Finding(
                BLOCKING,
                "legal_form",
                _("This kind of establishment is not a beneficiary of khuyến công support on %(date)s.")
                % {"date": case.on.strftime("%d/%m/%Y")},
                basis,
            )
        )
    commune = case.commune
    commune_type, commune_name = unit_type_at(commune, case.on)
    province = commune.province
    if rule.location_rule == BeneficiaryRule.Location.RULE_2025:
        if commune_type == UnitType.PHUONG and province is not None and is_centrally_run_city(province, case.on):
            if case.in_recognised_craft_village:
                return
            _type, province_name = unit_type_at(province, case.on)
            findings.append(
                Finding(
                    BLOCKING,
                    "location",
                    _(
                        "%(commune)s is a ward of %(city)s, a centrally-run city on %(date)s: only establishments "
                        "inside a craft village recognised by the provincial People's Committee may be supported."
                    )
                    % {"commune": commune_name, "city": province_name, "date": case.on.strftime("%d/%m/%Y")},
                    basis,
                )
            )
        return
    # The 2012 rule: districts, district-level towns, townships and communes; wards only of grade-2/3 cities
    # (or of grade-1 cities converted from a commune within five years). City grades are not recorded.
    parent_type = commune.parent.unit_type if commune.parent_id and commune.parent else ""
    if commune_type == UnitType.PHUONG and parent_type != UnitType.THI_XA:
        findings.append(
            Finding(
                WARNING,
                "location_city_grade",
                _(
                    "%(commune)s is a ward: eligible only in a grade-2 or grade-3 city, or a grade-1 city ward "
                    "converted from a commune within five years. Check the city's grade."
                )
                % {"commune": commune_name},
                basis,
            )
        )


def _check_industry(case: SupportCase, findings: list[Finding]) -> None:
    group = case.eligible_group
    if group is None:
        findings.append(
            Finding(WARNING, "industry_unknown", _("The establishment's khuyến công industry group is not recorded."))
        )
        return
    if (group.valid_from and group.valid_from > case.on) or (group.valid_to and group.valid_to < case.on):
        findings.append(
            Finding(
                BLOCKING,
                "industry",
                _("The industry group “%(group)s” is not eligible on %(date)s.")
                % {"group": group.name, "date": case.on.strftime("%d/%m/%Y")},
                group.legal_basis,
            )
        )


def support_ceiling(case: SupportCase) -> Ceiling:
    """The rule in force and the largest support it allows: min(percent × eligible cost, cap × multiplier × units)."""
    findings: list[Finding] = []
    area = area_class_on(case.commune, case.on)
    province = case.province or case.commune.province
    rule = support_rule_for(item_code=case.item_code, fund=case.fund, on=case.on, area_class=area, province=province)
    if rule is None:
        findings.append(
            Finding(
                WARNING,
                "no_rule",
                _("No support rule for item %(item)s of this fund is in force on %(date)s: enter it before appraisal.")
                % {"item": case.item_code, "date": case.on.strftime("%d/%m/%Y")},
            )
        )
        return Ceiling(None, None, findings)
    basis = rule.basis()
    if rule.period()[2]:
        findings.append(
            Finding(
                WARNING,
                "rule_start_unknown",
                _("The effective date of %(doc)s is not recorded; it is taken from its signing date.")
                % {"doc": rule.legal_document.number},
                basis,
            )
        )
    if rule.max_percent is None and rule.max_amount_vnd is None:
        findings.append(
            Finding(
                WARNING,
                "ceiling_unknown",
                _("The ceiling of item %(item)s under this rule is not known yet (to be entered from the legal text).")
                % {"item": rule.item.code},
                basis,
            )
        )
        return Ceiling(rule, None, findings)
    limits: list[Fraction] = []
    if rule.max_percent is not None:
        limits.append(Fraction(rule.max_percent) / 100 * case.eligible_cost_vnd)
    if rule.max_amount_vnd is not None:
        multiplier = Fraction(1)
        if case.priority:
            if rule.priority_multiplier is None:
                findings.append(
                    Finding(
                        WARNING,
                        "multiplier_unknown",
                        _("The priority multiplier of this rule is not known; the normal ceiling is applied."),
                        basis,
                    )
                )
            else:
                multiplier = Fraction(rule.priority_multiplier)
        limits.append(rule.max_amount_vnd * multiplier * max(case.quantity, 1))
    ceiling = min(limits)
    if case.support_vnd > ceiling:
        parts = []
        if rule.max_percent is not None:
            parts.append(
                _("%(pct)s of the eligible cost")
                % {"pct": format_percent(rule.max_percent, 0 if rule.max_percent == int(rule.max_percent) else 2)}
            )
        if rule.max_amount_vnd is not None:
            parts.append(
                _("%(amount)s %(unit)s") % {"amount": _money(rule.max_amount_vnd), "unit": rule.get_unit_display()}
            )
        findings.append(
            Finding(
                BLOCKING,
                "ceiling",
                _("The support of %(support)s exceeds the ceiling of %(ceiling)s (%(rule)s).")
                % {"support": _money(case.support_vnd), "ceiling": _money(ceiling), "rule": "; ".join(parts)},
                basis,
            )
        )
    return Ceiling(rule, int(ceiling), findings)


def check_support(case: SupportCase) -> list[Finding]:
    """Every finding on the proposed support, blocking ones first."""
    findings: list[Finding] = []
    for name, value in (
        ("eligible_cost_vnd", case.eligible_cost_vnd),
        ("support_vnd", case.support_vnd),
        ("counterpart_vnd", case.counterpart_vnd),
    ):
        if value < 0:
            findings.append(Finding(BLOCKING, f"negative_{name}", _("Amounts cannot be negative.")))
    if findings:
        return findings
    _check_beneficiary(case, findings)
    _check_industry(case, findings)
    ceiling = support_ceiling(case)
    findings.extend(ceiling.findings)
    if case.support_vnd + case.counterpart_vnd < case.eligible_cost_vnd:
        findings.append(
            Finding(
                BLOCKING,
                "counterpart",
                _(
                    "The counterpart capital must cover the rest of the cost: %(missing)s is missing "
                    "(cost %(cost)s, support %(support)s, counterpart %(counterpart)s)."
                )
                % {
                    "missing": _money(case.eligible_cost_vnd - case.support_vnd - case.counterpart_vnd),
                    "cost": _money(case.eligible_cost_vnd),
                    "support": _money(case.support_vnd),
                    "counterpart": _money(case.counterpart_vnd),
                },
                ceiling.rule.basis() if ceiling.rule else "",
            )
        )
    for label, year in case.previous_support:
        findings.append(
            Finding(
                WARNING,
                "repeat",
                _("The same establishment was supported for the same content by %(project)s in %(year)s.")
                % {"project": label, "year": year},
            )
        )
    return sorted(findings, key=lambda f: f.severity != BLOCKING)
