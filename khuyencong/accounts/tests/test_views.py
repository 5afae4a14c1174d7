"""Organisations, the user's own page and the API: every view and endpoint keeps to the user's scope."""

import pytest
from django.urls import reverse

from khuyencong.accounts.tests.factories import org_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return {
        "68": org_in("68", name="Sở Công Thương tỉnh Lâm Đồng"),
        "01": org_in("01", name="Sở Công Thương Hà Nội"),
        "national": org_in(None, name="Cục Khuyến công", kind="ministry_agency"),
    }


@pytest.fixture
def officer(make_user):
    return make_user("provincial_officer", province="68")


def test_provincial_officer_sees_only_their_province(client, officer, orgs, django_assert_max_num_queries):
    client.force_login(officer)
    for _ in range(5):
        org_in("68")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:organisation_list"))
    assert "Sở Công Thương tỉnh Lâm Đồng" in response.text
    assert "Hà Nội" not in response.text and "Cục Khuyến công" not in response.text
    assert client.get(reverse("accounts:organisation_detail", args=[orgs["68"].pk])).status_code == 200


@pytest.mark.parametrize("name", ["organisation_detail", "organisation_history"])
@pytest.mark.parametrize("which", ["01", "national"])
def test_other_provinces_objects_are_404_in_views(client, officer, orgs, name, which):
    client.force_login(officer)
    response = client.get(reverse(f"accounts:{name}", args=[orgs[which].pk]))
    assert response.status_code == 404
    assert "nằm ngoài địa bàn" in response.text


@pytest.mark.parametrize("pk", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_malformed_or_unknown_ids_are_404(client, officer, pk):
    client.force_login(officer)
    assert client.get(f"/accounts/organisations/{pk}/").status_code == 404
    assert client.get(f"/api/v1/organisations/{pk}/").status_code == 404


def test_other_provinces_objects_are_404_in_the_api(client, officer, orgs, django_assert_max_num_queries):
    client.force_login(officer)
    for _ in range(5):
        org_in("68")
    with django_assert_max_num_queries(8):  # constant whatever the number of rows
        listed = client.get("/api/v1/organisations/").json()
    assert "Sở Công Thương tỉnh Lâm Đồng" in [o["name"] for o in listed["results"]]
    assert {o["province"]["code"] for o in listed["results"]} == {"68"}
    assert client.get(f"/api/v1/organisations/{orgs['68'].pk}/").status_code == 200
    for which in ("01", "national"):
        response = client.get(f"/api/v1/organisations/{orgs[which].pk}/")
        assert response.status_code == 404
        assert response.json() == {"code": "out_of_scope", "message": "Không tìm thấy, hoặc nằm ngoài địa bàn của bạn."}


def test_ministry_sees_every_province(client, make_user, orgs):
    client.force_login(make_user("ministry_officer"))
    assert client.get("/api/v1/organisations/").json()["count"] == 3
    for org in orgs.values():
        assert client.get(reverse("accounts:organisation_detail", args=[org.pk])).status_code == 200


def test_collaborator_only_reaches_their_communes(client, make_user, orgs):
    from khuyencong.geography.models import AdminUnit

    commune = AdminUnit.objects.filter(province__code="68", level="commune", valid_to__isnull=True).first()
    at_commune = org_in("68", name="UBND xã", kind="ubnd_xa", commune=commune)
    client.force_login(make_user("collaborator", communes=[commune]))
    assert [o["name"] for o in client.get("/api/v1/organisations/").json()["results"]] == ["UBND xã"]
    assert client.get(reverse("accounts:organisation_detail", args=[orgs["68"].pk])).status_code == 404
    assert client.get(reverse("accounts:organisation_detail", args=[at_commune.pk])).status_code == 200


def test_me_endpoint_and_page_show_the_scope(client, officer):
    client.force_login(officer)
    data = client.get("/api/v1/me/").json()
    assert data["role"] == "provincial_officer"
    assert data["scope"] == {
        "level": "province",
        "label": "Tỉnh Lâm Đồng",
        "province_codes": ["68"],
        "commune_codes": [],
    }
    page = client.get(reverse("accounts:profile"))
    assert "Tỉnh Lâm Đồng" in page.text and "Cán bộ cấp tỉnh" in page.text


def test_api_token_authentication(client, officer):
    from khuyencong.accounts import services

    token, key = services.api_token_create(user=officer, name="Báo cáo tự động", access="read")
    response = client.get("/api/v1/me/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200 and response.json()["username"] == officer.username
    assert client.get("/api/v1/me/", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    bad = client.get("/api/v1/me/", headers={"Authorization": "Token wrong"})
    assert bad.status_code == 401 and bad.json()["code"] == "not_authenticated"
    assert client.get("/api/v1/me/", headers={"Authorization": ""}).json() == {
        "code": "not_authenticated",
        "message": "Hãy đăng nhập, hoặc gửi mã API hợp lệ.",
    }


def test_api_paging_beyond_the_end(client, officer):
    client.force_login(officer)
    response = client.get("/api/v1/geography/units/", {"page": 999})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Trang kết quả này không tồn tại."}


def test_activity_log_is_for_administrators(client, make_user, orgs):
    client.force_login(make_user("provincial_officer"))
    assert client.get(reverse("core:activity_log")).status_code == 403
    admin = make_user("system_admin", with_totp=True)
    client.force_login(admin)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY

    session[DEVICE_ID_SESSION_KEY] = admin.totpdevice_set.first().persistent_id
    session.save()
    response = client.get(reverse("core:activity_log"), {"model": "accounts.organisation"})
    assert response.status_code == 200
    assert "Sở Công Thương Hà Nội" in response.text
    assert {row.model_label for row in response.context["page_obj"]} == {"Tổ chức"}
    assert "as of" not in response.text  # rows name the object, not the history record
    bad = client.get(reverse("core:activity_log"), {"date_from": "31/12/2026", "date_to": "01/01/2026"})
    assert "Ngày kết thúc trước ngày bắt đầu" in bad.text


def test_home_page_shows_the_map_data(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'id="province-map"' in response.text and "province-map-data" in response.text
    assert "3.321" in response.text  # total communes, Vietnamese grouping
    assert response.context["commune_total"] == 3321 and len(response.context["provinces"]) == 34


def test_vietnamese_first_whatever_the_browser_says(client):
    response = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Đăng nhập" in response.text and response.headers["Content-Language"] == "vi"
    client.cookies["django_language"] = "en"
    assert "Log in" in client.get("/accounts/login/").text
    client.cookies["django_language"] = "fr"
    assert "Đăng nhập" in client.get("/accounts/login/").text


def test_history_tab_shows_who_what_before_after_and_why(client, officer, make_user, orgs):
    org = orgs["68"]
    editor = make_user("provincial_approver", username="lanhdao.so")
    org.name = "Sở Công Thương Lâm Đồng (tên mới)"
    org._history_user = editor
    org._change_reason = "Đổi tên theo quyết định 12/QĐ-UBND"
    org.save()
    client.force_login(officer)
    response = client.get(reverse("accounts:organisation_history", args=[org.pk]))
    rows = response.context["history_page"].object_list
    assert [row.kind for row in rows] == ["~", "+"]
    change = rows[0]
    assert change.user == editor and change.reason == "Đổi tên theo quyết định 12/QĐ-UBND"
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("tên", "Sở Công Thương tỉnh Lâm Đồng", "Sở Công Thương Lâm Đồng (tên mới)")
    ]
    assert "<del>Sở Công Thương tỉnh Lâm Đồng</del> → <ins>Sở Công Thương Lâm Đồng (tên mới)</ins>" in response.text


def test_a_name_is_shown_as_written_family_name_first(client, db):
    """“Lê Thị Mai”, never “Mai Lê Thị”: the full name as typed, or for an account made with Django's first and last
    name, the family and middle names first."""
    from khuyencong.accounts.models import User

    typed = User(username="mai", full_name="  Lê  Thị Mai ")
    assert typed.get_full_name() == "Lê Thị Mai" and typed.get_short_name() == "Mai" and str(typed) == "Lê Thị Mai"
    legacy = User(username="quang", first_name="Quang", last_name="Vũ Minh")
    assert legacy.get_full_name() == "Vũ Minh Quang"
    from khuyencong.accounts.tests.factories import make_user

    user = make_user("provincial_officer", province="68", username="lamdong.mai")
    user.full_name = "Lê Thị Mai"
    user.save()
    client.force_login(user)
    page = client.get("/accounts/me/").content.decode()
    assert "Lê Thị Mai" in page and "Mai Lê Thị" not in page


def test_every_page_names_its_icon_and_favicon_ico_leads_to_it(client, db):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"].endswith("favicon.svg")
