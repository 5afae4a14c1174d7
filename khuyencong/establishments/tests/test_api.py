"""The registry API: the list page's filters, scoped reads, writes through the services, stale versions."""

import pytest

from khuyencong.establishments.tests.factories import commune, make_establishment

pytestmark = pytest.mark.django_db


def test_list_filters_like_the_page(client, officer, django_assert_max_num_queries):
    for n in range(5):
        make_establishment(officer, name=f"Hợp tác xã mây tre {n}", legal_form="htx")
    make_establishment(officer, name="Hộ kinh doanh Lan")
    client.force_login(officer)
    # constant: session, user, scope, the communes the words may name, count, rows, session save
    with django_assert_max_num_queries(9):
        data = client.get("/api/v1/establishments/", {"legal_form": "htx", "q": "may tre"}).json()
    assert data["count"] == 5
    assert [r["name"] for r in data["results"]] == [f"Hợp tác xã mây tre {n}" for n in range(5)]
    bad = client.get("/api/v1/establishments/", {"size": "huge"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and "size" in bad.json()["errors"]


def test_create_update_and_conflict(client, officer):
    client.force_login(officer)
    payload = {"name": "Cơ sở rèn Đa Sỹ", "legal_form": "ho_kinh_doanh", "commune_recorded": commune("Xã Đức Trọng").pk}
    created = client.post("/api/v1/establishments/", payload, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["province"]["code"] == "68" and body["version"] == 1
    url = f"/api/v1/establishments/{body['id']}/"
    updated = client.patch(url, {"employees_total": 7, "version": 1}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = client.patch(url, {"employees_total": 9, "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version" and stale.json()["changes"][0]["new"] == "7"


def test_bad_writes_are_structured_errors(client, officer):
    client.force_login(officer)
    bad_tax = client.post(
        "/api/v1/establishments/",
        {"name": "X", "legal_form": "dn_nho", "tax_code": "12", "commune_recorded": commune("Xã Đức Trọng").pk},
        content_type="application/json",
    )
    assert bad_tax.status_code == 400 and bad_tax.json()["field"] == "tax_code"
    outside = client.post(
        "/api/v1/establishments/",
        {"name": "X", "legal_form": "ho_kinh_doanh", "commune_recorded": commune("Phường Ba Đình", "01").pk},
        content_type="application/json",
    )
    assert outside.status_code == 404 and outside.json()["code"] == "out_of_scope"
    unknown = client.post(
        "/api/v1/establishments/",
        {"name": "X", "legal_form": "ho_kinh_doanh", "commune_recorded": 99999999},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "99999999" in str(unknown.json()["errors"])


def test_read_only_auditor_cannot_write(client, make_user, officer):
    auditor = make_user("auditor", province=None)
    e = make_establishment(officer)
    client.force_login(auditor)
    assert client.get(f"/api/v1/establishments/{e.pk}/").status_code == 200
    response = client.patch(f"/api/v1/establishments/{e.pk}/", {"name": "Y"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
