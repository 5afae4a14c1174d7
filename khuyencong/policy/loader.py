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
        rows += [
            (code, name, level, parent, division_group[code[:2]]) for code, name, level, parent in reference.vsic_rows()
        ]
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


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def load_policy_rules(apps: Any = None) -> int:
    """Create the legal documents, contents, support items and rules, beneficiary rules, calendar, advance rules and
    enterprise size limits that are missing (matched by their natural keys). Rows already there are left as
    administrators edited them."""
    from decimal import Decimal

    apps = apps or global_apps

    def models(name: str) -> tuple[Any, Any]:
        return apps.get_model("policy", name), apps.get_model("policy", f"Historical{name}")

    written = 0

    def create(pair: tuple[Any, Any], **values: Any) -> Any:
        nonlocal written
        model, history = pair
        obj = model(**values)
        _save(obj, history, "+")
        written += 1
        return obj

    with transaction.atomic(), allow_untracked_writes():
        Doc = models("LegalDocument")
        docs = {d.number: d for d in Doc[0].objects.all()}
        links = []
        for (
            number,
            kind,
            title,
            issuer,
            signed,
            start,
            end,
            amends,
            replaces,
            url,
            uncertain,
            note,
        ) in reference.LEGAL_DOCUMENTS:
            if number in docs:
                continue
            docs[number] = create(
                Doc,
                number=number,
                kind=kind,
                title=title,
                issuer=issuer,
                signed_on=_date(signed),
                effective_from=_date(start),
                effective_to=_date(end),
                url=url,
                uncertain=uncertain,
                note=note,
            )
            links.append((docs[number], amends, replaces))
        for doc, amends, replaces in links:
            doc.amends.set([docs[n] for n in amends])
            doc.replaces.set([docs[n] for n in replaces])

        Content = models("ActivityContent")
        contents = {(c.code, c.valid_from) for c in Content[0].objects.all()}
        for code, name, english, number, provision, start, end, uncertain in reference.ACTIVITY_CONTENTS:
            if (code, _date(start)) in contents:
                continue
            create(
                Content,
                code=code,
                name=name,
                name_en=english,
                legal_document=docs[number],
                provision=provision,
                valid_from=_date(start),
                valid_to=_date(end),
                uncertain=uncertain,
            )

        Item = models("SupportItem")
        items = {i.code: i for i in Item[0].objects.all()}
        for order, (code, name, content_code) in enumerate(reference.SUPPORT_ITEMS, start=1):
            if code not in items:
                items[code] = create(Item, code=code, name=name, content_code=content_code, sort_order=order)

        Rule = models("SupportRule")
        rules = {
            (r.item_id, r.fund, r.area_class, r.legal_document_id)
            for r in Rule[0].objects.filter(province__isnull=True)
        }
        for row in reference.SUPPORT_RULES:
            item, fund, area, pct, amount, unit, multiplier, number, provision, start, end, uncertain, note = row
            if (items[item].pk, fund, area, docs[number].pk) in rules:
                continue
            create(
                Rule,
                item=items[item],
                fund=fund,
                area_class=area,
                max_percent=Decimal(pct) if pct else None,
                max_amount_vnd=amount,
                unit=unit,
                priority_multiplier=Decimal(multiplier) if multiplier else None,
                legal_document=docs[number],
                provision=provision,
                valid_from=_date(start),
                valid_to=_date(end),
                uncertain=uncertain,
                note=note,
            )

        Beneficiary = models("BeneficiaryRule")
        existing = {(b.location_rule, b.legal_document_id) for b in Beneficiary[0].objects.all()}
        for location, forms, number, provision, start, end in reference.BENEFICIARY_RULES:
            if (location, docs[number].pk) not in existing:
                create(
                    Beneficiary,
                    location_rule=location,
                    legal_forms=forms,
                    legal_document=docs[number],
                    provision=provision,
                    valid_from=_date(start),
                    valid_to=_date(end),
                )

        Deadline = models("CalendarDeadline")
        deadlines = {(d.step, d.fund, d.legal_document_id) for d in Deadline[0].objects.filter(province__isnull=True)}
        for step, fund, day, month, offset, number, provision in reference.CALENDAR:
            if (step, fund, docs[number].pk) not in deadlines:
                create(
                    Deadline,
                    step=step,
                    fund=fund,
                    day=day,
                    month=month,
                    year_offset=offset,
                    legal_document=docs[number],
                    provision=provision,
                    uncertain=True,
                    note="Thời hạn theo quy trình tham chiếu; thời hạn hiện hành cần kiểm chứng.",
                )

        Advance = models("AdvanceRule")
        advances = {(a.max_percent, a.condition, a.legal_document_id) for a in Advance[0].objects.all()}
        for pct, codes, condition, number, provision in reference.ADVANCES:
            if (Decimal(pct), condition, docs[number].pk) in advances:
                continue
            advance = create(
                Advance,
                fund="kcqg",
                max_percent=Decimal(pct),
                condition=condition,
                legal_document=docs[number],
                provision=provision,
                uncertain=True,
                note="Theo Thông tư 36/2013/TT-BCT; quy định hiện hành cần kiểm chứng.",
            )
            advance.items.set([items[c] for c in codes])

        try:  # an earlier migration runs this loader before the model exists (policy 0008)
            Size = models("EnterpriseSizeLimit")
        except LookupError:
            return written
        sizes = {(z.legal_form, z.legal_document_id) for z in Size[0].objects.all()}
        for form, most, provision in reference.ENTERPRISE_SIZE_LIMITS:
            if (form, docs["80/2021/NĐ-CP"].pk) not in sizes:
                create(
                    Size, legal_form=form, max_employees=most, legal_document=docs["80/2021/NĐ-CP"],
                    provision=provision,
                )  # fmt: skip
    return written


def load_indicators(apps: Any = None) -> int:
    """Create the indicators that are missing (by code), with their support items; rows already there are left as
    administrators edited them."""
    apps = apps or global_apps
    Indicator = apps.get_model("policy", "Indicator")
    HIndicator = apps.get_model("policy", "HistoricalIndicator")
    Doc = apps.get_model("policy", "LegalDocument")
    Item = apps.get_model("policy", "SupportItem")
    written = 0
    with transaction.atomic(), allow_untracked_writes():
        document = Doc.objects.get(number="45/2012/NĐ-CP")
        items = {i.code: i for i in Item.objects.all()}
        existing = set(Indicator.objects.values_list("code", flat=True))
        for order, row in enumerate(reference.INDICATORS, start=1):
            code, name, english, unit, group, contents, item_codes, computed, provision, uncertain = row
            if code in existing:
                continue
            indicator = Indicator(
                code=code, name=name, name_en=english, unit=unit, group=group, content_codes=contents,
                computed=computed, sort_order=order, legal_document=document, provision=provision,
                uncertain=uncertain,
            )  # fmt: skip
            _save(indicator, HIndicator, "+")
            indicator.support_items.set([items[c] for c in item_codes if c in items])
            written += 1
    return written
