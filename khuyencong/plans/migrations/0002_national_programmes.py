"""Seed the national programmes 2021–2025 (1881/QĐ-TTg, with its published targets) and 2026–2030 (2646/QĐ-BCT,
targets unknown), creating only what is missing, each with its "created" history row."""

import datetime

from django.db import migrations

REASON = "Nạp chương trình khuyến công quốc gia"


def _create(apps, label, **values):
    model = apps.get_model(*label.split("."))
    history = apps.get_model(label.split(".")[0], "Historical" + label.split(".")[1])
    obj = model.objects.create(**values)
    fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    history.objects.create(
        **fields, history_date=datetime.datetime.now(datetime.UTC), history_type="+", history_change_reason=REASON
    )
    return obj


def load(apps, schema_editor):
    from khuyencong.plans.reference import PROGRAMME_DOCUMENTS, PROGRAMMES

    LegalDocument = apps.get_model("policy", "LegalDocument")
    Programme = apps.get_model("plans", "Programme")
    documents = {d.number: d for d in LegalDocument.objects.all()}
    for number, kind, title, issuer, signed, effective, uncertain, note in PROGRAMME_DOCUMENTS:
        if number not in documents:
            documents[number] = _create(
                apps,
                "policy.LegalDocument",
                number=number,
                kind=kind,
                title=title,
                issuer=issuer,
                signed_on=datetime.date.fromisoformat(signed),
                effective_from=datetime.date.fromisoformat(effective),
                uncertain=uncertain,
                note=note,
            )
    for code, name, start, end, number, uncertain, note, targets in PROGRAMMES:
        if Programme.objects.filter(code=code).exists():
            continue
        programme = _create(
            apps,
            "plans.Programme",
            code=code,
            name=name,
            level="national",
            start_year=start,
            end_year=end,
            legal_document=documents[number],
            uncertain=uncertain,
            note=note,
        )
        for indicator, value in targets:
            _create(apps, "plans.ProgrammeTarget", programme=programme, indicator=indicator, fund="kcqg", value=value)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("policy", "0004_load_rules")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
