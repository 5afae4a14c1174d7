"""Benchmark of report completeness for the whole country: every one of the 3,321 communes covered by a collaborator,
the quarterly report of 40 quarters (about 85 % received, most on time, most approved: 132,840 reports expected),
built once. Measures completeness by province for the country and by commune for one province (selector and API),
with its floor: the same counts by plain SQL. Results go to bench/results/collaborators-completeness-<database>.json.
"""

import datetime
import random
from typing import Any

QUARTERS = 40


def _quarters(today: datetime.date) -> list[datetime.date]:
    from khuyencong.collaborators import periods

    start = periods.period_start("quarterly", today)
    starts = [start]
    while len(starts) < QUARTERS:
        starts.append(periods.period_start("quarterly", starts[-1] - datetime.timedelta(days=1)))
    return sorted(starts)


def ensure_collaborators_dataset(today: datetime.date) -> dict[str, int]:
    from django.db import connection

    from khuyencong.collaborators.choices import SubmissionStatus
    from khuyencong.collaborators.models import Collaborator, Coverage, ReportForm, Submission
    from khuyencong.collaborators.services import reporting_totals_rebuild
    from khuyencong.geography.models import AdminUnit

    form = ReportForm.objects.get(code="ctv-quy")
    communes = list(AdminUnit.objects.filter(level="commune", valid_to__isnull=True).values_list("pk", "province_id"))
    if Submission.objects.filter(form=form).count() < len(communes) * (QUARTERS - 2) * 0.8:
        print(f"building the collaborators dataset ({len(communes):,} communes × {QUARTERS} quarters)…")
        Submission.objects.filter(form=form).delete()
        Coverage.objects.all().delete()
        Collaborator.objects.all().delete()
        version = form.versions.order_by("-number").first()
        since = datetime.date(today.year - 11, 1, 1)
        collaborators = Collaborator.objects.bulk_create(
            [
                Collaborator(
                    full_name=f"Cộng tác viên {pk}",
                    name_folded=f"cong tac vien {pk}",
                    province_id=province,
                    decision_number=f"{pk}/QĐ-SCT",
                    decision_date=since,
                    decision_signer="—",
                )  # fmt: skip
                for pk, province in communes
            ],
            batch_size=2_000,
        )
        Coverage.objects.bulk_create(
            [
                Coverage(collaborator=c, commune_id=pk, valid_from=since)
                for c, (pk, _province) in zip(collaborators, communes, strict=True)
            ],
            batch_size=2_000,
        )
        rng = random.Random(42)
        batch: list[Any] = []
        quarters = _quarters(today)
        for start in quarters[:-1]:  # the current quarter is not due yet
            for pk, province in communes:
                if rng.random() > 0.85:
                    continue
                received = datetime.datetime.combine(
                    start + datetime.timedelta(days=95 + rng.randrange(0, 30)), datetime.time(9), tzinfo=datetime.UTC
                )
                batch.append(
                    Submission(
                        form=form,
                        form_version=version,
                        province_id=province,
                        commune_id=pk,
                        period_start=start,
                        status=SubmissionStatus.APPROVED if rng.random() < 0.8 else SubmissionStatus.SUBMITTED,
                        values={"workers": rng.randrange(10, 2000)},
                        first_submitted_at=received,
                        submitted_at=received,
                        on_time=received.date() <= start + datetime.timedelta(days=91 + 15),
                    )  # fmt: skip
                )
                if len(batch) >= 10_000:
                    Submission.objects.bulk_create(batch)
                    batch = []
        Submission.objects.bulk_create(batch)
        print(f"  reports received: {reporting_totals_rebuild():,} total rows")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "communes": len(communes),
        "quarters": QUARTERS,
        "reports_received": Submission.objects.filter(form=form, first_submitted_at__isnull=False).count(),
    }


def floor(first: datetime.date, last: datetime.date, province_id: int | None) -> Any:
    """The same counts by plain SQL: reports received, on time and approved by unit and period, and the communes
    covered."""
    from django.db import connection

    def run() -> None:
        unit = "commune_id" if province_id else "province_id"
        where = "AND province_id = %s" if province_id else ""
        params: list[Any] = [first, last] + ([province_id] if province_id else [])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {unit}, period_start, COUNT(*), SUM(CASE WHEN on_time THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END) FROM collaborators_submission "
                f"WHERE first_submitted_at IS NOT NULL AND period_start BETWEEN %s AND %s {where} "
                f"GROUP BY {unit}, period_start",
                params,
            )
            cursor.fetchall()
            cursor.execute("SELECT commune_id, valid_from, valid_to FROM collaborators_coverage")
            cursor.fetchall()

    return run


def bench_collaborators(database: str, users: dict[str, Any], timed: Any, metric: Any, write: Any) -> None:
    from django.test import Client
    from django.utils import timezone

    from khuyencong.collaborators.models import ReportForm
    from khuyencong.collaborators.selectors import completeness

    today = timezone.localdate()
    scale = ensure_collaborators_dataset(today)
    form = ReportForm.objects.get(code="ctv-quy")
    quarters = _quarters(today)
    first, last = quarters[0], today
    country, officer = users["country"], users["province"]
    board = completeness(user=country, form=form, first=first, last=last)
    assert board.total.expected == scale["communes"] * QUARTERS, board.total.expected
    metrics = {}
    province_id = officer.scope_province_id
    for name, user, province in (("country", country, None), ("province", officer, province_id)):
        result = timed(lambda u=user: completeness(user=u, form=form, first=first, last=last), runs=30, warmup=3)
        base = timed(floor(first, last, province), runs=30, warmup=3)
        metrics[f"{name}_40_quarters_p95_ms"] = metric(result["p95"], "ms", "lower", target=200, floor=base["p95"])
        print(f"completeness {name}: p50 {result['p50']:.1f} / p95 {result['p95']:.1f} ms (floor {base['p95']:.1f})")
    client = Client()
    client.force_login(country)
    params = {"first": first.isoformat(), "last": last.isoformat()}
    assert client.get("/api/v1/completeness/", params).status_code == 200
    api = timed(lambda: client.get("/api/v1/completeness/", params), runs=30, warmup=3)
    metrics["country_40_quarters_api_p95_ms"] = metric(api["p95"], "ms", "lower", target=200)
    assert client.get("/collaborators/completeness/", params).status_code == 200
    page = timed(lambda: client.get("/collaborators/completeness/", params), runs=20, warmup=3)
    metrics["country_40_quarters_page_p95_ms"] = metric(page["p95"], "ms", "lower")
    print(f"completeness API: p95 {api['p95']:.1f} ms; page p95 {page['p95']:.1f} ms")
    write("collaborators-completeness", database, scale, metrics)
