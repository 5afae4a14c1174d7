"""The shared cache of production when no `CACHE_URL` is set: Django's database cache with an atomic `incr`.

Several gunicorn processes must share the public pages' rate limit (and their page cache); the per-process memory
cache would give every process its own count (60 × processes a minute). Django's `DatabaseCache.incr` reads and
writes in two statements, so two processes counting the same client at once could both write the same number;
here the read and the write happen in one transaction that holds the row (PostgreSQL `FOR UPDATE`; SQLite
transactions already begin IMMEDIATE, one writer at a time). Redis (`CACHE_URL=rediscache://…`) counts atomically
by itself. The table is created by `migrate` (see `core.apps`).
"""

from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction

__all__ = ["DatabaseCache"]


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.vendor == "postgresql":
                table = connection.ops.quote_name(self.cache_model_class._meta.db_table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT 1 FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                        [self.make_and_validate_key(key, version=version)],
                    )
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found.")
            value += delta
            self.set(key, value, version=version)  # as Django's incr: the default timeout from now on
        return value
