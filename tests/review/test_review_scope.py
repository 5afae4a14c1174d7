# mypy: disable-error-code="union-attr"
"""Review: what one province's users learn or change of another province's records through the values of a body
or a query (not the ids of the URL, which the scope matrix covers).

    .venv/bin/python -m pytest -q -p no:xdist tests/review/test_review_scope.py
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db


def _client(user):
    return login(Client(raise_request_exception=False), user)


@pytest.fixture
def their_taxed(world):
    """A Hà Nội cooperative with a tax code and an owner's name (made by Hà Nội's own officer)."""
    from khuyencong.accounts.models import User
    from khuyencong.establishments.services import establishment_create

    hanoi_officer = User.objects.filter(role="provincial_officer", scope_province__code="01").first()
    return establishment_create(
        user=hanoi_officer,
        data={"name": "Công ty TNHH Gốm Bát Tràng Bí Mật", "legal_form": "htx", "tax_code": "0101234567",
              "commune_recorded": world.other["commune"], "owner_name": "Phạm Văn Kín", "phone": "02431112222"},
    )  # fmt: skip


def test_tax_code_of_another_province_reveals_its_name_and_id_over_the_api(world, their_taxed):
    """Lâm Đồng's officer POSTs a new establishment of Lâm Đồng with the tax code of a Hà Nội cooperative."""
    client = _client(world.users["officer"])
    response = client.post(
        "/api/v1/establishments/",
        {"name": "Thử", "legal_form": "htx", "tax_code": "0101234567", "commune_recorded": world.own["commune"].pk},
        content_type="application/json",
    )
    body = response.content.decode()
    print("API:", response.status_code, body)
    assert their_taxed.name not in body and str(their_taxed.pk) not in body, (response.status_code, body)


def test_tax_code_of_another_province_reveals_its_name_on_the_page(world, their_taxed):
    client = _client(world.users["officer"])
    response = client.post(
        reverse("establishments:create"),
        {"name": "Thử", "legal_form": "htx", "tax_code": "0101234567", "commune_recorded": world.own["commune"].pk,
         "status": "active", "source": "manual"},
    )  # fmt: skip
    body = response.content.decode()
    assert their_taxed.name not in body and f"/establishments/{their_taxed.pk}/" not in body, response.status_code


def test_a_collaborator_learns_names_outside_their_communes_by_tax_code(world):
    """The same oracle inside one province: a collaborator (two communes) names the record of a commune they do
    not cover."""
    from khuyencong.core.history import update_with_history
    from khuyencong.establishments.models import Establishment

    outside = world.own["establishment_outside"]
    update_with_history(Establishment.objects.filter(pk=outside.pk), user=world.users["officer"],
                        tax_code="0209999999")  # fmt: skip
    client = _client(world.users["collaborator"])
    response = client.post(
        "/api/v1/establishments/",
        {"name": "Thử", "legal_form": "htx", "tax_code": "0209999999", "commune_recorded": world.own["commune"].pk},
        content_type="application/json",
    )
    body = response.content.decode()
    assert outside.name not in body, (response.status_code, body)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/completeness/?first=0001-01-01",
        "/api/v1/expected-reports/?first=0001-01-01",
        "/api/v1/completeness/?form=ctv-thang&first=0001-01-01",
    ],
)
def test_a_period_range_of_two_thousand_years(world, url):
    """A provincial officer asks for completeness from year 1: how long does one request take?"""
    client = _client(world.users["officer"])
    started = time.monotonic()
    response = client.get(url)
    elapsed = time.monotonic() - started
    assert response.status_code < 500, (response.status_code, response.content[:300])
    assert elapsed < 5, f"{url}: {elapsed:.1f} s for a handful of communes ({response.status_code})"


def _region_of(province_code):
    from khuyencong.geography.models import RegionMembership

    return (
        RegionMembership.objects.filter(province__code=province_code, province__valid_to__isnull=True)
        .values_list("region_id", flat=True)
        .first()
    )


@pytest.mark.parametrize("url", ["/api/v1/plan-vs-actual/", "/api/v1/dashboard/"])
def test_a_region_of_the_other_province(world, url):
    """Lâm Đồng's officer asks the figures of Hà Nội's region (region is reference data, not scoped)."""
    import json

    region = _region_of("01")
    own_region = _region_of("68")
    assert region and region != own_region
    client = _client(world.users["officer"])
    theirs = client.get(url, {"region": region})
    print(url, theirs.status_code, json.dumps(theirs.json(), ensure_ascii=False)[:1500])
    body = theirs.content.decode()
    assert "Hà Nội" not in body or theirs.status_code >= 400


@pytest.mark.parametrize("role", ["collaborator", "representative"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plan-vs-actual/",
        "/api/v1/dashboard/",
        "/api/v1/completeness/",
        "/api/v1/expected-reports/",
        "/api/v1/projects/",
        "/api/v1/money-events/",
        "/api/v1/organisations/",
        "/api/v1/collaborators/",
        "/api/v1/submissions/",
    ],
)
def test_narrow_roles_see_only_their_part(world, role, url):
    """A collaborator (two communes) and a representative (one establishment) ask province-wide figures; the
    project under way of Lâm Đồng (no commune) and its 100.000.000 đ advance are outside both scopes."""
    import json

    project = world.own["project"]
    client = _client(world.users[role])
    response = client.get(url)
    body = json.dumps(response.json(), ensure_ascii=False)
    print(role, url, response.status_code, body[:600])
    assert project.code not in body and project.name not in body
    assert "100000000" not in body and "100.000.000" not in body, f"{role} sees the province's money through {url}"


def test_import_report_points_at_another_provinces_record_by_phone(world):
    """A Lâm Đồng officer imports a row whose phone is that of a Hà Nội establishment: the dry-run report marks
    it "possible duplicate" with a link to the Hà Nội record's id (a phone-number oracle across provinces)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from khuyencong.establishments.models import ImportBatch

    theirs = world.other["establishment"]
    commune = world.own["commune"]
    body = (
        f"Tên cơ sở,Loại hình,Mã xã,Điện thoại\nCơ sở khác hẳn,Hộ kinh doanh,{commune.code},{theirs.phone}\n".encode()
    )
    client = _client(world.users["officer"])
    client.post(reverse("establishments:import"), {"file": SimpleUploadedFile("co-so.csv", body)})
    batch = ImportBatch.objects.filter(user=world.users["officer"]).order_by("-created_at").first()
    page = client.get(reverse("establishments:import_batch", args=[batch.pk])).content.decode()
    assert f"/establishments/{theirs.pk}/" not in page, (
        f"the report links Hà Nội's record #{theirs.pk} (same phone {theirs.phone})"
    )
