"""Seed the legal documents, activity contents, support items and rules, beneficiary rules, programme calendar and
advance rules (only the missing rows: later edits by administrators are kept)."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.policy.loader import load_policy_rules

    load_policy_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_legal_documents_and_rules"), ("geography", "0002_load_admin_units")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
