"""Review: the same write sent six times at once, on real connections (one per thread). Meaningful on PostgreSQL
(SQLite's IMMEDIATE transactions serialise every writer):

    .venv/bin/python -m pytest -q -p no:xdist --ds=PostgreSQL (DATABASE_URL) tests/review/test_review_concurrency.py
"""

import datetime
from collections import Counter
from typing import Any

import pytest
from django.test import Client

from tests.concurrency import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user: Any) -> Client:
    from tests.conftest import login

    return login(Client(raise_request_exception=False), type(user).objects.get(pk=user.pk))


@pytest.fixture
def committed_world(transactional_db):
    from django.utils import translation

    from tests.world import build_world

    with translation.override("vi"):
        return build_world()


def _statuses(results: list[Any]) -> Counter:
    return Counter(r if isinstance(r, int) else type(r).__name__ for r in results)


def test_six_writes_at_once(committed_world):
    world = committed_world
    problems: dict[str, Counter] = {}

    # 1. six new projects of the same fund, year and province: each gets "the next code" computed as max + 1.
    officer = world.users["officer"]
    body = _client(officer).get(f"/api/v1/projects/{world.own['draft_project'].pk}/").json()
    body["content_ids"] = body.pop("contents")
    for row in body["beneficiaries"]:
        row.pop("id", None)
    clients = [_client(officer) for _ in range(6)]

    def create_project(i: int) -> int:
        payload = {**body, "name": f"Đề án song song {i}"}
        return clients[i].post("/api/v1/projects/", payload, content_type="application/json").status_code

    got = _statuses(in_threads(6, create_project))
    if any(k not in (201, 400, 409) for k in got):
        problems["six project creations (same fund/year/province)"] = got

    # 2. six establishments with the same tax code.
    clients = [_client(officer) for _ in range(6)]

    def create_taxed(i: int) -> int:
        return clients[i].post(
            "/api/v1/establishments/",
            {"name": f"Công ty song song {i}", "legal_form": "htx", "tax_code": "0312345678",
             "commune_recorded": world.own["commune"].pk},
            content_type="application/json",
        ).status_code  # fmt: skip

    got = _statuses(in_threads(6, create_taxed))
    if any(k not in (201, 400, 409) for k in got) or got.get(201, 0) != 1:
        problems["six establishments with one tax code"] = got

    # 3. six local plans of the same year and province (the Department officer).
    so = world.users["so"]
    clients = [_client(so) for _ in range(6)]
    year = datetime.date.today().year + 2

    def create_plan(i: int) -> int:
        return clients[i].post(
            "/api/v1/plans/",
            {"fund": "kcdp", "year": year, "province": world.own["province"].pk, "title": f"Kế hoạch {i}",
             "total_vnd": 1000, "decision_number": f"{i}/QĐ", "decision_date": datetime.date.today().isoformat(),
             "signer": "Chủ tịch"},
            content_type="application/json",
        ).status_code  # fmt: skip

    got = _statuses(in_threads(6, create_plan))
    if any(k not in (201, 400, 409) for k in got) or got.get(201, 0) != 1:
        problems["six plans of one fund/year/province"] = got

    # 4. six saves of the same year's figures of one establishment (the page's year form).
    clients = [_client(officer) for _ in range(6)]
    record = world.own["establishment"]

    def add_year(i: int) -> int:
        return (
            clients[i]
            .post(f"/establishments/{record.pk}/years/add/", {"year": 2019, "revenue_vnd": 1000 + i, "employees": i})
            .status_code
        )

    got = _statuses(in_threads(6, add_year))
    if any(k != 302 for k in got):
        problems["six saves of one year's figures"] = got

    # 5. six identical money events (a double-clicked payment): how many are recorded?
    from khuyencong.plans.models import MoneyEvent

    mofficer = world.users["mofficer"]
    clients = [_client(mofficer) for _ in range(6)]
    project = world.own["project"]
    before = MoneyEvent.objects.filter(project=project).count()

    def pay(i: int) -> int:
        return clients[i].post(
            "/api/v1/money-events/",
            {"project": project.pk, "kind": "payment", "source": "khuyen_cong", "amount_vnd": 1_000_000,
             "occurred_on": datetime.date.today().isoformat(), "reference": "UNC-0001"},
            content_type="application/json",
        ).status_code  # fmt: skip

    got = _statuses(in_threads(6, pay))
    recorded = MoneyEvent.objects.filter(project=project).count() - before
    if any(k not in (201, 400, 409) for k in got):
        problems["six identical payments"] = got
    print(f"six identical payments (same reference UNC-0001): {recorded} recorded, statuses {got}")

    # 6. six suspensions of the same project at once (the ministry approver, verified session).
    from khuyencong.projects.models import Transition

    mapprover = world.users["mapprover"]
    clients = [_client(mapprover) for _ in range(6)]
    before = Transition.objects.filter(project=project, name="suspend").count()

    def suspend(i: int) -> int:
        return clients[i].post(
            f"/api/v1/projects/{project.pk}/steps/suspend/",
            {"reason": "Tạm dừng", "decision_number": f"{i}/QĐ",
             "decision_signed_on": datetime.date.today().isoformat(), "decision_signer": "Bộ trưởng"},
            content_type="application/json",
        ).status_code  # fmt: skip

    got = _statuses(in_threads(6, suspend))
    taken = Transition.objects.filter(project=project, name="suspend").count() - before
    if taken != 1 or any(k not in (201, 409) for k in got):
        problems["six suspensions"] = got

    # 7. six API tokens at once when the account holds 19 (the limit is 20).
    from khuyencong.accounts.models import ApiToken
    from khuyencong.accounts.services import api_token_create

    so_user = type(so).objects.get(pk=so.pk)
    so_user.is_verified = lambda: False
    for n in range(19 - ApiToken.objects.filter(user=so).count()):
        api_token_create(user=so_user, name=f"t{n}", access="read")
    clients = [_client(so) for _ in range(6)]

    def make_token(i: int) -> int:
        return (
            clients[i]
            .post("/accounts/me/tokens/", {"name": f"song song {i}", "access": "read", "days": 30})
            .status_code
        )

    got = _statuses(in_threads(6, make_token))
    live = ApiToken.objects.filter(user=so, revoked_at__isnull=True).count()
    if live != 20 or any(k not in (200, 400, 409) for k in got):
        problems["six tokens at the limit"] = Counter({**got, f"live={live}": 1})

    for what, counts in problems.items():
        print(f"PROBLEM {what}: {dict(counts)}")
    assert not problems, problems
