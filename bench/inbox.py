"""Benchmark of the daily pages at national scale: the home inbox ("Việc cần làm": projects waiting for my step,
deadlines, reports to review, headline figures) and the registry's search by a commune's name.

On the plans dataset (100,000 projects over 20 years, all settled) a tenth of the projects, drawn at random, are put
back at a live stage of the lifecycle (submitted, in appraisal, registered, in the plan, contracted, running,
accepted) once, so that
every province has projects waiting for its Department, its approver and the ministry. Measures, for a provincial
officer of Lâm Đồng and a ministry officer: the inbox (selector), the home page and `/api/v1/me/tasks/` (p50/p95),
with the floor of the waiting count as plain SQL; and the list page and the API searching the registry
(1,000,000 establishments) by a commune's name ("xã Đức Trọng", "Phường 1 Bảo Lộc" as typed). Results go to
bench/results/inbox-home-<database>.json and establishments-commune-search-<database>.json.
"""

import random
from typing import Any

from plans import ensure_plans_dataset

#: The share of the benchmark projects put back at a live stage (once).
LIVE_SHARE = 0.1
LIVE_STATUSES = (
    "submitted", "base_appraisal", "base_approved", "registered", "ministry_appraisal", "in_plan", "assigned",
    "contracted", "in_progress", "accepted",
)  # fmt: skip


def ensure_live_projects() -> dict[str, int]:
    from khuyencong.core.history import allow_untracked_writes
    from khuyencong.projects.models import Project, Status

    scale = ensure_plans_dataset()
    statuses = [s for s in LIVE_STATUSES if s in Status.values]
    live = Project.objects.filter(code__startswith="B-", status__in=statuses)
    wanted = int(scale["projects"] * LIVE_SHARE)
    if live.count() < wanted * 0.9:
        print(f"putting {wanted:,} benchmark projects back at a live stage…")
        rng = random.Random(7)
        pks = list(Project.objects.filter(code__startswith="B-").values_list("pk", flat=True))
        chosen = rng.sample(pks, wanted)
        with allow_untracked_writes():
            for i, status in enumerate(statuses):
                part = chosen[i :: len(statuses)]
                for start in range(0, len(part), 5_000):
                    Project.objects.filter(pk__in=part[start : start + 5_000]).update(status=status)
    return {**scale, "live_projects": live.count()}


def _waiting_floor(user: Any) -> Any:
    """The waiting count and first rows as one plain query over the same statuses (the floor of the selector)."""
    from django.db import connection

    from khuyencong.projects.models import Project

    queryset = Project.objects.filter(status__in=LIVE_STATUSES)
    if user.scope_province_id:
        queryset = queryset.filter(province_id=user.scope_province_id)
    count_sql, count_args = queryset.values("pk").query.sql_with_params()
    rows_sql, rows_args = (
        queryset.order_by("status_changed_at", "pk").values("pk", "code", "name")[:10].query.sql_with_params()
    )

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) AS waiting", count_args)  # noqa: S608
            cursor.fetchall()
            cursor.execute(rows_sql, rows_args)
            cursor.fetchall()

    return run


def _department_officer(province: Any) -> Any:
    """An officer of Lâm Đồng's Department of Industry and Trade (who takes the Department's steps)."""
    from khuyencong.accounts.choices import OrganisationKind, Role, ScopeLevel
    from khuyencong.accounts.models import Organisation, User

    department, _ = Organisation.objects.get_or_create(
        name=f"Sở Công Thương {province.name} (bench)", province=province,
        defaults={"kind": OrganisationKind.DEPARTMENT},
    )  # fmt: skip
    user, _ = User.objects.get_or_create(
        username="bench.lamdong.so",
        defaults={
            "role": Role.PROVINCIAL_OFFICER, "scope_level": ScopeLevel.PROVINCE, "scope_province": province,
            "organisation": department,
        },
    )  # fmt: skip
    return user


def bench_inbox(database: str, users: dict[str, Any], timed: Any, metric: Any, write: Any) -> None:
    from django.test import Client

    from khuyencong.reports.inbox import inbox_for

    scale = ensure_live_projects()
    department = _department_officer(users["province"].scope_province)
    metrics: dict[str, Any] = {}
    for name, user in (("province", department), ("country", users["country"])):
        inbox = inbox_for(user=user)
        assert inbox.waiting_count > 0, (name, "nothing waits: the dataset has no live project for this role")
        result = timed(lambda u=user: inbox_for(user=u), runs=30, warmup=3)
        base = timed(_waiting_floor(user), runs=30, warmup=3)
        metrics[f"{name}_inbox_p95_ms"] = metric(result["p95"], "ms", "lower", target=200, floor=base["p95"])
        client = Client()
        client.force_login(user)
        for path, key in (("/", "home_page"), ("/api/v1/me/tasks/", "tasks_api")):
            assert client.get(path).status_code == 200, path
            page = timed(lambda c=client, p=path: c.get(p), runs=20, warmup=3)
            metrics[f"{name}_{key}_p95_ms"] = metric(page["p95"], "ms", "lower", target=300)
        print(
            f"inbox {name}: {inbox.waiting_count:,} waiting; selector p95 {result['p95']:.1f} ms "
            f"(floor {base['p95']:.1f}); home p95 {metrics[f'{name}_home_page_p95_ms']['value']} ms"
        )
    write("inbox-home", database, scale, metrics)
    bench_commune_search(database, users, timed, metric, write)


def bench_commune_search(database: str, users: dict[str, Any], timed: Any, metric: Any, write: Any) -> None:
    """The registry searched by a commune's name as people type it, for the country and for a province."""
    from django.test import Client

    from khuyencong.establishments.models import Establishment
    from khuyencong.geography.models import AdminUnit

    lamdong = users["province"].scope_province
    busiest = (
        AdminUnit.objects.filter(level="commune", valid_to__isnull=True, province=lamdong)
        .order_by("code")
        .values_list("name", flat=True)
    )
    names = list(busiest[:2])
    metrics: dict[str, Any] = {}
    count = Establishment.objects.count()
    for name, user in (("country", users["country"]), ("province", users["province"])):
        client = Client()
        client.force_login(user)
        for i, commune in enumerate(names):
            params = {"q": commune}
            page = client.get("/establishments/", params)
            assert page.status_code == 200
            listed = timed(lambda c=client, p=params: c.get("/establishments/", p), runs=20, warmup=3)
            api = timed(lambda c=client, p=params: c.get("/api/v1/establishments/", p), runs=20, warmup=3)
            metrics[f"{name}_list_commune_{i + 1}_p95_ms"] = metric(listed["p95"], "ms", "lower", target=300)
            metrics[f"{name}_api_commune_{i + 1}_p95_ms"] = metric(api["p95"], "ms", "lower", target=300)
            print(f"search “{commune}” ({name}): list p95 {listed['p95']:.1f} ms, API p95 {api['p95']:.1f} ms")
    write("establishments-commune-search", database, {"establishments": count, "communes": names}, metrics)
