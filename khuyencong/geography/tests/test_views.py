"""Pages and API of administrative units, including the scoped commune picker and bad input."""

import pytest
from django.urls import reverse

from khuyencong.geography.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user("provincial_officer", province="68"))
    return client


def test_pages_need_a_login(client):
    response = client.get(reverse("geography:unit_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get("/api/v1/geography/units/").status_code == 401


def test_unit_list_search_without_diacritics(officer_client, django_assert_max_num_queries):
    # session, user, count, rows, the scope's province, permissions ×2, session save ×3: no query per row
    with django_assert_max_num_queries(10):
        response = officer_client.get(reverse("geography:unit_list"), {"q": "dak lak", "level": "province"})
    assert response.status_code == 200
    assert "Tỉnh Đắk Lắk" in response.text
    assert [u.full_name for u in response.context["object_list"]] == ["Tỉnh Đắk Lắk"]


@pytest.mark.parametrize(
    ("era", "expected"),
    [
        ("current", ["Tỉnh Đắk Lắk"]),
        ("old", ["Tỉnh Đắk Lắk", "Tỉnh Đắk Nông"]),
        ("all", ["Tỉnh Đắk Lắk", "Tỉnh Đắk Lắk", "Tỉnh Đắk Nông"]),
    ],
)
def test_unit_list_by_period(officer_client, era, expected):
    response = officer_client.get(reverse("geography:unit_list"), {"q": "dak", "level": "province", "era": era})
    assert sorted(u.full_name for u in response.context["object_list"]) == expected


def test_unit_list_htmx_fragment(officer_client):
    response = officer_client.get(
        reverse("geography:unit_list"),
        {"q": "ha noi", "level": "province"},
        headers={"HX-Request": "true", "HX-Target": "object-list"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "Thành phố Hà Nội" in response.text


def test_unit_detail_shows_successors_and_history(officer_client):
    old = AdminUnit.objects.get(level="province", code="67", valid_to__isnull=False)  # Đắk Nông
    response = officer_client.get(reverse("geography:unit_detail", args=[old.pk]))
    assert response.status_code == 200
    assert "Tỉnh Lâm Đồng" in response.text and "30/06/2025" in response.text
    assert '<dd class="col-sm-7">Tỉnh</dd>' in response.text  # its type, not the "province" column label
    history = officer_client.get(reverse("geography:unit_history", args=[old.pk]))
    assert history.status_code == 200 and "Nạp dữ liệu đơn vị hành chính" in history.text


@pytest.mark.parametrize("pk", ["999999", "0"])
def test_unknown_unit_is_a_vietnamese_404(officer_client, pk):
    response = officer_client.get(f"/units/{pk}/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


def test_commune_picker_is_limited_to_the_users_scope(officer_client):
    url = reverse("geography:commune_picker")
    inside = officer_client.get(url, {"q": "duc trong"})
    assert "Xã Đức Trọng" in inside.text
    outside = officer_client.get(url, {"q": "ba dinh"})  # Phường Ba Đình is in Hà Nội
    assert "Phường Ba Đình" not in outside.text and "Không có xã, phường nào" in outside.text
    short = officer_client.get(url, {"q": "d"})
    assert "ít nhất hai chữ cái" in short.text


def test_commune_picker_for_the_whole_country(client, make_user):
    client.force_login(make_user("ministry_officer"))
    response = client.get(reverse("geography:commune_picker"), {"q": "ba dinh ha noi"})
    assert "Phường Ba Đình" in response.text


def test_api_list_filters_and_search(officer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # 34 rows with parents and provinces in one query
        data = officer_client.get("/api/v1/geography/units/", {"level": "province", "current": "true"}).json()
    assert data["count"] == 34
    data = officer_client.get("/api/v1/geography/units/", {"level": "province", "on": "2025-06-30"}).json()
    assert data["count"] == 63
    data = officer_client.get(
        "/api/v1/geography/units/", {"q": "dak lak", "level": "province", "current": "true"}
    ).json()
    assert [u["full_name"] for u in data["results"]] == ["Tỉnh Đắk Lắk"]


def test_api_unit_at_and_successors(officer_client):
    data = officer_client.get("/api/v1/geography/units/at/", {"code": "00004", "date": "15/03/2024"}).json()
    assert data["full_name"] == "Phường Trúc Bạch" and data["valid_to"] == "2025-06-30"
    successors = officer_client.get(f"/api/v1/geography/units/{data['id']}/successors/").json()
    assert successors and all(s["valid_to"] is None for s in successors)
    detail = officer_client.get(f"/api/v1/geography/units/{successors[0]['id']}/").json()
    assert detail["is_current"] is True


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"code": "99999", "date": "2025-08-01"}, 404, "unit_not_found"),
        ({"code": "001", "date": "2025-08-01"}, 404, "unit_not_valid_on_date"),
        ({"code": "01", "date": "32/13/2025"}, 400, "invalid"),
        ({"date": "2025-08-01"}, 400, "invalid"),
    ],
)
def test_api_bad_input_is_a_structured_vietnamese_error(officer_client, params, status, code):
    response = officer_client.get("/api/v1/geography/units/at/", params)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["message"]
    assert "not" not in body["message"].split()  # the message is Vietnamese


def test_api_unknown_unit_id(officer_client):
    response = officer_client.get("/api/v1/geography/units/99999999/")
    assert response.status_code == 404 and response.json()["code"] == "unit_not_found"
    assert officer_client.get("/api/v1/geography/units/abc/").status_code == 404
