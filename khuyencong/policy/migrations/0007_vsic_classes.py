"""Add the VSIC 2018 manufacturing classes (4 digits) and sub-classes (5 digits) that real registry files use
(idempotent: a database seeded by 0002 after they were added already holds them)."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.policy.loader import load_policy_reference

    load_policy_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("policy", "0006_indicators")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
