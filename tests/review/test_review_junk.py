"""Review: junk bodies, junk file names and junk JSON that the generated sweeps do not send (they send query
parameters, empty POSTs and schemathesis' bodies). Run on both databases:

    .venv/bin/python -m pytest -q -p no:xdist tests/review/test_review_junk.py
    .venv/bin/python -m pytest -q -p no:xdist --ds=PostgreSQL (DATABASE_URL) tests/review/test_review_junk.py
"""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.world import PDF

pytestmark = pytest.mark.django_db


def _client(user):
    return login(Client(raise_request_exception=False), user)


def _no_5xx(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code} {response.content[:300]!r}"


def test_nul_in_a_form_encoded_patch_body(world):
    """PATCH /api/v1/establishments/{id}/ as application/x-www-form-urlencoded with a NUL in the name (the NUL
    middleware cleans POST forms and JSON, not PUT/PATCH forms)."""
    record = world.own["establishment"]
    record.refresh_from_db()
    client = _client(world.users["officer"])
    response = client.patch(
        f"/api/v1/establishments/{record.pk}/",
        urlencode({"name": "Hợp tác xã\x00 NUL", "version": record.version}),
        content_type="application/x-www-form-urlencoded",
    )
    _no_5xx(response, "form-encoded PATCH with NUL")
    record.refresh_from_db()
    assert "\x00" not in record.name


def test_nul_in_a_multipart_put_body(world):
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    record = world.own["establishment_outside"]
    record.refresh_from_db()
    client = _client(world.users["officer"])
    body = encode_multipart(
        "BoUnDaRy",
        {"name": "Cơ sở\x00chè", "legal_form": record.legal_form, "commune_recorded": record.commune_recorded_id,
         "version": record.version},
    )  # fmt: skip
    response = client.put(
        f"/api/v1/establishments/{record.pk}/", body, content_type=MULTIPART_CONTENT.replace("BoUnDaRy", "BoUnDaRy")
    )
    _no_5xx(response, "multipart PUT with NUL")
    record.refresh_from_db()
    assert "\x00" not in record.name


@pytest.mark.parametrize("name", ["quyet\x00dinh.pdf", "\u202egpj.pdf", "../../../etc/passwd.pdf", "a" * 5 + "\x00"])
def test_document_file_names(world, name):
    client = _client(world.users["officer"])
    response = client.post(
        reverse("projects:document_upload", args=[world.own["project"].pk]),
        {"kind": "other", "file": SimpleUploadedFile(name, PDF, content_type="application/pdf")},
    )
    _no_5xx(response, f"document named {name!r}")
    document = world.own["project"].documents.order_by("-pk").first()
    assert "\x00" not in document.original_name and "/" not in document.original_name
    assert "\u202e" not in document.original_name, f"stored name keeps an RTL override: {document.original_name!r}"


def test_document_file_name_with_nul_over_the_api(world):
    client = _client(world.users["officer"])
    response = client.post(
        f"/api/v1/projects/{world.own['project'].pk}/documents/",
        {"kind": "other", "file": SimpleUploadedFile("qd\x00.pdf", PDF, content_type="application/pdf")},
    )
    _no_5xx(response, "API document named with a NUL")


@pytest.mark.parametrize("name", ["co-so\x00.csv", "\u202evsc.csv", "../../x.csv"])
def test_import_file_names(world, name):
    commune = world.own["commune"]
    body = f"Tên cơ sở,Loại hình,Mã xã\nCơ sở tên lạ,Hộ kinh doanh,{commune.code}\n".encode()
    client = _client(world.users["officer"])
    response = client.post(reverse("establishments:import"), {"file": SimpleUploadedFile(name, body)})
    _no_5xx(response, f"import named {name!r}")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 50_000 + "]" * 50_000,
        '{"changes": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}",
    ],
    ids=["nested-array", "nested-object"],
)
def test_deeply_nested_json(world, body):
    client = _client(world.users["officer"])
    response = client.post(
        f"/api/v1/projects/{world.own['project'].pk}/steps/request_adjustment/", body, content_type="application/json"
    )
    _no_5xx(response, "deeply nested JSON")


@pytest.mark.parametrize(
    "payload",
    [
        {"latitude": 1e308, "longitude": 1e308},
        {"employees_total": 1e20},
        {"employees_total": True},
        {"name": ["a", "b"]},
        {"name": {"a": 1}},
        {"craft_village": [1, 2]},
        {"craft_village": {"id": 1}},
        {"commune_recorded": 1.5},
        {"commune_recorded": "1e3"},
        {"version": "²"},
        {"status_since": "0000-00-00"},
        {"status_since": "9999-12-31"},
        {"email": "a@" + "b" * 300 + ".vn"},
        {"owner_gender": "x" * 100},
        {"source": "x" * 100},
        {"import_key": "x" * 300},
        {"main_products": "x" * 100_000},
        {"phone": "0" * 30},
    ],
)
def test_establishment_patch_with_wrong_types(world, payload):
    record = world.own["establishment"]
    record.refresh_from_db()
    client = _client(world.users["officer"])
    response = client.patch(
        f"/api/v1/establishments/{record.pk}/", {**payload, "version": record.version}, content_type="application/json"
    )
    _no_5xx(response, f"PATCH {payload!r:.80}")


@pytest.mark.parametrize(
    "changes",
    [
        {"commune": "²"},
        {"commune": 2**70},
        {"commune": [1]},
        {"commune": {"x": 1}},
        {"end_year": 10**30},
        {"end_year": [2030]},
        {"location": ["x"]},
        {"objectives": {"a": "b"}},
        {"scale": None},
    ],
)
def test_request_adjustment_changes_of_every_type(world, changes):
    client = _client(world.users["officer"])
    response = client.post(
        f"/api/v1/projects/{world.own['project'].pk}/steps/request_adjustment/",
        {"reason": "Điều chỉnh", "scale": "major", "changes": changes},
        content_type="application/json",
    )
    _no_5xx(response, f"request_adjustment {changes!r}")


@pytest.mark.parametrize(
    "payload",
    [
        {"approved": {"1": "Infinity"}},
        {"approved": {"x" * 1000: 1}},
        {"approved": {"9" * 30: 1}},
        {"settled": {"1": -1}},
        {"achieved": {"trainees": 10**30}},
        {"achieved": "abc"},
        {"changes": "abc"},
        {"decision_document": 2**70},
        {"decision_document": "abc"},
        {"expected_version": 2**70},
        {"decision_signed_on": "31/02/2026"},
        {"decision_signed_on": "0001-01-01"},
    ],
)
def test_step_bodies(world, payload):
    client = _client(world.users["mofficer"])
    for step in ("assign", "accept", "settle", "suspend"):
        response = client.post(
            f"/api/v1/projects/{world.own['project'].pk}/steps/{step}/", payload, content_type="application/json"
        )
        _no_5xx(response, f"{step} {payload!r}")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/establishments/?province=1&province=2",
        "/api/v1/establishments/?page=99999999999999999999999",
        "/api/v1/establishments/?page=-1",
        "/api/v1/establishments/?page_size=1000000",
        "/api/v1/projects/?year=2026&year=2027",
        "/api/v1/projects/?implementing_org=not-a-uuid",
        "/api/v1/projects/?content=1&content=x",
        "/api/v1/submissions/?status=%00",
        "/api/v1/submissions/?form=" + "x" * 10000,
        "/api/v1/completeness/?first=2026-02-30",
        "/api/v1/completeness/?first=9999-12-31&last=0001-01-01",
        "/api/v1/completeness/?first=2026-01-01&last=2025-01-01",
        "/api/v1/expected-reports/?form=khong-co",
        "/api/v1/geography/units/at/?date=0000-01-01",
        "/api/v1/geography/units/at/?lat=1e308&lng=1e308",
        "/api/v1/plan-vs-actual/?as_of=31/12/9999",
        "/api/v1/plan-vs-actual/?as_of=01/01/0001",
        "/api/v1/dashboard/?year_from=1990&year_to=2100",
        "/api/v1/money-events/?project=1&project=2",
        "/reports/pivot/?rows=province&cols=year&measure=" + "x" * 1000,
        "/reports/pivot.xlsx?rows=commune&cols=commune",
        "/plans/progress.xlsx?as_of=01/01/0001",
        "/plans/progress/?as_of=01/01/0001",
        "/reports/?as_of=01/01/0001",
        "/api/v1/dashboard/?as_of=01/01/0001",
        "/plans/progress/?as_of=31/12/9999",
        "/reports/?as_of=31/12/9999",
        "/units/communes/find/?q=" + "%" * 500,
        "/units/communes/picker/?q=%25%5F%5C",
        "/projects/establishments/?q=%25&province=1&province=2",
        "/activity/?user=%00&model=x&since=0001-01-01",
    ],
)
def test_junk_queries(world, url):
    client = _client(world.users["mofficer"])
    response = client.get(url)
    _no_5xx(response, url)


@pytest.mark.parametrize("value", ["9" * 35, "99999999999999999999999999,5", 1e308, 1e30, "1" + "0" * 39])
def test_coordinates_with_many_digits(world, value):
    """latitude/longitude go through core.parsing.parse_decimal, whose quantize overflows Decimal's 28 digits."""
    record = world.own["establishment"]
    record.refresh_from_db()
    client = _client(world.users["officer"])
    response = client.patch(
        f"/api/v1/establishments/{record.pk}/",
        {"latitude": value, "version": record.version},
        content_type="application/json",
    )
    _no_5xx(response, f"API latitude {value!r}")


@pytest.mark.parametrize("value", ["9" * 35, "99999999999999999999999999,5", "1" + "0" * 39])
def test_coordinates_with_many_digits_on_the_page(world, value):
    client = _client(world.users["officer"])
    if True:
        response = client.post(
            reverse("establishments:create"),
            {"name": "Tọa độ", "legal_form": "ho_kinh_doanh", "commune_recorded": world.own["commune"].pk,
             "status": "active", "source": "manual", "latitude": value, "longitude": "108"},
        )  # fmt: skip
        _no_5xx(response, f"page latitude {value!r}")


@pytest.mark.parametrize("query", ["q=a\r\nSet-Cookie: x=1", "q=a\nb", "q=" + "x" * 1990])
def test_saved_filter_query_with_a_line_break(world, query):
    """POST /establishments/filters/save/ copies the hidden `query` field into the redirect's Location."""
    client = _client(world.users["officer"])
    response = client.post(reverse("establishments:filter_save"), {"name": "Lọc", "query": query})
    _no_5xx(response, f"saved filter with query {query[:30]!r}")
    assert "\n" not in response.get("Location", "")


def test_saved_filter_name_too_long_and_invalid_form(world):
    client = _client(world.users["officer"])
    response = client.post(reverse("establishments:filter_save"), {"name": "", "query": "a\r\nb"})
    _no_5xx(response, "invalid saved filter form with a line break in the query")


def test_survey_campaign_from_year_1_to_9999(world):
    """The province opens a survey from 01/01/0001 to 31/12/9999 (the form takes any date), then the survey pages
    are opened by the officer and the collaborator."""
    from khuyencong.collaborators.models import SurveyCampaign

    officer = _client(world.users["officer"])
    response = officer.post(
        reverse("collaborators:surveys"),
        {"title": "Khảo sát dài", "form": world.own["campaign"].form_id, "communes": [world.own["commune"].pk],
         "opens_on": "0001-01-01", "closes_on": "9999-12-31", "year": 2025},
    )  # fmt: skip
    _no_5xx(response, "campaign 0001–9999")
    campaign = SurveyCampaign.objects.filter(title="Khảo sát dài").first()
    if campaign is None:
        return
    collaborator = _client(world.users["collaborator"])
    for client in (officer, collaborator):
        for url in (
            reverse("collaborators:survey", args=[campaign.pk]),
            "/",
            reverse("collaborators:survey_respond", args=[campaign.pk, world.own["commune"].pk]),
        ):
            _no_5xx(client.get(url), url)


@pytest.mark.parametrize("period", ["9999-10-01", "0001-01-01", "2026-02-30", "9999-12-31"])
def test_collaborator_report_of_an_extreme_period(world, period):
    client = _client(world.users["collaborator"])
    url = f"/collaborators/reports/ctv-quy/{world.own['commune'].pk}/{period}/"
    _no_5xx(client.get(url), url)
    _no_5xx(client.post(url, {"action": "draft"}), url)


@pytest.mark.parametrize("role", ["officer", "collaborator", "so", "approver", "auditor", "mofficer"])
def test_survey_list_page(world, role):
    """GET /collaborators/surveys/ with the world's campaign and its one response (an existing establishment)."""
    response = _client(world.users[role]).get(reverse("collaborators:surveys"))
    _no_5xx(response, f"survey list as {role}")


@pytest.mark.parametrize(
    "values",
    [
        {"establishments_total": {"a": 1}},
        {"establishments_total": [1, 2]},
        {"establishments_total": 1e308},
        {"establishments_total": 10**30},
        {"workers": "١٢"},
        {"by_industry": "abc"},
        {"by_industry": [1, 2, 3]},
        {"by_industry": [{"industry": {"x": 1}, "establishments": [1]}]},
        {"by_industry": [{"industry": "a"}] * 5000},
        {"support_needs": [{"need": ["x"], "estimated_cost_vnd": {"a": 1}}]},
        {"x" * 1000: "y"},
    ],
)
def test_collaborator_report_values_of_every_type(world, values):
    client = _client(world.users["collaborator"])
    commune = world.own["commune"]
    from khuyencong.collaborators.tests.factories import last_quarter

    for action in ("draft", "submit"):
        response = client.post(
            f"/api/v1/submissions/{action}/",
            {"form": "ctv-quy", "commune": commune.pk, "period": last_quarter().isoformat(), "values": values,
             "submit_key": "probe"},
            content_type="application/json",
        )  # fmt: skip
        _no_5xx(response, f"{action} {str(values)[:60]}")


@pytest.mark.parametrize(
    "values",
    [
        {"employees": {"a": 1}},
        {"employees": 1e308},
        {"main_products": ["x"]},
        {"establishment": "abc"},
    ],
)
def test_survey_response_values_of_every_type(world, values):
    client = _client(world.users["collaborator"])
    campaign, commune = world.own["campaign"], world.own["commune"]
    url = reverse("collaborators:survey_respond", args=[campaign.pk, commune.pk])
    data = {f"v_{k}": v for k, v in values.items()} | {k: v for k, v in values.items()}
    response = client.post(url, {k: str(v) for k, v in data.items()})
    _no_5xx(response, f"survey {values}")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/report-forms/%00/",
        "/api/v1/report-forms/ctv%00quy/",
        "/api/v1/geography/units/%00/",
        "/api/v1/organisations/%00/",
        "/api/v1/programmes/%00/",
        "/accounts/organisations/%00/",
        "/accounts/me/tokens/%00/revoke/",
        "/establishments/export/%00/",
        "/collaborators/reports/ctv-quy/1/%00/",
    ],
)
def test_nul_in_the_path(world, url):
    """The NUL middleware cleans query strings and forms; a NUL in the URL's path reaches the lookups."""
    client = _client(world.users["officer"])
    _no_5xx(client.get(url), url)
    _no_5xx(client.post(url), url)
