"""The search index over `search_folded`: FTS5 with triggers on SQLite, a pg_trgm GIN index on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE establishments_search USING fts5("
    "search_folded, content='establishments_establishment', content_rowid='id', "
    "tokenize='unicode61', prefix='1 2 3 4')",
    "CREATE TRIGGER establishments_search_ai AFTER INSERT ON establishments_establishment BEGIN "
    "INSERT INTO establishments_search(rowid, search_folded) VALUES (new.id, new.search_folded); END",
    "CREATE TRIGGER establishments_search_ad AFTER DELETE ON establishments_establishment BEGIN "
    "INSERT INTO establishments_search(establishments_search, rowid, search_folded) "
    "VALUES ('delete', old.id, old.search_folded); END",
    "CREATE TRIGGER establishments_search_au AFTER UPDATE OF search_folded ON establishments_establishment BEGIN "
    "INSERT INTO establishments_search(establishments_search, rowid, search_folded) "
    "VALUES ('delete', old.id, old.search_folded); "
    "INSERT INTO establishments_search(rowid, search_folded) VALUES (new.id, new.search_folded); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS establishments_search_au",
    "DROP TRIGGER IF EXISTS establishments_search_ad",
    "DROP TRIGGER IF EXISTS establishments_search_ai",
    "DROP TABLE IF EXISTS establishments_search",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS establishments_search_trgm ON establishments_establishment "
    "USING gin (search_folded gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS establishments_search_trgm"]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("establishments", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
