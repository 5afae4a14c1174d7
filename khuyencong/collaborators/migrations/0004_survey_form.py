"""Seed the establishment survey form (version 1) from data/establishment_survey_v1.json; an existing form is left
as it is."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "establishment_survey_v1.json"


def seed(apps, schema_editor):
    ReportForm = apps.get_model("collaborators", "ReportForm")
    FormVersion = apps.get_model("collaborators", "FormVersion")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if ReportForm.objects.filter(code=data["code"]).exists():
        return
    form = ReportForm.objects.create(
        code=data["code"],
        name=data["name"],
        period_type=data["period_type"],
        due_days=data["due_days"],
        grace_days=data["grace_days"],
        is_periodic=data["is_periodic"],
    )
    FormVersion.objects.create(form=form, number=1, fields=data["fields"], rules=data["rules"], note=data["note"])


class Migration(migrations.Migration):
    dependencies = [("collaborators", "0003_surveys")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
