"""Reads of administrative units: by code and date, succession to the current units, search, regions.

Administrative units are public reference data (every authenticated user may read every unit); pickers used to
place a record narrow the choice to the user's scope.
"""

import datetime
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.scoping import scope_queryset, user_scope
from khuyencong.core.text import fold, fold_words

from .choices import UnitLevel, UnitType
from .models import AdminUnit, AdminUnitSuccession, AdminUnitTypePeriod, Region, RegionMembership


def _valid_on(date: datetime.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": date})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": date})
    )


def unit_list(*, level: str = "", on: datetime.date | None = None, parent: AdminUnit | None = None) -> QuerySet:
    qs = AdminUnit.objects.select_related("parent", "province")
    if level:
        qs = qs.filter(level=level)
    if on is not None:
        qs = qs.filter(_valid_on(on))
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs


def current_units(*, level: str = "") -> QuerySet:
    qs = AdminUnit.objects.filter(valid_to__isnull=True).select_related("province", "parent")
    return qs.filter(level=level) if level else qs


def unit_get(*, pk: Any) -> AdminUnit:
    try:
        return AdminUnit.objects.select_related("parent", "province").get(pk=int(pk))
    except (ValueError, TypeError, AdminUnit.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.UNIT_NOT_FOUND, _("Administrative unit not found.")) from exc


def unit_at(code: str, date: datetime.date, *, level: str = "") -> AdminUnit:
    """The unit with official `code` that existed on `date` (codes were reused after 1/7/2025, so the date
    decides). Raises ApplicationError when there is no such code, or the code did not exist on that date."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) > 5:
        raise ApplicationError(
            ErrorCode.UNIT_NOT_FOUND, _("“%(code)s” is not an administrative unit code.") % {"code": code}
        )
    candidates = AdminUnit.objects.select_related("parent", "province").filter(code__in=_code_forms(code, level))
    if level:
        candidates = candidates.filter(level=level)
    units = list(candidates)
    if not units:
        raise ApplicationError(
            ErrorCode.UNIT_NOT_FOUND, _("No administrative unit has the code %(code)s.") % {"code": code}
        )
    on_date = [u for u in units if u.is_valid_on(date)]
    if not on_date:
        names = ", ".join(sorted({u.full_name for u in units}))
        raise ApplicationError(
            ErrorCode.UNIT_NOT_VALID_ON_DATE,
            _("The unit with code %(code)s (%(names)s) did not exist on %(date)s.")
            % {"code": code, "names": names, "date": date_format(date, "SHORT_DATE_FORMAT")},
        )
    # A province and a commune can share digits ("01" vs "00001"): prefer the level the code's width implies.
    on_date.sort(key=lambda u: {2: "province", 3: "district", 5: "commune"}.get(len(code), "") != u.level)
    return on_date[0]


def _code_forms(code: str, level: str) -> list[str]:
    widths = {"province": [2], "district": [3], "commune": [5]}.get(level, [2, 3, 5])
    forms = {code}
    forms.update(code.zfill(w) for w in widths if len(code) <= w)
    return sorted(forms)


def unit_type_at(unit: AdminUnit, date: datetime.date) -> tuple[str, str]:
    """The unit's (type, full name) on `date`: a dated type period where one covers the date, else its own."""
    for period in AdminUnitTypePeriod.objects.filter(unit=unit).filter(_valid_on(date)).order_by("-valid_from")[:1]:
        return period.unit_type, period.full_name
    return unit.unit_type, unit.full_name


def is_centrally_run_city(province: AdminUnit, date: datetime.date) -> bool:
    return unit_type_at(province, date)[0] == UnitType.TP_TW


def current_successors(unit: AdminUnit) -> list[AdminUnit]:
    """The current units that took over `unit`, primary first. A current unit is its own successor; a district
    (abolished on 1/7/2025) is succeeded by the current units of its communes."""
    if unit.valid_to is None:
        return [unit]
    result: list[AdminUnit] = []
    seen: set[int] = set()
    frontier = [unit]
    while frontier:
        next_frontier = []
        successions = (
            AdminUnitSuccession.objects.filter(predecessor__in=frontier)
            .select_related("successor", "successor__province")
            .order_by("predecessor_id", "-is_primary", "successor__code")
        )
        found_for: set[int] = set()
        for succession in successions:
            found_for.add(succession.predecessor_id)
            successor = succession.successor
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            if successor.valid_to is None:
                result.append(successor)
            else:
                next_frontier.append(successor)
        for item in frontier:
            if item.pk not in found_for and item.level == UnitLevel.DISTRICT:
                next_frontier.extend(item.children.all())
        frontier = next_frontier
    return result


def primary_successor(unit: AdminUnit) -> AdminUnit | None:
    """The one current unit a record placed in `unit` is counted under today."""
    if unit.valid_to is None:
        return unit
    current = unit
    for _step in range(5):
        succession = (
            AdminUnitSuccession.objects.filter(predecessor=current, is_primary=True).select_related("successor").first()
        )
        if succession is None:
            return None
        current = succession.successor
        if current.valid_to is None:
            return current
    return None


def predecessors(unit: AdminUnit) -> QuerySet:
    return AdminUnit.objects.filter(successions__successor=unit).select_related("parent", "province").distinct()


def unit_search(
    *, query: str, level: str = "", current_only: bool = True, province: AdminUnit | None = None
) -> QuerySet:
    """Units whose name (or parents' names) contain every word typed, with or without diacritics; exact name
    matches first."""
    qs = AdminUnit.objects.select_related("province", "parent")
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    if level:
        qs = qs.filter(level=level)
    if province is not None:
        qs = qs.filter(province=province)
    folded = fold(query)
    for word in fold_words(query):
        qs = qs.filter(path_folded__contains=word)
    if not folded:
        return qs.none()
    return qs.annotate(
        rank=Case(
            When(name_folded=folded, then=Value(0)),
            When(name_folded__startswith=folded, then=Value(1)),
            When(name_folded__contains=folded, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("rank", "name_folded", "code")


def provinces_for(*, user: Any) -> QuerySet[AdminUnit]:
    """The provinces of today a user may name when placing or asking about a record: every one for the country's
    users, their province (a collaborator: the provinces of their communes), none for an establishment's
    representative."""
    scope = user_scope(user)
    provinces = AdminUnit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True).order_by("name_folded")
    return provinces if scope.is_country else provinces.filter(pk__in=scope.province_ids)


def communes_for(*, user: Any) -> QuerySet[AdminUnit]:
    """The communes of today inside the user's scope (the choices of every commune picker that places a record)."""
    communes = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, valid_to__isnull=True).order_by("name_folded")
    return scope_queryset(communes, user, province_field="province", commune_field="pk")


def commune_choices_for(*, user: Any, query: str, limit: int = 20) -> list[AdminUnit]:
    """Current communes matching `query` inside the user's scope, for the commune picker."""
    qs = unit_search(query=query, level=UnitLevel.COMMUNE)
    qs = scope_queryset(qs, user, province_field="province", commune_field="pk")
    return list(qs[:limit])


def regions_of(province: AdminUnit, date: datetime.date) -> list[Region]:
    memberships = RegionMembership.objects.filter(province=province).filter(_valid_on(date)).select_related("region")
    return [m.region for m in memberships.order_by("region__kind", "region__sort_order")]


def provinces_with_commune_counts() -> list[dict]:
    """The 34 current provinces with their number of current communes (for the home-page map)."""
    from django.db.models import Count

    provinces = (
        AdminUnit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True)
        .annotate(
            communes=Count("children", filter=Q(children__valid_to__isnull=True, children__level=UnitLevel.COMMUNE))
        )
        .order_by("code")
    )
    return [{"code": p.code, "name": p.name, "full_name": p.full_name, "value": p.communes} for p in provinces]


def region_provinces(region: Region, date: datetime.date) -> list[int]:
    """The ids of the provinces in `region` on `date` (memberships are dated)."""
    return list(region.memberships.filter(_valid_on(date)).values_list("province_id", flat=True))
