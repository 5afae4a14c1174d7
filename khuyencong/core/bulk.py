"""Fast bulk inserts for data loaders and generators: one prepared INSERT run with executemany.

Django's bulk_create spends most of its time compiling SQL for every batch (seconds per 10,000 rows of a wide
model). Loaders that write hundreds of thousands of rows go through here instead, with values already in database
form, and write the history rows themselves (`insert_history`).

Primary keys: take them from `reserve_ids()` (PostgreSQL's sequence, so that writers running at the same time never
get the same ids). `insert_rows()` then makes sure the sequence is past every id it inserted, moving it forward
only: setting it back to the highest id this transaction can see (what `sequence_reset_sql` does) would hand out
again the ids that other, uncommitted transactions have already taken, and their creates would fail on a duplicate
key. History rows take their ids from their own sequence (never given explicitly).
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = 5000
) -> int:
    """INSERT `rows` (tuples in the order of `columns`, attribute names) into `model`'s table; returns the count."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    sql = f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    count = 0
    if connection.vendor == "postgresql":
        # COPY is several times faster than INSERT on PostgreSQL, for the same rows.
        pk = model._meta.pk
        at_pk = list(columns).index(pk.attname) if pk is not None and pk.attname in columns else None
        highest = None
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if at_pk is not None and (highest is None or row[at_pk] > highest):
                    highest = row[at_pk]
        if highest is not None and isinstance(pk, models.AutoField):
            advance_sequence(model, highest)
        return count
    chunk: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def advance_sequence(model: type[models.Model], at_least: int | None = None) -> None:
    """Move PostgreSQL's sequence of `model`'s primary key past `at_least` (default: the highest id in the table),
    never back: ids already handed out to other transactions stay theirs. Nothing to do on SQLite, whose
    AUTOINCREMENT follows the highest id ever inserted."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return
    table, column = model._meta.db_table, str(model._meta.pk.column)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if at_least is None:
            cursor.execute(f"SELECT max({quote(column)}) FROM {quote(table)}")  # noqa: S608 - our own names
            at_least = cursor.fetchone()[0]
            if at_least is None:
                return
        cursor.execute(
            "SELECT setval(seq, %s) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) AS s "
            "WHERE %s > COALESCE(pg_sequence_last_value(seq), 0)",
            [at_least, table, column, at_least],
        )


def reset_sequence(model: type[models.Model]) -> None:
    """After explicit ids, move PostgreSQL's sequence past them; never back (see `advance_sequence`)."""
    advance_sequence(model)


def next_id(model: type[models.Model]) -> int:
    """The next id after every id the table has ever had (SQLite's AUTOINCREMENT counter included, so that the ids
    of deleted rows, whose history remains, are not given again). For loaders that write alone; concurrent
    writers use `reserve_ids`."""
    highest = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            found = cursor.fetchone()
        highest = max(highest, found[0] if found else 0)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s)::regclass)",
                [model._meta.db_table, model._meta.pk.column],
            )
            found = cursor.fetchone()
        highest = max(highest, (found[0] if found else None) or 0)
    return highest + 1


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys: from the sequence on PostgreSQL (safe with concurrent writers); on SQLite the next
    free ones (writers are serialised there: transactions start IMMEDIATE). Call inside the writing transaction."""
    if count <= 0:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
    start = next_id(model)
    return list(range(start, start + count))


def rows_of(model: type[models.Model], objs: Sequence[Any], columns: Sequence[str]) -> list[tuple]:
    """Database-ready tuples of `columns` for each object or dict (dates, times and decimals adapted)."""
    connection = connections[router.db_for_write(model)]
    adapters: list[Any] = []
    for name in columns:
        field = model._meta.get_field(name)
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif internal == "DateField":
            adapters.append(connection.ops.adapt_datefield_value)
        elif internal == "DecimalField":
            adapters.append(
                lambda v, f=field: connection.ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
            )
        else:
            adapters.append(None)
    result = []
    for obj in objs:
        values = []
        get = obj.get if isinstance(obj, dict) else obj.__getattribute__
        for name, adapt in zip(columns, adapters, strict=True):
            value = get(name)
            values.append(adapt(value) if adapt is not None and value is not None else value)
        result.append(tuple(values))
    return result


def db_datetime(model: type[models.Model], value: Any = None) -> Any:
    connection = connections[router.db_for_write(model)]
    return connection.ops.adapt_datetimefield_value(value or timezone.now())


def db_date(model: type[models.Model], value: Any) -> Any:
    connection = connections[router.db_for_write(model)]
    return connection.ops.adapt_datefield_value(value)


def history_columns(model: type[models.Model], columns: Sequence[str]) -> list[str]:
    """The columns of `columns` that the model's history keeps."""
    history = model.history.model  # type: ignore[attr-defined]
    kept = {f.attname for f in history._meta.concrete_fields}
    return [c for c in columns if c in kept]


def insert_history(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    reason: str,
    user_id: Any = None,
) -> int:
    """One "+" history row per inserted row (rows in the order of `columns`)."""
    history = model.history.model  # type: ignore[attr-defined]
    kept = history_columns(model, columns)
    positions = [list(columns).index(c) for c in kept]
    stamp = db_datetime(history)
    extra = ["history_date", "history_type", "history_change_reason", "history_user_id"]

    def generate() -> Iterable[tuple]:
        for row in rows:
            yield (*(row[p] for p in positions), stamp, "+", reason, user_id)

    return insert_rows(history, [*kept, *extra], generate())


def rows_where_in(
    model: type[models.Model], field: str, values: Iterable[Any], columns: Sequence[str]
) -> Iterator[tuple]:
    """The `columns` of `model`'s rows whose `field` is one of `values`, for matching tens of thousands of keys at
    once: the whole list is one parameter (a JSON array on SQLite, an array on PostgreSQL), where `__in` would
    compile a parameter per value."""
    connection = connections[router.db_for_read(model)]
    values = list(values)
    if not values:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_sql = ", ".join(quote(str(model._meta.get_field(name).column)) for name in columns)  # type: ignore[union-attr]
    key = quote(str(model._meta.get_field(field).column))  # type: ignore[union-attr]
    if connection.vendor == "sqlite":
        import json

        sql = f"SELECT {column_sql} FROM {table} WHERE {key} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        params: list[Any] = [json.dumps(values, ensure_ascii=False)]
    elif connection.vendor == "postgresql":
        sql = f"SELECT {column_sql} FROM {table} WHERE {key} = ANY(%s)"  # noqa: S608
        params = [values]
    else:  # pragma: no cover - other databases: the ORM, in chunks
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            yield from model._default_manager.filter(**{f"{field}__in": chunk}).values_list(*columns)
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor.fetchall()
