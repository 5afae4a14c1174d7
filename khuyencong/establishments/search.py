"""Search without diacritics over name, tax code, owner, address and phone, at a million rows.

Every establishment stores `search_folded` (see services.derive). On SQLite an FTS5 index over it (kept by triggers,
migration 0002) answers word-prefix queries: "duc tr" finds "Đức Trọng". On PostgreSQL a pg_trgm GIN index makes
`LIKE '%word%'` fast, so a typed word matches anywhere. Both start from the same folded tokens.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from khuyencong.core.text import fold

FTS_TABLE = "establishments_search"
_TOKEN = re.compile(r"[a-z0-9]+")


def search_tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))[:8]


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    tokens = search_tokens(text)
    if not tokens:
        return queryset
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{token}"*' for token in tokens)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant table name
        return queryset.filter(id__in=RawSQL(sql, [match]))  # noqa: S611 - parameters are bound
    for token in tokens:
        queryset = queryset.filter(search_folded__contains=token)
    return queryset


_INSERT_TRIGGER = (
    "CREATE TRIGGER establishments_search_ai AFTER INSERT ON establishments_establishment BEGIN "
    "INSERT INTO establishments_search(rowid, search_folded) VALUES (new.id, new.search_folded); END"
)


@contextmanager
def bulk_index(first_new_id: int, *, rebuild: bool = False) -> Iterator[None]:
    """For bulk inserts on SQLite: index the new rows (ids ≥ `first_new_id`) in one statement instead of one
    trigger call per row (thirty times faster at a million rows). Use inside the inserting transaction: the trigger
    is dropped and recreated in it, so other connections never see it missing. On PostgreSQL, `rebuild` (for the
    dataset generator only) drops the trigram index during the load and builds it once afterwards."""
    if connection.vendor != "sqlite":
        if rebuild and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX IF EXISTS establishments_search_trgm")
        yield
        if rebuild and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred foreign-key checks first
                cursor.execute(
                    "CREATE INDEX establishments_search_trgm ON establishments_establishment "
                    "USING gin (search_folded gin_trgm_ops)"
                )
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS establishments_search_ai")
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, search_folded) "  # noqa: S608 - constant table name
            "SELECT id, search_folded FROM establishments_establishment WHERE id >= %s",
            [first_new_id],
        )
        cursor.execute(_INSERT_TRIGGER)


_TRIGGERS = {
    "establishments_search_ai": _INSERT_TRIGGER,
    "establishments_search_ad": (
        "CREATE TRIGGER establishments_search_ad AFTER DELETE ON establishments_establishment BEGIN "
        "INSERT INTO establishments_search(establishments_search, rowid, search_folded) "
        "VALUES ('delete', old.id, old.search_folded); END"
    ),
    "establishments_search_au": (
        "CREATE TRIGGER establishments_search_au AFTER UPDATE OF search_folded ON establishments_establishment BEGIN "
        "INSERT INTO establishments_search(establishments_search, rowid, search_folded) "
        "VALUES ('delete', old.id, old.search_folded); "
        "INSERT INTO establishments_search(rowid, search_folded) VALUES (new.id, new.search_folded); END"
    ),
}


def ensure_triggers(using: str = "default") -> list[str]:
    """Recreate the search triggers if a migration rebuilt the table (SQLite's ALTER rebuilds tables and drops their
    triggers). Runs after every migrate; returns the triggers it had to recreate."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return []
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return []  # before migration 0002
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'establishments_establishment'"
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in _TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(_TRIGGERS[name])
    return missing
