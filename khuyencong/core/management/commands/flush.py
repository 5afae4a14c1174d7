"""`flush` that can keep reference tables.

Tests that need a live server (browser tests) run in transactions that Django ends with a flush; the
administrative units loaded by migration would then be gone for every later test. With
`KC_FLUSH_KEEP_TABLE_PREFIXES` set (test settings only), the tables with those prefixes are kept. Outside tests the
setting is empty and this is Django's flush.
"""

from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.db import connections


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        keep = tuple(getattr(settings, "KC_FLUSH_KEEP_TABLE_PREFIXES", ()))
        if not keep:
            return super().handle(**options)
        connection = connections[options["database"]]
        tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if not table.startswith(keep)
        ]
        sql_list = connection.ops.sql_flush(
            no_style(),
            tables,
            reset_sequences=options.get("reset_sequences", True),
            allow_cascade=options.get("allow_cascade", False),
        )
        connection.ops.execute_sql_flush(sql_list)
        return None
