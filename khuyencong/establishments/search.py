"""Search without diacritics over name, tax code, owner, address and phone, at a million rows.

Every establishment stores `search_folded` (see services.derive). On SQLite an FTS5 index over it (kept by triggers,
migration 0002) answers word-prefix queries: "duc tr" finds "Đức Trọng". On PostgreSQL a pg_trgm GIN index makes
`LIKE '%word%'` fast, so a typed word matches anywhere. Both start from the same folded tokens.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from khuyencong.core.text import fold

FTS_TABLE = "establishments_search"
_TOKEN = re.compile(r"[a-z0-9]+")


def search_tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))[:8]


def _matching(tokens: list[str]) -> Q:
    """Establishments whose own search text holds every token."""
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{token}"*' for token in tokens)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant table name
        return Q(id__in=RawSQL(sql, [match]))  # noqa: S611 - parameters are bound
    condition = Q()
    for token in tokens:
        condition &= Q(search_folded__contains=token)
    return condition


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    tokens = search_tokens(text)
    if not tokens:
        return queryset
    return queryset.filter(_matching(tokens))


KIND_WORDS = ("xa", "phuong", "thi tran", "dac khu")


def _without_kind(phrase: str) -> str:
    for kind in KIND_WORDS:
        if phrase.startswith(kind + " "):
            return phrase[len(kind) + 1 :]
    return phrase


def communes_named(phrases: list[str]) -> dict[str, list[int]]:
    """Current communes whose name is one of `phrases` (folded, with or without the kind: "duc trong", "xa duc
    trong"), by phrase; one query."""
    from khuyencong.geography.models import AdminUnit

    wanted = {phrase: _without_kind(phrase) for phrase in phrases}
    found: dict[str, list[int]] = {}
    for pk, name in AdminUnit.objects.filter(
        level="commune", valid_to__isnull=True, name_folded__in=set(wanted.values()) | set(wanted)
    ).values_list("id", "name_folded")[:200]:
        found.setdefault(name, []).append(pk)
    return {phrase: found.get(phrase, []) + found.get(bare, []) * (bare != phrase) for phrase, bare in wanted.items()}


def apply_search_with_places(queryset: QuerySet, text: str) -> QuerySet:
    """The search box of the list: establishments matching every word, or lying in the commune the words (or their
    end) name: "duc trong" finds the establishments of Xã Đức Trọng, "gom bau truc" the pottery there."""
    tokens = search_tokens(text)
    if not tokens:
        return queryset
    condition = _matching(tokens)
    tails = {split: " ".join(tokens[split:]) for split in range(len(tokens))}
    named = communes_named(list(tails.values()))
    for split, phrase in tails.items():
        communes = named[phrase]
        if communes:
            in_place = Q(commune_id__in=communes)
            condition |= in_place & _matching(tokens[:split]) if split else in_place
    return queryset.filter(condition)


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
