"""Load the committed administrative-unit fixture into the database, idempotently.

Used by the data migration (with the migration's app registry) and by `manage.py load_admin_units`. Rows are matched
on their natural keys, so loading twice changes nothing; what is created or changed gets a history row with the
reason "Nạp dữ liệu đơn vị hành chính".
"""

import datetime
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import connections, router, transaction
from django.db.models import Max
from django.utils import timezone

from khuyencong.core.bulk import advance_sequence
from khuyencong.core.history import allow_untracked_writes
from khuyencong.core.text import fold
from khuyencong.geography.names import unit_names

FIXTURE_PATH = Path(__file__).resolve().parent / "data" / "admin_units.json.gz"
REASON = "Nạp dữ liệu đơn vị hành chính"
_BATCH = 2000


def read_fixture(path: Path = FIXTURE_PATH) -> dict:
    """The fixture, every unit named as the state writes it (`names.unit_names`: "Xã Bắc Sơn", "Phường 1 Bảo Lộc")."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    for row in data["units"]:
        row[2], row[3] = unit_names(row[2])
    for row in data["type_periods"]:
        row[2] = unit_names(row[2])[0]
    return data


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _insert(model: Any, objs: list[Any], *, skip: tuple[str, ...] = ()) -> None:
    """INSERT many rows with one prepared statement (the ORM's bulk_create spends seconds compiling 14,000 rows)."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from model metadata
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(params), _BATCH):
            cursor.executemany(sql, params[start : start + _BATCH])


def _write_history(history_model: Any, model: Any, objs: Iterable[Any], history_type: str) -> None:
    now = timezone.now()
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = [
        history_model(
            **{name: getattr(obj, name) for name in fields},
            history_date=now,
            history_type=history_type,
            history_change_reason=REASON,
            history_user_id=None,
        )
        for obj in objs
    ]
    _insert(history_model, rows, skip=("history_id",))


def _reset_sequences(model: Any) -> None:
    """After inserting explicit ids, move PostgreSQL's sequence past them, never back (nothing to do on SQLite)."""
    advance_sequence(model)


class _Writer:
    """Create-or-update by natural key, with a history row for every created or changed row."""

    def __init__(self, apps: Any, name: str):
        self.model = apps.get_model("geography", name)
        self.history = apps.get_model("geography", f"Historical{name}")
        self.created = 0
        self.updated = 0
        self._next_id = (self.model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def sync(self, existing: dict, desired: dict, fields: list[str], finalize: Any = None) -> dict:
        """`desired` maps a natural key to field values; returns the natural key → object map after writing.
        `finalize(obj)` may complete a new object once its id is known."""
        to_create, to_update = [], []
        for key, values in desired.items():
            obj = existing.get(key)
            if obj is None:
                obj = self.model(id=self._next_id, **values)
                self._next_id += 1
                if finalize:
                    finalize(obj)
                to_create.append((key, obj))
            else:
                if finalize:
                    values = {**values}
                    probe = self.model(id=obj.pk, **values)
                    finalize(probe)
                    values.update({name: getattr(probe, name) for name in fields})
                if any(getattr(obj, name) != values[name] for name in fields):
                    for name in fields:
                        setattr(obj, name, values[name])
                    to_update.append(obj)
        if to_create:
            created = [obj for _, obj in to_create]
            _insert(self.model, created)
            _write_history(self.history, self.model, created, "+")
            _reset_sequences(self.model)
            for key, obj in to_create:
                existing[key] = obj
        if to_update:
            self.model.objects.bulk_update(to_update, fields, batch_size=_BATCH)
            _write_history(self.history, self.model, to_update, "~")
        self.created += len(to_create)
        self.updated += len(to_update)
        return existing


def load_admin_units(apps: Any = None, *, path: Path = FIXTURE_PATH) -> dict[str, int]:
    """Load (or bring up to date) units, successions, type periods and regions. Returns counts of writes."""
    apps = apps or global_apps
    data = read_fixture(path)
    with transaction.atomic(), allow_untracked_writes():
        return _load(apps, data)


def _load(apps: Any, data: dict) -> dict[str, int]:
    units = _Writer(apps, "AdminUnit")
    level_of = {"province": 0, "district": 1, "commune": 2}
    rows = sorted(data["units"], key=lambda row: level_of[row[0].split(":")[1]])
    full_name_by_key = {row[0]: row[2] for row in rows}
    parent_by_key = {row[0]: row[4] for row in rows}

    def natural(key: str, valid_from: str | None) -> tuple:
        _, level, code = key.split(":")
        return (level, code, _date(valid_from))

    def path_of(key: str) -> str:
        names = []
        current: str | None = key
        while current:
            names.append(full_name_by_key[current])
            current = parent_by_key[current]
        return fold(", ".join(names))

    def province_key(key: str) -> str:
        while parent_by_key[key]:
            key = parent_by_key[key]
        return key

    def set_own_province(obj: Any) -> None:
        if obj.level == "province":
            obj.province_id = obj.pk

    existing = {(u.level, u.code, u.valid_from): u for u in units.model.objects.all()}
    by_key: dict[str, Any] = {}
    # Parents before children, so that parent and province ids are known when children are written.
    fields = ["name", "full_name", "unit_type", "valid_to", "name_folded", "path_folded", "parent_id", "province_id"]
    for level in ("province", "district", "commune"):
        desired = {}
        for key, unit_type, full_name, name, parent, valid_from, valid_to in rows:
            if key.split(":")[1] != level:
                continue
            desired[natural(key, valid_from)] = {
                "level": level,
                "code": key.split(":")[2],
                "valid_from": _date(valid_from),
                "valid_to": _date(valid_to),
                "unit_type": unit_type,
                "full_name": full_name,
                "name": name,
                "name_folded": fold(name),
                "path_folded": path_of(key),
                "parent_id": by_key[parent].pk if parent else None,
                "province_id": by_key[province_key(key)].pk if parent else None,
            }
        units.sync(existing, desired, fields, finalize=set_own_province)
        for key, _type, _full, _name, _parent, valid_from, _to in rows:
            if key.split(":")[1] == level:
                by_key[key] = existing[natural(key, valid_from)]

    effective_on = _date(data["meta"]["effective_on"])
    successions = _Writer(apps, "AdminUnitSuccession")
    bases = {
        "province": data["meta"]["province_succession_basis"],
        "commune": data["meta"]["commune_succession_basis"],
    }
    existing_s = {(s.predecessor_id, s.successor_id): s for s in successions.model.objects.all()}
    desired_s = {}
    for old_key, new_key, is_primary, kind in data["successions"]:
        pred, succ = by_key[old_key], by_key[new_key]
        desired_s[(pred.pk, succ.pk)] = {
            "predecessor_id": pred.pk,
            "successor_id": succ.pk,
            "effective_on": effective_on,
            "is_primary": is_primary,
            "legal_basis": bases[kind],
        }
    successions.sync(existing_s, desired_s, ["effective_on", "is_primary", "legal_basis"])

    periods = _Writer(apps, "AdminUnitTypePeriod")
    existing_p = {(p.unit_id, p.valid_from): p for p in periods.model.objects.all()}
    desired_p = {}
    for key, unit_type, full_name, valid_from, valid_to, basis, uncertain, note in data["type_periods"]:
        unit = by_key[key]
        desired_p[(unit.pk, _date(valid_from))] = {
            "unit_id": unit.pk,
            "unit_type": unit_type,
            "full_name": full_name,
            "valid_from": _date(valid_from),
            "valid_to": _date(valid_to),
            "legal_basis": basis,
            "uncertain": uncertain,
            "note": note,
        }
    periods.sync(existing_p, desired_p, ["unit_type", "full_name", "valid_to", "legal_basis", "uncertain", "note"])

    regions = _Writer(apps, "Region")
    existing_r = {r.code: r for r in regions.model.objects.all()}
    desired_r = {
        code: {"code": code, "kind": kind, "name": name, "sort_order": order}
        for code, kind, name, order in data["regions"]
    }
    regions.sync(existing_r, desired_r, ["kind", "name", "sort_order"])

    memberships = _Writer(apps, "RegionMembership")
    existing_m = {(m.region_id, m.province_id, m.valid_from): m for m in memberships.model.objects.all()}
    desired_m = {}
    for region_code, province, valid_from, valid_to, basis, uncertain in data["memberships"]:
        region, unit = existing_r[region_code], by_key[province]
        desired_m[(region.pk, unit.pk, _date(valid_from))] = {
            "region_id": region.pk,
            "province_id": unit.pk,
            "valid_from": _date(valid_from),
            "valid_to": _date(valid_to),
            "legal_basis": basis,
            "uncertain": uncertain,
        }
    memberships.sync(existing_m, desired_m, ["valid_to", "legal_basis", "uncertain"])

    writers = {"units": units, "successions": successions, "type_periods": periods, "regions": regions}
    result = {f"{name}_created": w.created for name, w in writers.items()}
    result.update({f"{name}_updated": w.updated for name, w in writers.items()})
    result["memberships_created"] = memberships.created
    result["memberships_updated"] = memberships.updated
    return result
