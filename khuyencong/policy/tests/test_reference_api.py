"""Reference data over the API (regions, legal documents, activity contents, support items) and contents offered
once in the lists, as the wording in force on the date, with their legal basis as a hint."""

import re

import pytest

from khuyencong.accounts.choices import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.policy.models import ActivityContent

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = make_user(Role.PROVINCIAL_OFFICER, province="68")
    client.force_login(user)
    return user


def _all(client, url, **params):
    rows, page = [], client.get(url, params).json()
    while True:
        rows += page["results"]
        if not page.get("next"):
            return rows
        page = client.get(page["next"]).json()


def test_every_id_the_other_endpoints_take_can_be_looked_up(client, officer):
    contents = _all(client, "/api/v1/policy/contents/")
    assert len(contents) == ActivityContent.objects.count() == 18  # 4.1–4.9 in the 2012 and 2025 wordings
    in_2026 = _all(client, "/api/v1/policy/contents/", on="2026-01-01")
    assert sorted(c["code"] for c in in_2026) == [f"4.{n}" for n in range(1, 10)]
    assert all(c["legal_document"]["number"] == "235/2025/NĐ-CP" and c["valid_from"] == "2025-10-15" for c in in_2026)
    in_2020 = _all(client, "/api/v1/policy/contents/", on="2020-05-01", code="4.5")
    assert [(c["code"], c["valid_to"], c["basis"]) for c in in_2020] == [
        ("4.5", "2025-10-14", "Nghị định 45/2012/NĐ-CP, Điều 4")
    ]
    regions = _all(client, "/api/v1/geography/regions/", kind="socio_economic")
    highlands = next(r for r in regions if r["code"] == "kt-xh-tay-nguyen")
    today = {m["province"]["code"] for m in highlands["memberships"] if m["valid_to"] is None}
    assert {"52", "66", "68"} <= today
    documents = _all(client, "/api/v1/policy/legal-documents/", number="45/2012")
    assert [d["number"] for d in documents] == ["45/2012/NĐ-CP"]
    items = _all(client, "/api/v1/policy/support-items/", content_code="4.3")
    assert {i["code"] for i in items} == {"b1", "b2", "c"}
    detail = client.get(f"/api/v1/policy/contents/{in_2026[0]['id']}/")
    assert detail.status_code == 200 and detail.json()["id"] == in_2026[0]["id"]
    assert client.get("/api/v1/policy/contents/999999/").status_code == 404
    assert client.post("/api/v1/policy/contents/", {}).status_code in (403, 405)


def _select(page: str) -> str:
    found = re.search(r'<select name="content".*?</select>', page, re.S)
    assert found is not None
    return found.group(0)


def test_a_content_is_offered_once_as_worded_on_the_date_with_its_basis(client, officer):
    page = client.get("/plans/progress/", {"as_of": "01/03/2024"}).content.decode()
    select = _select(page)
    options = re.findall(r'<option value="(\d+)"[^>]*title="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert [label.split(".")[0] + "." + label.split(".")[1][:1] for _v, _t, label in options] == [
        f"4.{n}" for n in range(1, 10)
    ]
    assert {title for _v, title, _l in options} == {"Nghị định 45/2012/NĐ-CP, Điều 4"}
    later = client.get("/plans/progress/", {"as_of": "01/03/2026"}).content.decode()
    assert "235/2025/NĐ-CP" in _select(later)
    projects = client.get("/projects/").content.decode()
    codes = re.findall(r">(4\.\d)\. ", _select(projects))
    assert codes == [f"4.{n}" for n in range(1, 10)]
