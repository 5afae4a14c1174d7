"""Benchmark of plan versus actual at national scale: 20 plan years, 100,000 projects, 1,000,000 money events, a
national plan and 34 local plans a year (some adjusted), every project in its plan.

Measures `plans.selectors.plan_vs_actual` (and the API endpoint) for the whole country over the 20 years and for one
province, against the floor: the plain SQL that returns the same figures from the same tables. Results go to
bench/results/plans-progress-<database>.json. The dataset is built once (bulk inserts, then the running totals
rebuilt from the events), deterministically from seed 42.
"""

import datetime
import random
from typing import Any

PROJECTS = 100_000
EVENTS = 1_000_000
FIRST_YEAR, LAST_YEAR = 2006, 2025
AS_OF = datetime.date(2025, 12, 31)


def ensure_plans_dataset() -> dict[str, int]:
    from khuyencong.accounts.choices import OrganisationKind
    from khuyencong.accounts.models import Organisation
    from khuyencong.geography.models import AdminUnit
    from khuyencong.plans.models import AnnualPlan, MoneyEvent, MoneyYearTotal, PlanItem, PlanVersion
    from khuyencong.plans.services import totals_rebuild
    from khuyencong.projects.models import Project

    if Project.objects.filter(code__startswith="B-").count() >= PROJECTS and MoneyEvent.objects.count() >= EVENTS:
        if not MoneyYearTotal.objects.exists():  # a dataset built before the yearly totals existed
            print(f"  running totals: {totals_rebuild():,} rows")
        _ensure_allocations()
        return _scale()
    print("building the plans dataset (100,000 projects, 1,000,000 money events)…")
    rng = random.Random(42)
    provinces = list(AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("code"))
    centres = {}
    for province in provinces:
        centres[province.pk], _ = Organisation.objects.get_or_create(
            name=f"Trung tâm Khuyến công {province.name} (bench)",
            province=province,
            defaults={"kind": OrganisationKind.PROVINCIAL_CENTRE},
        )
    # Plans: a national plan and a local plan per province and year, a third of them adjusted once.
    plans: list[AnnualPlan] = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        plans.append(AnnualPlan(fund="kcqg", year=year, title=f"KCQG {year} (bench)"))
        for province in provinces:
            plans.append(AnnualPlan(fund="kcdp", year=year, province=province, title=f"KCĐP {province.name} {year}"))
    AnnualPlan.objects.bulk_create(plans, batch_size=1000)
    plans = list(AnnualPlan.objects.filter(year__gte=FIRST_YEAR, year__lte=LAST_YEAR))
    versions: list[PlanVersion] = []
    for plan in plans:
        total = rng.randrange(50, 500) * 1_000_000_000 if plan.fund == "kcqg" else rng.randrange(2, 30) * 1_000_000_000
        versions.append(
            PlanVersion(
                plan=plan,
                number=1,
                kind="approval",
                decision_number=f"{plan.pk}/QĐ",
                signer="—",
                decision_date=datetime.date(plan.year - 1, 12, 20),
                effective_on=datetime.date(plan.year - 1, 12, 20),
                total_vnd=total,
            )  # fmt: skip
        )
        if rng.random() < 0.33:
            versions.append(
                PlanVersion(
                    plan=plan,
                    number=2,
                    kind="adjustment",
                    decision_number=f"{plan.pk}/QĐ-ĐC",
                    signer="—",
                    decision_date=datetime.date(plan.year, 7, 1),
                    effective_on=datetime.date(plan.year, 7, 1),
                    total_vnd=total + rng.randrange(0, 5) * 1_000_000_000,
                )  # fmt: skip
            )
    PlanVersion.objects.bulk_create(versions, batch_size=2000)
    by_plan: dict[tuple, list[PlanVersion]] = {}
    for version in PlanVersion.objects.order_by("plan_id", "number").select_related("plan"):
        by_plan.setdefault((version.plan.fund, version.plan.year, version.plan.province_id), []).append(version)
    # Projects: spread over the years and provinces, a fifth national.
    projects = []
    for n in range(PROJECTS):
        province = provinces[n % len(provinces)]
        year = FIRST_YEAR + (n * 7 + rng.randrange(3)) % (LAST_YEAR - FIRST_YEAR + 1)
        fund = "kcqg" if n % 5 == 0 else "kcdp"
        projects.append(
            Project(
                code=f"B-{n:06d}",
                name=f"Đề án thử tải {n}",
                name_folded=f"de an thu tai {n}",
                fund=fund,
                plan_year=year,
                end_year=year,
                province=province,
                implementing_org=centres[province.pk],
                status="settled",
            )  # fmt: skip
        )
    Project.objects.bulk_create(projects, batch_size=5000)
    rows = Project.objects.filter(code__startswith="B-").values_list("pk", "fund", "plan_year", "province_id")
    items = []
    project_rows = list(rows)
    for pk, fund, year, province_id in project_rows:
        approved = rng.randrange(100, 2000) * 1_000_000
        for version in by_plan[(fund, year, None if fund == "kcqg" else province_id)]:  # carried into adjustments
            items.append(PlanItem(version=version, project_id=pk, approved_vnd=approved))
    PlanItem.objects.bulk_create(items, batch_size=5000)
    kinds = [("khuyen_cong", "advance"), ("khuyen_cong", "payment"), ("khuyen_cong", "settlement"),
             ("khuyen_cong", "refund"), ("counterpart", "commitment"), ("counterpart", "settlement"),
             ("other", "settlement")]  # fmt: skip
    batch: list[MoneyEvent] = []
    for n in range(EVENTS):
        pk, fund, year, province_id = project_rows[n % len(project_rows)]
        source, kind = kinds[rng.randrange(len(kinds))]
        span = min(540, (AS_OF - datetime.date(year, 1, 1)).days + 1)  # up to mid next year, never after AS_OF
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(span))
        batch.append(
            MoneyEvent(
                project_id=pk,
                kind=kind,
                source=source,
                amount_vnd=rng.randrange(1, 500) * 1_000_000,
                occurred_on=min(day, AS_OF),
                fund=fund,
                province_id=province_id,
                plan_year=year,
            )  # fmt: skip
        )
        if len(batch) >= 50_000:
            MoneyEvent.objects.bulk_create(batch)
            batch.clear()
            print(f"  {n + 1:,} events")
    MoneyEvent.objects.bulk_create(batch)
    print(f"  running totals: {totals_rebuild():,} rows")
    _ensure_allocations()
    return _scale()


def _scale() -> dict[str, int]:
    from khuyencong.plans.models import Allocation, MoneyEvent
    from khuyencong.projects.models import Project

    return {"projects": Project.objects.count(), "money_events": MoneyEvent.objects.count(),
            "allocations": Allocation.objects.count()}  # fmt: skip


def _ensure_allocations() -> None:
    """Every plan version's allocation table: a national version by province × content (34 × 9 cells, and each
    province's own row above its cells), a local version by content — each part within what contains it."""
    from django.db import connection

    from khuyencong.geography.models import AdminUnit
    from khuyencong.plans.models import Allocation, PlanVersion
    from khuyencong.policy.selectors import contents_in_force

    if (
        Allocation.objects.filter(version__plan__title__endswith="(bench)").exists()
        or Allocation.objects.count() > 5000
    ):
        return
    print("adding allocation tables (province × content) to the plan versions…")
    rng = random.Random(7)
    provinces = list(AdminUnit.objects.filter(level="province", valid_to__isnull=True).values_list("pk", flat=True))
    rows: list[Allocation] = []
    for version in PlanVersion.objects.select_related("plan").filter(plan__year__gte=FIRST_YEAR):
        contents = [c.pk for c in contents_in_force(version.effective_on)]
        if version.plan.province_id is None:
            share = version.total_vnd // (len(provinces) + 1)  # something left to no province
            for province in provinces:
                cells = [rng.randrange(0, share // len(contents) // 1_000_000 + 1) * 1_000_000 for _ in contents]
                rows += [Allocation(version=version, province_id=province, content_id=c, amount_vnd=a)
                         for c, a in zip(contents, cells, strict=True) if a]  # fmt: skip
                if rng.random() < 0.5:  # a province's own row, at least its cells
                    rows.append(
                        Allocation(version=version, province_id=province, amount_vnd=min(share, sum(cells) * 2))
                    )
        else:
            share = version.total_vnd // len(contents)
            rows += [Allocation(version=version, content_id=c, amount_vnd=rng.randrange(0, share // 1_000_000 + 1)
                                * 1_000_000) for c in contents]  # fmt: skip
    Allocation.objects.bulk_create(rows, batch_size=5000)
    print(f"  {len(rows):,} allocations")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def floor(province_id: int | None) -> Any:
    """The plain SQL returning the same figures (both periods): the plan versions in force and their totals or
    allocations, the projects' approved funds, and the money by source and kind up to the date."""
    from django.db import connection

    def period(year_from: int, year_to: int, as_of: datetime.date) -> None:
        month, year_start = as_of.replace(day=1), as_of.replace(month=1, day=1)
        province = "" if province_id is None else " AND province_id = %s"
        extra: list[Any] = [province_id] if province_id else []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT source, kind, SUM(amount_vnd) FROM plans_moneyyeartotal "  # noqa: S608
                f"WHERE plan_year BETWEEN %s AND %s AND year < %s{province} GROUP BY source, kind",
                [year_from, year_to, as_of.year, *extra],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT source, kind, SUM(amount_vnd) FROM plans_moneytotal "  # noqa: S608
                f"WHERE plan_year BETWEEN %s AND %s AND month >= %s AND month < %s{province} GROUP BY source, kind",
                [year_from, year_to, year_start, month, *extra],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT source, kind, SUM(amount_vnd) FROM plans_moneyevent "  # noqa: S608
                f"WHERE plan_year BETWEEN %s AND %s AND occurred_on >= %s AND occurred_on <= %s{province} "
                "GROUP BY source, kind",
                [year_from, year_to, month, as_of, *extra],
            )
            cursor.fetchall()
            in_force = (
                "SELECT MAX(v.id) FROM plans_planversion v JOIN plans_annualplan p ON p.id = v.plan_id "
                "WHERE p.year BETWEEN %s AND %s AND v.effective_on <= %s"
                + ("" if province_id is None else " AND (p.province_id IS NULL OR p.province_id = %s)")
                + " GROUP BY v.plan_id"
            )
            in_args: list[Any] = [year_from, year_to, as_of, *extra]
            if province_id is None:
                cursor.execute(f"SELECT SUM(total_vnd) FROM plans_planversion WHERE id IN ({in_force})", in_args)  # noqa: S608
            else:
                cursor.execute(
                    "SELECT SUM(CASE WHEN p.province_id IS NULL THEN 0 ELSE v.total_vnd END) "  # noqa: S608
                    "FROM plans_planversion v JOIN plans_annualplan p ON p.id = v.plan_id "
                    f"WHERE v.id IN ({in_force})",
                    in_args,
                )
            cursor.fetchall()
            cursor.execute(
                f"SELECT SUM(amount_vnd) FROM plans_planitemtotal WHERE version_id IN ({in_force}){province}",  # noqa: S608
                in_args + extra,
            )
            cursor.fetchall()

    def run() -> None:
        period(FIRST_YEAR, LAST_YEAR, AS_OF)
        period(FIRST_YEAR - 1, LAST_YEAR - 1, AS_OF.replace(year=AS_OF.year - 1))

    return run


def bench_plans(database: str, users: dict[str, Any], timed: Any, metric: Any, write: Any) -> None:
    from django.test import Client

    from khuyencong.plans.selectors import Query, plan_vs_actual

    scale = ensure_plans_dataset()
    province_id = users["province"].scope_province_id
    from khuyencong.policy.models import ActivityContent

    content_id = ActivityContent.objects.filter(code="4.3").order_by("-valid_from").values_list("pk", flat=True)[0]
    scenarios = {
        "country_20_years": (users["country"], None, {}, None),
        "province_20_years": (users["province"], province_id, {"province": province_id}, None),
        "province_content_20_years": (users["province"], province_id, {"province": province_id,
                                                                       "content": content_id}, content_id),
    }  # fmt: skip
    metrics = {}
    for name, (user, province, params, content) in scenarios.items():
        query = Query(as_of=AS_OF, year_from=FIRST_YEAR, year_to=LAST_YEAR, content_id=content,
                      provinces=None if province is None else frozenset({province}))  # fmt: skip
        result = plan_vs_actual(user=user, query=query)
        assert result.figures.planned_vnd > 0 and (content or result.figures.disbursed_vnd > 0)
        selector = timed(lambda user=user, query=query: plan_vs_actual(user=user, query=query))
        client = Client()
        client.force_login(user)
        api_params = {"as_of": AS_OF.isoformat(), "year_from": FIRST_YEAR, "year_to": LAST_YEAR, **params}
        response = client.get("/api/v1/plan-vs-actual/", api_params)
        assert response.status_code == 200, response.content[:300]
        assert response.json()["figures"]["disbursed_vnd"] == result.figures.disbursed_vnd
        api = timed(lambda client=client, api_params=api_params: client.get("/api/v1/plan-vs-actual/", api_params))
        with_breakdown = {**api_params, "breakdown": "1"}
        assert client.get("/api/v1/plan-vs-actual/", with_breakdown).json()["breakdown"]["planned_vnd"] == (
            result.figures.planned_vnd
        )
        breakdown = timed(lambda client=client, params=with_breakdown: client.get("/api/v1/plan-vs-actual/", params))
        base = timed(floor(province))
        metrics[f"{name}_p50_ms"] = metric(selector["p50"], "ms", "lower", floor=base["p50"])
        metrics[f"{name}_p95_ms"] = metric(selector["p95"], "ms", "lower", target=200, floor=base["p95"])
        metrics[f"{name}_api_p95_ms"] = metric(api["p95"], "ms", "lower", target=200, floor=base["p95"])
        metrics[f"{name}_api_breakdown_p95_ms"] = metric(breakdown["p95"], "ms", "lower", floor=base["p95"])
        print(
            f"plans {name}: selector p50 {selector['p50']:.1f} / p95 {selector['p95']:.1f} ms, "
            f"API p95 {api['p95']:.1f} ms, with the breakdown {breakdown['p95']:.1f} ms (floor p95 {base['p95']:.1f})"
        )
    write("plans-progress", database, scale, metrics)
