"""Seed the enterprise size limits of ND 80/2021/NĐ-CP Art. 5 (and the decree) where they are missing; rows already
there are left as administrators edited them."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.policy.loader import load_policy_rules

    load_policy_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("policy", "0008_enterprise_size_limits")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
