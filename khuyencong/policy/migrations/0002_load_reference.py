"""Seed the eligible-industry groups and the VSIC 2018 manufacturing divisions and groups (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.policy.loader import load_policy_reference

    load_policy_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
