"""Search without diacritics over name, tax code, owner, address and phone, at a million rows.

Every establishment stores `search_folded` (see services.derive). On SQLite an FTS5 index over it (kept by triggers,
migration 0002) answers word-prefix queries: "duc tr" finds "Đức Trọng". On PostgreSQL a pg_trgm GIN index makes
`LIKE '%word%'` fast, so a typed word matches anywhere. Both start from the same folded tokens.
"""

import re

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
