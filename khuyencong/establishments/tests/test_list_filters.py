"""The list as filtered on the page: the commune filter and picker, the search finding establishments by their
commune's name, and the export links, saved filter and URL following the filters set (htmx answers carry them)."""

import csv
import io

import pytest
from django.urls import reverse

from khuyencong.establishments.models import SavedFilter
from khuyencong.establishments.tests.factories import commune, make_establishment

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(officer):
    di_linh = commune("Xã Di Linh")
    return {
        "gom_duc_trong": make_establishment(officer, name="Cơ sở gốm Tân Phú"),
        "det_duc_trong": make_establishment(officer, name="Cơ sở dệt thổ cẩm"),
        "gom_di_linh": make_establishment(officer, name="Cơ sở gốm Di Linh Xưa", commune_recorded=di_linh),
        "che_di_linh": make_establishment(officer, name="Hợp tác xã chè", commune_recorded=di_linh),
    }


def _names(client, **params) -> set[str]:
    response = client.get(
        reverse("establishments:list"), params, headers={"HX-Request": "true", "HX-Target": "object-list"}
    )
    assert response.status_code == 200
    return {e.name for e in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("duc trong", {"gom_duc_trong", "det_duc_trong"}),
        ("xã Đức Trọng", {"gom_duc_trong", "det_duc_trong"}),
        ("gom duc trong", {"gom_duc_trong"}),
        ("gom", {"gom_duc_trong", "gom_di_linh"}),
        ("di linh", {"gom_di_linh", "che_di_linh"}),  # the name of one, the commune of both
        ("che di linh", {"che_di_linh"}),
        ("duc", set()),  # a part of a commune's name is not the commune
    ],
)
def test_the_search_finds_establishments_by_their_communes_name(client, officer, registry, query, expected):
    client.force_login(officer)
    names = _names(client, q=query)
    assert names == {registry[key].name for key in expected}


def test_the_commune_filter_has_a_picker_and_says_which_commune(client, officer, registry):
    client.force_login(officer)
    di_linh = commune("Xã Di Linh")
    response = client.get(reverse("establishments:list"), {"commune": di_linh.pk})
    html = response.content.decode()
    assert {e.name for e in response.context["object_list"]} == {"Cơ sở gốm Di Linh Xưa", "Hợp tác xã chè"}
    assert 'data-target-input="id_commune"' in html and "data-submit" in html
    assert "Xã Di Linh, Tỉnh Lâm Đồng" in html and 'data-testid="clear-commune"' in html


def test_htmx_answers_carry_the_export_links_and_the_saved_filter_of_the_filters_set(client, officer, registry):
    client.force_login(officer)
    response = client.get(
        reverse("establishments:list"),
        {"q": "gom", "province": "", "legal_form": "", "status": "", "sort": "name"},
        headers={"HX-Request": "true", "HX-Target": "object-list"},
    )
    html = response.content.decode()
    assert 'id="export-links" class="d-inline-flex gap-2" hx-swap-oob="true"' in html
    assert '/establishments/export/xlsx/?q=gom&amp;sort=name"' in html  # the empty fields left out
    assert 'id="saved-filter-query" value="q=gom&amp;sort=name" hx-swap-oob="true"' in html
    # the export holds exactly the rows shown
    shown = {e.name for e in response.context["object_list"]}
    export = client.get(reverse("establishments:export", args=["csv"]), {"q": "gom", "sort": "name"})
    text = (
        b"".join(export.streaming_content).decode("utf-8-sig")
        if export.streaming
        else export.content.decode("utf-8-sig")
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert {r[1] for r in rows[1:]} == shown == {"Cơ sở gốm Tân Phú", "Cơ sở gốm Di Linh Xưa"}
    # the saved filter reopens these filters
    client.post(reverse("establishments:filter_save"), {"name": "Gốm", "query": "q=gom&sort=name"})
    saved = SavedFilter.objects.get(user=officer, name="Gốm")
    page = client.get(reverse("establishments:list") + "?" + saved.query)
    assert {e.name for e in page.context["object_list"]} == shown


def test_the_filter_form_asks_the_list_path_not_the_current_url(client, officer):
    client.force_login(officer)
    html = client.get(reverse("establishments:list"), {"q": "gom"}).content.decode()
    assert 'hx-get="/establishments/"' in html
