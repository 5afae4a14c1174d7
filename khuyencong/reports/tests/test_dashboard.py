"""The dashboard for a ministry, a provincial and a collaborator user: each sees only its scope's figures, on the
page and in the API, and the page's cards are the API's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from khuyencong.establishments.tests.factories import commune
from khuyencong.plans.services import money_event_record
from khuyencong.plans.tests.test_money import TY, _accept, _project_under_way
from khuyencong.projects.models import Beneficiary
from khuyencong.projects.tests.factories import beneficiary_establishments, make_project

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world():
    from khuyencong.projects.tests.factories import people

    cast = people()
    year = timezone.localdate().year
    own = _project_under_way(cast, year=year, kc_vnd=10 * TY)  # a project of Lâm Đồng, in Xã Đức Trọng
    own.commune = commune("Xã Đức Trọng")
    own.save()
    own.targets.create(indicator_id="trainees", planned=30)
    own.targets.create(indicator_id="trainees_employed", planned=20)
    _accept(cast, own)
    money_event_record(user=cast["mofficer"], project_id=own.pk, kind="payment", source="khuyen_cong",
                       amount_vnd=3 * TY, occurred_on=timezone.localdate())  # fmt: skip
    # A project of Hà Nội that the Lâm Đồng users must not see.
    hanoi = cast["other_centre"]
    make_project(hanoi, hanoi.organisation, establishments=beneficiary_establishments(hanoi, 1, province="01"))
    return cast, own


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_each_role_sees_only_its_scope(client, world):
    cast, own = world
    year = timezone.localdate().year
    params = {"year_from": year, "year_to": year + 1}
    country = _api(cast["mofficer"]).get("/api/v1/dashboard/", params).json()
    province = _api(cast["so"]).get("/api/v1/dashboard/", params).json()
    collaborator = _api(cast["collaborator"]).get("/api/v1/dashboard/", params).json()
    assert country["projects"] == 2 and province["projects"] == 1 and collaborator["projects"] == 1
    assert {p["code"] for p in province["provinces"]} == {"68"}
    assert len(country["provinces"]) == 34
    assert collaborator["provinces"] == [] and collaborator["money"]["figures"]["disbursed_vnd"] == 0
    assert province["money"]["figures"]["disbursed_vnd"] == 3 * TY
    assert province["establishments_supported"] == Beneficiary.objects.filter(project=own).count() == 2
    hanoi = _api(cast["other_so"]).get("/api/v1/dashboard/", params).json()
    assert hanoi["projects"] == 1 and hanoi["money"]["figures"]["disbursed_vnd"] == 0
    # The page shows the API's cards.
    client.force_login(cast["so"])
    page = client.get(reverse("reports:dashboard"), params).content.decode()
    for key in ("disbursed", "projects", "establishments", "leverage"):
        assert f'data-testid="card-{key}">{province["cards"][key]}<' in page, key
    assert "Thành phố Hà Nội" not in page
    # Drill-down to the communes of the province.
    page = client.get(reverse("reports:dashboard"), {**params, "province": own.province_id}).content.decode()
    assert 'data-testid="commune-map"' in page and "Xã Đức Trọng" in page
