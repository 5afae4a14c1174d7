"""Units named as the state writes them: the kind with a capital ("Xã Bắc Sơn", "Thành phố Đồng Hới") and a numbered
unit's short name keeping its kind ("Quận 1", "Phường 1 Bảo Lộc", not "1", "1 Bảo Lộc"). The loader applies
`geography.names.unit_names` to the fixture; running it again writes the changed names, each in the history."""

from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.geography.loader import load_admin_units

    load_admin_units(apps)


class Migration(migrations.Migration):
    dependencies = [("geography", "0003_history_reason_text")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
