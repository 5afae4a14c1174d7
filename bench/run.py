"""Benchmarks of the registry at national scale (1,000,000 establishments), on the database in DATABASE_URL.

    python bench/run.py --database sqlite      # `make bench` runs it for SQLite and PostgreSQL

Builds the national dataset if it is missing (generate_demo_data --scale national --seed 42), then measures the
list page and the API list (first page, filtered, searched: p50/p95 over repeated requests), the import of a
100,000-row file (rows per second, peak memory) and the export of all rows (seconds, peak memory). Each figure is
written with its floor, the same work done by the plain SQL query (or, for the import, by reading the file with
calamine alone), to bench/results/<benchmark>-<database>.json.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ["DJANGO_DEBUG"] = "false"

NATIONAL = int(os.environ.get("BENCH_SCALE", "1000000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
RUNS = 40
WARMUP = 5


def ensure_database() -> None:
    """Create the PostgreSQL benchmark database when it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    admin = dict(config, NAME="postgres")
    with psycopg.connect(
        dbname=admin["NAME"],
        user=admin["USER"],
        host=admin["HOST"],
        port=admin["PORT"] or 5432,
        password=admin.get("PASSWORD") or None,
        autocommit=True,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def setup_django() -> None:
    import django

    django.setup()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(fn: Any, runs: int = RUNS, warmup: int = WARMUP) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50": statistics.median(samples), "p95": percentile(samples, 0.95)}


def metric(value: float, unit: str, better: str, target: float | None = None, floor: float | None = None) -> dict:
    data: dict[str, Any] = {"value": round(value, 2), "unit": unit, "better": better}
    if target is not None:
        data["target"] = target
    if floor:
        data["floor"] = round(floor, 2)
        data["ratio_to_floor"] = round(value / floor, 2)
    return data


def write(name: str, database: str, scale: dict, metrics: dict) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    payload = {
        "benchmark": name,
        "database": database,
        "commit": commit.strip(),
        "measured_at": datetime.datetime.now(datetime.UTC).astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "scale": scale,
        "metrics": metrics,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}-{database}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {name}-{database}.json")


# ---- dataset -------------------------------------------------------------------------------------------------------


def ensure_dataset() -> int:
    from django.core.management import call_command

    from khuyencong.establishments.models import Establishment

    call_command("migrate", verbosity=0)
    count = Establishment.objects.count()
    if count < NATIONAL:
        print(f"building the national dataset ({count} establishments now)…")
        call_command("generate_demo_data", scale="national", seed=42, count=NATIONAL - count, force=True)
        count = Establishment.objects.count()
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:  # as autovacuum would after a bulk load: visibility map and statistics
            cursor.execute("VACUUM ANALYZE establishments_establishment")
    return count


def bench_users() -> dict[str, Any]:
    from khuyencong.accounts.choices import Role, ScopeLevel
    from khuyencong.accounts.models import User
    from khuyencong.geography.models import AdminUnit

    country, _ = User.objects.get_or_create(
        username="bench.bo", defaults={"role": Role.MINISTRY_OFFICER, "scope_level": ScopeLevel.COUNTRY}
    )
    province = AdminUnit.objects.get(level="province", code="68", valid_to__isnull=True)
    officer, _ = User.objects.get_or_create(
        username="bench.lamdong",
        defaults={"role": Role.PROVINCIAL_OFFICER, "scope_level": ScopeLevel.PROVINCE, "scope_province": province},
    )
    return {"country": country, "province": officer}


# ---- list page and API ---------------------------------------------------------------------------------------------

SCENARIOS = {
    # name: (user, query parameters)
    "first_page": ("country", {}),
    "filtered": ("province", {"legal_form": "htx", "status": "active"}),
    "searched": ("country", {"q": "may tre phu"}),
}


def floor_queries(user: Any, params: dict) -> Any:
    """The plain SQL that returns the same page: the count and the first 50 rows with their commune and province."""
    from django.db import connection

    from khuyencong.establishments.search import FTS_TABLE, search_tokens

    where, args = ["1=1"], []
    if user.scope_province_id:
        where.append("e.province_id = %s")
        args.append(user.scope_province_id)
    for key in ("legal_form", "status"):
        if key in params:
            where.append(f"e.{key} = %s")
            args.append(params[key])
    if "q" in params:
        tokens = search_tokens(params["q"])
        if connection.vendor == "sqlite":
            where.append(f"e.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
            args.append(" AND ".join(f'"{t}"*' for t in tokens))
        else:
            for token in tokens:
                where.append("e.search_folded LIKE %s")
                args.append(f"%{token}%")
    condition = " AND ".join(where)
    count_sql = f"SELECT COUNT(*) FROM establishments_establishment e WHERE {condition}"  # noqa: S608
    rows_sql = (
        "SELECT e.id, e.name, e.tax_code, e.legal_form, e.employees_total, e.status, c.full_name, p.full_name "  # noqa: S608
        "FROM establishments_establishment e JOIN geography_adminunit c ON c.id = e.commune_id "
        f"JOIN geography_adminunit p ON p.id = e.province_id WHERE {condition} ORDER BY e.name_folded, e.id LIMIT 50"
    )

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, args)
            cursor.fetchall()
            cursor.execute(rows_sql, args)
            cursor.fetchall()

    return run


def bench_lists(database: str, count: int) -> None:
    from django.test import Client

    users = bench_users()
    targets = {"first_page": 150, "filtered": 150, "searched": 150}
    for name, path in (("establishments-list", "/establishments/"), ("establishments-api", "/api/v1/establishments/")):
        metrics = {}
        for scenario, (who, params) in SCENARIOS.items():
            client = Client()
            client.force_login(users[who])
            response = client.get(path, params)
            assert response.status_code == 200, (path, params, response.status_code)
            result = timed(lambda client=client, params=params, path=path: client.get(path, params))
            floor = timed(floor_queries(users[who], params))
            metrics[f"{scenario}_p50_ms"] = metric(result["p50"], "ms", "lower", floor=floor["p50"])
            metrics[f"{scenario}_p95_ms"] = metric(
                result["p95"], "ms", "lower", target=targets[scenario], floor=floor["p95"]
            )
            print(
                f"{name} {scenario}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms (floor {floor['p95']:.1f})"
            )
        write(name, database, {"establishments": count}, metrics)


# ---- import and export (each in its own process, for its peak memory) ---------------------------------------------


def import_file() -> Path:
    """A 100,000-row .xlsx in the template's columns, spread over the country's communes (built once)."""
    path = ROOT / "var" / f"bench-import-{IMPORT_ROWS}.xlsx"
    if path.exists():
        return path
    import random

    from khuyencong.core.xlsx import write_xlsx
    from khuyencong.establishments.imports import COLUMNS
    from khuyencong.geography.models import AdminUnit

    rng = random.Random(7)
    codes = list(AdminUnit.objects.filter(level="commune", valid_to__isnull=True).values_list("code", flat=True))
    keys = [c.key for c in COLUMNS]

    def rows() -> Any:
        for n in range(IMPORT_ROWS):
            values = {
                "import_key": f"BENCH-{n}",
                "name": f"Cơ sở thử tải số {n} nghề {rng.choice(['mây tre', 'gốm', 'dệt', 'rèn', 'chè'])}",
                "legal_form": rng.choice(["Hộ kinh doanh", "Doanh nghiệp nhỏ", "Hợp tác xã"]),
                "tax_code": f"{9_000_000_000 + n}",
                "owner_name": f"Nguyễn Văn Thử {n}",
                "phone": f"08{n:08d}",
                "address": f"Thôn {n % 20}",
                "commune_code": rng.choice(codes),
                "employees_total": str(rng.randrange(1, 2000)),
                "employees_female": "1",
            }
            yield [values.get(k) for k in keys]

    with path.open("wb") as handle:
        write_xlsx(handle, [c.header for c in COLUMNS], rows())
    return path


def child_import() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from khuyencong.establishments import imports
    from khuyencong.establishments.models import Establishment

    user = bench_users()["country"]
    path = import_file()
    start = time.perf_counter()
    batch = imports.import_start(user=user, uploaded=SimpleUploadedFile("bench.xlsx", path.read_bytes()))
    batch = imports.import_check(batch_id=batch.pk)
    assert batch.status == "checked", batch.error
    checked = time.perf_counter()
    imports.import_commit(batch_id=batch.pk)
    seconds = time.perf_counter() - start
    created = Establishment.objects.filter(import_key__startswith="BENCH-").count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Put the dataset back as it was (raw SQL: this is the benchmark's clean-up, not an application write).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM establishments_historicalestablishment WHERE import_key LIKE 'BENCH-%%'")
        cursor.execute("DELETE FROM establishments_establishment WHERE import_key LIKE 'BENCH-%%'")
    from python_calamine import CalamineWorkbook

    floor_start = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    floor = time.perf_counter() - floor_start
    return {
        "rows": created,
        "seconds": seconds,
        "check_seconds": checked - start,
        "peak_mb": peak,
        "floor_rows_per_s": IMPORT_ROWS / floor,
    }


def child_export(file_format: str) -> dict:
    import tempfile

    from django.db import connection
    from django.http import QueryDict

    from khuyencong.establishments import exports
    from khuyencong.establishments.selectors import establishment_list

    user = bench_users()["country"]
    queryset = establishment_list(user=user, params=QueryDict(""))
    start = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        writer = exports.write_xlsx_export if file_format == "xlsx" else exports.write_csv_export
        rows = writer(handle, queryset)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    paths = [p for _h, p, _w in exports.COLUMNS]
    sql, params = queryset.values_list(*paths).query.sql_with_params()
    floor_start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while cursor.fetchmany(5000):
            pass
    floor = time.perf_counter() - floor_start
    return {"rows": rows, "seconds": seconds, "peak_mb": peak, "floor_seconds": floor}


def run_child(kind: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind], capture_output=True, text=True, cwd=ROOT, env=os.environ.copy()
    )
    if output.returncode != 0:
        raise SystemExit(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


def bench_import_export(database: str, count: int) -> None:
    result = run_child("import")
    rate = result["rows"] / result["seconds"]
    peak = result["peak_mb"]
    print(f"import: {result['rows']} rows in {result['seconds']:.1f} s = {rate:.0f} rows/s, peak {peak:.0f} MB")
    write(
        "establishments-import",
        database,
        {"establishments": count, "file_rows": IMPORT_ROWS},
        {
            "rows_per_second": metric(rate, "rows/s", "higher", target=5000, floor=result["floor_rows_per_s"]),
            "dry_run_seconds": metric(result["check_seconds"], "s", "lower"),
            "total_seconds": metric(result["seconds"], "s", "lower"),
            "peak_memory_mb": metric(result["peak_mb"], "MB", "lower"),
        },
    )
    metrics = {}
    for file_format in ("csv", "xlsx"):
        result = run_child(f"export-{file_format}")
        print(
            f"export {file_format}: {result['rows']} rows in {result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB"
        )
        metrics[f"{file_format}_seconds"] = metric(
            result["seconds"], "s", "lower", target=60, floor=result["floor_seconds"]
        )
        metrics[f"{file_format}_peak_memory_mb"] = metric(result["peak_mb"], "MB", "lower", target=300)
    write("establishments-export", database, {"establishments": count}, metrics)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--child")
    parser.add_argument("--only", choices=["lists", "io", "plans", "reports", "collaborators", "inbox"])
    args = parser.parse_args()
    if not args.child:
        ensure_database()
    setup_django()
    if args.child:
        result = child_import() if args.child == "import" else child_export(args.child.split("-", 1)[1])
        print(json.dumps(result))
        return
    if args.only in ("plans", "collaborators"):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:  # the reports read the beneficiaries out of the national registry
        count = ensure_dataset()
    if args.only in (None, "plans"):
        from plans import bench_plans

        bench_plans(args.database, bench_users(), timed, metric, write)
    if args.only in (None, "reports"):
        from reports import bench_reports

        bench_reports(args.database, bench_users(), timed, metric, write)
    if args.only in (None, "collaborators"):
        from collaborators import bench_collaborators

        bench_collaborators(args.database, bench_users(), timed, metric, write)
    if args.only in (None, "inbox"):
        from inbox import bench_inbox

        bench_inbox(args.database, bench_users(), timed, metric, write)
    if args.only in (None, "lists"):
        bench_lists(args.database, count)
    if args.only in (None, "io"):
        bench_import_export(args.database, count)


if __name__ == "__main__":
    main()
