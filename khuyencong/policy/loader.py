"""Load the policy reference data idempotently (data migration and `manage.py load_policy_reference`)."""

import datetime
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction

from khuyencong.core.history import allow_untracked_writes
from khuyencong.core.text import fold

from . import reference

REASON = "Nạp dữ liệu tham chiếu chính sách"


def _save(obj: Any, history_model: Any, history_type: str) -> None:
    obj.save()
    fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    history_model.objects.create(
        **fields,
        history_date=datetime.datetime.now(datetime.UTC),
        history_type=history_type,
        history_change_reason=REASON,
    )


def load_policy_reference(apps: Any = None) -> int:
    """Create or update the eligible groups and VSIC industries; returns the number of rows written."""
    apps = apps or global_apps
    Group = apps.get_model("policy", "EligibleIndustryGroup")
    HGroup = apps.get_model("policy", "HistoricalEligibleIndustryGroup")
    Industry = apps.get_model("policy", "Industry")
    HIndustry = apps.get_model("policy", "HistoricalIndustry")
    written = 0
    with transaction.atomic(), allow_untracked_writes():
        groups = {g.code: g for g in Group.objects.all()}
        for order, (code, name, basis, valid_from, uncertain) in enumerate(reference.ELIGIBLE_GROUPS, start=1):
            values = {
                "name": name,
                "legal_basis": basis,
                "valid_from": datetime.date.fromisoformat(valid_from),
                "uncertain": uncertain,
                "sort_order": order,
            }
            group = groups.get(code)
            if group is None or any(getattr(group, k) != v for k, v in values.items()):
                kind = "+" if group is None else "~"
                group = group or Group(code=code)
                for key, value in values.items():
                    setattr(group, key, value)
                _save(group, HGroup, kind)
                groups[code] = group
                written += 1
        industries = {i.code: i for i in Industry.objects.all()}
        division_group = {code: group for code, _name, group in reference.VSIC_DIVISIONS}
        rows: list[tuple[str, str, int, str | None, str | None]] = [
            (code, name, 2, None, group) for code, name, group in reference.VSIC_DIVISIONS
        ]
        rows += [(code, name, 3, code[:2], division_group[code[:2]]) for code, name in reference.VSIC_GROUPS]
        for code, name, level, parent_code, group_code in rows:
            values = {
                "name": name,
                "level": level,
                "parent_id": industries[parent_code].pk if parent_code else None,
                "eligible_group_id": groups[group_code].pk if group_code else None,
                "name_folded": fold(name),
            }
            industry = industries.get(code)
            if industry is None or any(getattr(industry, k) != v for k, v in values.items()):
                kind = "+" if industry is None else "~"
                industry = industry or Industry(code=code)
                for key, value in values.items():
                    setattr(industry, key, value)
                _save(industry, HIndustry, kind)
                industries[code] = industry
                written += 1
    return written
