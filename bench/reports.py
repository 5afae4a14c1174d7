"""Benchmark of the dashboard and the national report file on the national registry (1,000,000 establishments) and the
plans dataset (20 plan years, 100,000 projects, 1,000,000 money events), with targets, contents and beneficiaries drawn
from the whole registry added to every project (built once).

Measures, for the whole country as a ministry user, for the last plan year and for all 20 years: the dashboard
figures (selector) and the dashboard page with its map data; and the annual national report file by region (.xlsx,
.docx and .pdf, seconds each). Results go to bench/results/reports-dashboard-<database>.json.
"""

import datetime
import random
import time
from typing import Any

from plans import AS_OF, FIRST_YEAR, LAST_YEAR, ensure_plans_dataset


def ensure_reports_dataset() -> dict[str, int]:
    from khuyencong.establishments.models import Establishment
    from khuyencong.policy.models import ActivityContent
    from khuyencong.projects.models import Beneficiary, Project, Target

    scale = ensure_plans_dataset()
    if Target.objects.exists():
        ensure_figures()
        return {**scale, "targets": Target.objects.count(), "beneficiaries": Beneficiary.objects.count()}
    print("adding targets, contents and beneficiaries to the benchmark projects…")
    establishments = list(Establishment.objects.values_list("pk", flat=True))  # the national registry
    contents = list(ActivityContent.objects.values_list("pk", flat=True))
    rng = random.Random(42)
    indicators = ["trainees", "trainees_employed", "models", "machines", "fair_booths", "brands", "jobs_created"]
    targets, beneficiaries, links = [], [], []
    through = Project.contents.through
    projects = Project.objects.filter(code__startswith="B-").values_list("pk", "plan_year")
    for pk, plan_year in projects.iterator(chunk_size=10_000):
        for indicator in rng.sample(indicators, 2):
            planned = rng.randrange(1, 50)
            # dated outputs: achieved (accepted) on a day of the plan year or the next
            on = datetime.date(plan_year, 1, 1) + datetime.timedelta(days=rng.randrange(540))
            targets.append(
                Target(project_id=pk, indicator_id=indicator, planned=planned, achieved=rng.randrange(planned + 1),
                       achieved_on=min(on, datetime.date(2026, 6, 30)))
            )  # fmt: skip
        for establishment in rng.sample(establishments, rng.randrange(1, 3)):
            support = rng.randrange(50, 500) * 1_000_000
            beneficiaries.append(
                Beneficiary(
                    project_id=pk,
                    establishment_id=establishment,
                    support_vnd=support,
                    counterpart_vnd=support * 3,
                    eligible_cost_vnd=support * 4,
                    revenue_before_vnd=rng.randrange(1, 50) * 100_000_000,
                    revenue_year1_vnd=rng.randrange(1, 60) * 100_000_000,
                )  # fmt: skip
            )
        links.append(through(project_id=pk, activitycontent_id=rng.choice(contents)))
        if len(targets) > 50_000:
            Target.objects.bulk_create(targets)
            Beneficiary.objects.bulk_create(beneficiaries)
            through.objects.bulk_create(links)
            targets, beneficiaries, links = [], [], []
    Target.objects.bulk_create(targets)
    Beneficiary.objects.bulk_create(beneficiaries)
    through.objects.bulk_create(links)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ensure_figures()
    return {**scale, "targets": Target.objects.count(), "beneficiaries": Beneficiary.objects.count()}


def ensure_figures() -> None:
    """The running project figures of the bulk-loaded projects (services keep them; a bulk load must rebuild them)."""
    from django.db import connection

    from khuyencong.projects.figures import figures_rebuild
    from khuyencong.projects.models import StatusTotal

    if not StatusTotal.objects.exists():
        start = time.perf_counter()
        rows = figures_rebuild()
        print(f"  running project figures: {rows:,} status rows in {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:  # as autovacuum would after a bulk load: statistics, visibility map
            cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def bench_reports(database: str, users: dict[str, Any], timed: Any, metric: Any, write: Any) -> None:
    from django.test import Client

    from khuyencong.plans.selectors import Query
    from khuyencong.reports.official import RENDERERS, regional_report
    from khuyencong.reports.selectors import dashboard

    scale = ensure_reports_dataset()
    user = users["country"]
    query = Query(as_of=AS_OF, year_from=LAST_YEAR, year_to=LAST_YEAR)
    whole = Query(as_of=AS_OF, year_from=FIRST_YEAR, year_to=LAST_YEAR)
    assert dashboard(user=user, query=query).stats["projects"] > 0
    metrics = {}
    for name, q in (("year", query), ("20_years", whole)):
        result = timed(lambda q=q: dashboard(user=user, query=q), runs=20, warmup=3)
        metrics[f"dashboard_{name}_p95_ms"] = metric(result["p95"], "ms", "lower", target=300)
        print(f"dashboard {name}: p50 {result['p50']:.1f} / p95 {result['p95']:.1f} ms")
    # The first read after a write recomputes the outputs the cache keeps (projects.selectors): measured apart.
    from django.core.cache import cache

    def cold() -> None:
        cache.clear()
        dashboard(user=user, query=whole)

    result = timed(cold, runs=10, warmup=1)
    metrics["dashboard_20_years_first_read_after_a_write_p95_ms"] = metric(result["p95"], "ms", "lower")
    print(f"dashboard 20_years, first read after a write: p50 {result['p50']:.1f} / p95 {result['p95']:.1f} ms")
    client = Client()
    client.force_login(user)
    for name, year_from in (("", LAST_YEAR), ("_20_years", FIRST_YEAR)):
        params: dict[str, Any] = {"year_from": year_from, "year_to": LAST_YEAR, "as_of": AS_OF.isoformat()}
        assert client.get("/reports/", params).status_code == 200
        page = timed(lambda params=params: client.get("/reports/", params), runs=20, warmup=3)
        metrics[f"dashboard_page_with_map{name}_p95_ms"] = metric(page["p95"], "ms", "lower", target=300)
        print(f"dashboard page{name}: p50 {page['p50']:.1f} / p95 {page['p95']:.1f} ms")
    for file_format, (render, _type) in RENDERERS.items():
        start = time.perf_counter()
        document = regional_report(user=user, year=LAST_YEAR)
        data = render(document)
        seconds = time.perf_counter() - start
        assert data
        metrics[f"national_report_{file_format}_seconds"] = metric(seconds, "s", "lower", target=10)
        print(f"national report {file_format}: {seconds:.2f} s")
    write("reports-dashboard", database, scale, metrics)
