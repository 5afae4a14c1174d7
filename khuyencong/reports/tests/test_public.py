"""The public pages: no login, only approved and completed projects, exactly the documented fields (checked one by
one) and nothing about persons or establishments, rate-limited."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from khuyencong.establishments.models import Establishment
from khuyencong.plans.tests.test_money import TY, _project_under_way
from khuyencong.projects.models import Beneficiary
from khuyencong.projects.selectors import PUBLIC_FIELDS
from khuyencong.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published():
    from khuyencong.projects.tests.factories import people

    cast = people()
    running = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    for establishment in Establishment.objects.filter(pk__in=running.beneficiaries.values("establishment")):
        establishment.owner_name, establishment.phone = "Nguyễn Thị Riêng Tư", "0912345678"
        establishment.email = "rieng.tu@example.vn"
        establishment.save()
    draft = make_project(cast["centre"], cast["_centre_org"], name="Đề án nháp không công bố")
    return cast, running, draft


def test_public_pages_show_only_published_projects_and_documented_fields(client, published):
    cast, running, draft = published
    page = client.get(reverse("public:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert running.code in text and draft.code not in text and "Đề án nháp không công bố" not in text
    assert "10.000.000.000 đ" in text
    data = json.loads(client.get(reverse("public:json")).content)
    assert tuple(data["fields"]) == PUBLIC_FIELDS
    assert [p["code"] for p in data["projects"]] == [running.code]
    row = data["projects"][0]
    assert tuple(row) == PUBLIC_FIELDS
    # Every public field, one by one: what it holds, and that it holds nothing about a person or an establishment.
    expected = {
        "code": running.code,
        "name": running.name,
        "plan_year": 2025,
        "end_year": 2025,
        "fund": "kcqg",
        "province": running.province.full_name,
        "contents": "",
        "implementing_organisation": running.implementing_org.name,
        "status": "Đang thực hiện",
        "state_funds_vnd": 10 * TY,
        "counterpart_vnd": running.budget_lines.get(source="counterpart").approved_vnd,
    }
    assert row == expected
    private = set()
    for b in Beneficiary.objects.filter(project=running).select_related("establishment"):
        e = b.establishment
        private |= {e.name, e.owner_name, e.phone, e.email, e.address, e.tax_code or ""}
    private |= {u.username for u in cast.values() if hasattr(u, "username")} | {"Thử Nghiệm"}
    exported = client.get(reverse("public:csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert tuple(rows[0]) == PUBLIC_FIELDS and rows[0]["code"] == running.code
    published_json = json.dumps(data, ensure_ascii=False)
    for secret in private - {""}:
        assert secret not in text and secret not in exported and secret not in published_json, secret
    docs = client.get(reverse("public:data")).content.decode()
    for field in PUBLIC_FIELDS:
        assert f"<code>{field}</code>" in docs, field
    # Filters.
    assert json.loads(client.get(reverse("public:json"), {"year": 2024}).content)["projects"] == []


def test_public_pages_are_rate_limited(client, published, settings):
    assert settings.KC_PUBLIC_RATE_PER_MINUTE == 60
    for _ in range(settings.KC_PUBLIC_RATE_PER_MINUTE):
        assert client.get(reverse("public:json")).status_code == 200
    refused = client.get(reverse("public:json"))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Quá nhiều" in refused.content.decode() or "Too many" in refused.content.decode()
