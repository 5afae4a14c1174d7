"""Load the administrative units, their succession, dated type changes and regions from the committed fixture.

Idempotent: the loader matches rows on natural keys, so running it again (or `manage.py load_admin_units`) changes
nothing. A later fixture version is loaded by a new migration calling the same loader.
"""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.geography.loader import load_admin_units

    load_admin_units(apps)


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
