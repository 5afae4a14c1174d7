"""Regression tests of the holes issue 13 found (each failed before its fix), other than those of the accounts, the
import and the API contract, which live with their apps. Numbers refer to the issue's list."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from khuyencong.accounts.choices import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.csvsafe import safe_cell
from khuyencong.establishments.models import DuplicateFlag, Establishment
from khuyencong.establishments.services import establishment_create, representative_link
from khuyencong.establishments.tests.factories import commune

from .conftest import login

ROOT = Path(__file__).resolve().parent.parent


def _other_commune():
    from khuyencong.geography.models import AdminUnit

    return AdminUnit.objects.filter(level="commune", valid_to__isnull=True, province__code="01").order_by("code")[0]


# ---- 4. duplicate flags across provinces ------------------------------------------------------------------------


@pytest.fixture
def pair(db):
    """An establishment of Lâm Đồng and one of Hà Nội flagged as possible duplicates (same phone, similar name)."""
    own_officer = make_user(Role.PROVINCIAL_OFFICER, province="68")
    other_officer = make_user(Role.PROVINCIAL_OFFICER, province="01")
    place = commune("Xã Đức Trọng")
    mine = establishment_create(
        user=own_officer,
        data={"name": "Cơ sở Mây tre Phú Vinh", "legal_form": "ho_kinh_doanh", "commune_recorded": place,
              "phone": "0912 345 678"},
    )  # fmt: skip
    theirs = establishment_create(
        user=other_officer,
        data={"name": "Cơ sở Mây tre Phú Vĩnh", "legal_form": "ho_kinh_doanh", "commune_recorded": _other_commune(),
              "phone": "0912345678", "owner_name": "Trần Thị Bí Mật"},
    )  # fmt: skip
    flag = DuplicateFlag.objects.get()
    assert {flag.establishment_id, flag.other_id} == {mine.pk, theirs.pk}
    return {"own_officer": own_officer, "other_officer": other_officer, "mine": mine, "theirs": theirs, "flag": flag}


def test_4_a_cross_province_pair_is_shown_to_neither_province(pair):
    for who, record, other in (("own_officer", "mine", "theirs"), ("other_officer", "theirs", "mine")):
        client = login(Client(), pair[who])
        page = client.get(reverse("establishments:detail_tab", args=[pair[record].pk, "duplicates"])).content.decode()
        assert pair[other].name not in page and f"/establishments/{pair[other].pk}/" not in page
        overview = client.get(reverse("establishments:detail", args=[pair[record].pk])).content.decode()
        assert 'class="badge text-bg-warning"' not in overview  # no open pair counted
        response = client.post(
            reverse("establishments:duplicate_decide", args=[pair[record].pk, pair["flag"].pk]), {"decision": "confirm"}
        )
        assert response.status_code == 404
    pair["flag"].refresh_from_db()
    assert pair["flag"].status == "open" and pair["flag"].decided_by is None


def test_4_the_ministry_sees_and_decides_a_cross_province_pair(pair):
    ministry = make_user(Role.MINISTRY_OFFICER, province=None)
    client = login(Client(), ministry)
    page = client.get(reverse("establishments:detail_tab", args=[pair["mine"].pk, "duplicates"])).content.decode()
    assert pair["theirs"].name in page
    response = client.post(
        reverse("establishments:duplicate_decide", args=[pair["mine"].pk, pair["flag"].pk]), {"decision": "dismiss"}
    )
    assert response.status_code == 302
    pair["flag"].refresh_from_db()
    assert pair["flag"].status == "dismissed" and pair["flag"].decided_by == ministry
    assert pair["flag"].history.count() == 2


def test_4_a_flag_is_decided_only_through_one_of_its_own_records(pair, db):
    """Another record of the same province in the URL does not carry the flag."""
    ministry = make_user(Role.MINISTRY_OFFICER, province=None)
    unrelated = establishment_create(
        user=pair["own_officer"],
        data={"name": "Cơ sở khác", "legal_form": "ho_kinh_doanh", "commune_recorded": commune("Xã Đức Trọng")},
    )
    response = login(Client(), ministry).post(
        reverse("establishments:duplicate_decide", args=[unrelated.pk, pair["flag"].pk]), {"decision": "confirm"}
    )
    assert response.status_code == 404
    pair["flag"].refresh_from_db()
    assert pair["flag"].status == "open"


# ---- 5. an establishment representative sees their own establishment only -------------------------------------


@pytest.fixture
def neighbours(db):
    officer = make_user(Role.PROVINCIAL_OFFICER, province="68")
    place = commune("Xã Đức Trọng")
    own = establishment_create(
        user=officer, data={"name": "Cơ sở chè Tâm Châu", "legal_form": "ho_kinh_doanh", "commune_recorded": place}
    )
    neighbour = establishment_create(
        user=officer,
        data={"name": "Cơ sở cà phê Lâm Viên", "legal_form": "ho_kinh_doanh", "commune_recorded": place,
              "owner_name": "Hoàng Văn Kín", "phone": "0987654321", "tax_code": "HKD-778899"},
    )  # fmt: skip
    representative = make_user(Role.ESTABLISHMENT_REP, username="coso.tamchau")
    return {"officer": officer, "own": own, "neighbour": neighbour, "representative": representative}


def test_5_a_representative_sees_nothing_until_linked_then_only_their_establishment(neighbours):
    rep = neighbours["representative"]
    client = login(Client(), rep)
    assert neighbours["own"].name not in client.get(reverse("establishments:list")).content.decode()
    link = representative_link(user=neighbours["officer"], establishment_id=neighbours["own"].pk, username=rep.username)
    assert link.history.get().history_user == neighbours["officer"]
    client = login(Client(), rep)  # a new request computes the scope again
    listing = client.get(reverse("establishments:list")).content.decode()
    assert neighbours["own"].name in listing
    for secret in ("Cơ sở cà phê Lâm Viên", "Hoàng Văn Kín", "0987654321", "HKD-778899"):
        assert secret not in listing
    assert client.get(reverse("establishments:detail", args=[neighbours["own"].pk])).status_code == 200
    assert client.get(reverse("establishments:detail", args=[neighbours["neighbour"].pk])).status_code == 404
    api = client.get("/api/v1/establishments/").json()
    assert [row["id"] for row in api["results"]] == [neighbours["own"].pk]
    assert client.get(f"/api/v1/establishments/{neighbours['neighbour'].pk}/").status_code == 404
    # Nothing geographic: no commune's figures, no other record kinds.
    assert client.get("/api/v1/projects/").json()["count"] == 0
    assert client.get("/api/v1/collaborators/").json()["count"] == 0


def test_5_only_an_officer_of_the_area_links_and_unlinks_and_the_demo_follows(neighbours):
    rep, own = neighbours["representative"], neighbours["own"]
    other_officer = make_user(Role.PROVINCIAL_OFFICER, province="01")
    response = login(Client(), other_officer).post(
        reverse("establishments:representative_link", args=[own.pk]), {"username": rep.username}
    )
    assert response.status_code == 404 and not own.representatives.exists()
    client = login(Client(), neighbours["officer"])
    response = client.post(reverse("establishments:representative_link", args=[own.pk]), {"username": "khong-co-ai"})
    assert response.status_code == 302 and not own.representatives.exists()
    officer_account = make_user(Role.PROVINCIAL_OFFICER, province="68", username="canbo.khac")
    client.post(reverse("establishments:representative_link", args=[own.pk]), {"username": officer_account.username})
    assert not own.representatives.exists()  # only representatives' accounts
    client.post(reverse("establishments:representative_link", args=[own.pk]), {"username": rep.username})
    link = own.representatives.get()
    page = client.get(reverse("establishments:detail", args=[own.pk])).content.decode()
    assert rep.username in page and 'data-testid="representatives"' in page
    client.post(reverse("establishments:representative_unlink", args=[own.pk, link.pk]))
    assert not own.representatives.exists()
    assert login(Client(), rep).get(reverse("establishments:detail", args=[own.pk])).status_code == 404


def test_5_another_areas_representative_answers_like_an_unknown_name(neighbours):
    from khuyencong.accounts.tests.factories import org_in

    hanoi_officer = make_user(Role.PROVINCIAL_OFFICER, province="01")
    hanoi_shop = establishment_create(
        user=hanoi_officer,
        data={"name": "Cơ sở gốm Bát Tràng", "legal_form": "ho_kinh_doanh", "commune_recorded": _other_commune()},
    )
    linked = make_user(Role.ESTABLISHMENT_REP, username="coso.battrang", represents=[hanoi_shop])
    of_hanoi = make_user(Role.ESTABLISHMENT_REP, username="coso.hanoi.moi", organisation=org_in("01"))
    client = login(Client(), neighbours["officer"])
    url = reverse("establishments:representative_link", args=[neighbours["own"].pk])
    messages = []
    for username in ("khong-co-ai", linked.username, of_hanoi.username):
        page = client.post(url, {"username": username}, follow=True).content.decode()
        messages.append(page.split(f"“{username}”")[0][-80:] + page.split(f"“{username}”")[1][:120])
    assert messages[0] == messages[1] == messages[2]
    assert not neighbours["own"].representatives.exists()


def test_5_the_demo_representative_is_linked_to_one_establishment(db):
    from khuyencong.accounts.demo import load_demo_data
    from khuyencong.establishments.management.commands.load_demo_data import link_demo_representative

    load_demo_data()
    establishment_create(
        user=make_user(Role.PROVINCIAL_OFFICER, province="68"),
        data={"name": "Hợp tác xã chè Cầu Đất", "legal_form": "htx", "commune_recorded": commune("Xã Đức Trọng")},
    )
    link_demo_representative()
    link_demo_representative()  # idempotent
    from khuyencong.accounts.models import User
    from khuyencong.core.scoping import user_scope

    rep = User.objects.get(username="coso.lamdong")
    scope = user_scope(rep)
    assert scope.level == "establishments" and len(scope.establishment_ids) == 1
    assert not rep.scope_communes.exists()


# ---- 7. junk that answered 500 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/public/?province=²",
        "/public/projects.csv?year=²",
        "/public/projects.json?province=²",
        "/projects/communes/?province=²",
        "/projects/new/?province=²",
        "/api/v1/money-events/?project=²",
        "/api/v1/completeness/?province=²",
        "/establishments/9223372036854775808/",
        "/api/v1/establishments/9223372036854775808/",
        "/projects/99999999999999999999999/",
    ],
)
def test_7_junk_parameters_are_a_clear_refusal_not_a_500(url, db):
    cache.clear()
    client = Client(raise_request_exception=False)
    if not url.startswith("/public/"):
        login(client, make_user(Role.MINISTRY_OFFICER, province=None))
    response = client.get(url)
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 400:
        body = response.content.decode()
        assert "²" in body and ("không phải" in body or "not" in body)


def test_7_infinite_or_400_digit_amounts_in_the_money_form(world, db):
    client = login(Client(raise_request_exception=False), world.users["mofficer"])
    url = reverse("plans:project_money", args=[world.own["project"].pk])
    before = world.own["project"].money_events.count()
    for amount in ("Infinity", "9" * 400, "NaN", "1e9", "²"):
        response = client.post(
            url,
            {"kind": "payment", "source": "khuyen_cong", "amount_vnd": amount, "occurred_on": "01/11/2026"},
        )
        assert response.status_code == 400, (amount, response.status_code)  # the form again, with the message
        assert "Số tiền" in response.content.decode() or "số" in response.content.decode()
    assert world.own["project"].money_events.count() == before


def test_7_an_adjustment_with_a_junk_end_year_is_refused_at_the_field(world, db):
    client = login(Client(raise_request_exception=False), world.users["officer"])
    response = client.post(
        f"/api/v1/projects/{world.own['project'].pk}/steps/request_adjustment/",
        {"reason": "Kéo dài", "scale": "major", "changes": {"end_year": "²"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "end_year"
    assert not world.own["project"].adjustments.exists()


def test_7_a_file_name_of_300_characters_is_shortened(world, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .world import PDF

    client = login(Client(raise_request_exception=False), world.users["officer"])
    name = "Quyết định phê duyệt " + "rất dài " * 40 + ".pdf"
    assert len(name) > 300
    response = client.post(
        reverse("projects:document_upload", args=[world.own["project"].pk]),
        {"kind": "other", "file": SimpleUploadedFile(name, PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    document = world.own["project"].documents.order_by("-pk").first()
    assert document.original_name.startswith("Quyết định phê duyệt") and document.original_name.endswith(".pdf")
    assert len(document.original_name.encode()) <= 150


# ---- 8. API errors are the API's JSON, with production settings ------------------------------------------------


def test_8_api_errors_are_json_pages_are_html(db, monkeypatch):
    client = Client(raise_request_exception=False)
    login(client, make_user(Role.PROVINCIAL_OFFICER, province="68"))
    missing = client.get("/api/v1/no-such-endpoint/")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
    assert missing.json()["code"] == "not_found" and missing.json()["message"]
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("khuyencong.establishments.selectors.establishment_list", broken)
    monkeypatch.setattr("khuyencong.establishments.selectors.establishment_filterset", broken)
    crashed = client.get("/api/v1/establishments/")
    assert crashed.status_code == 500 and crashed.json()["code"] == "server_error"
    page = client.get("/establishments/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
    assert "Lỗi hệ thống" in page.content.decode()


def test_8_csrf_and_method_errors_under_api_are_json(db):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    login(client, make_user(Role.PROVINCIAL_OFFICER, province="68"))
    forged = client.post("/api/v1/establishments/", {"name": "X"}, content_type="application/json")
    assert forged.status_code == 403 and forged.json()["code"]
    wrong_method = client.delete("/api/v1/me/")
    assert wrong_method.status_code in (403, 405) and wrong_method.json()["code"]
    anonymous = Client(raise_request_exception=False).get("/api/v1/projects/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


def test_8_the_error_handlers_are_installed_with_production_settings():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.urls import get_resolver; "
         "r = get_resolver(); print(r.resolve_error_handler(404).__name__, r.resolve_error_handler(500).__name__)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "x" * 50,
             "DJANGO_ALLOWED_HOSTS": "example.vn"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["error_404", "error_500"]


# ---- 9. CSV exports neutralise formulas ------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","Bấm")', "+SUM(1,2)", "-2+3", "@cmd|' /C calc'!A0", "\tTab", "\rCR"]


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_9_every_csv_cell_that_would_run_as_a_formula_is_text(world, db):
    officer = world.users["officer"]
    record = establishment_create(
        user=officer,
        data={"name": FORMULAS[0], "legal_form": "ho_kinh_doanh", "commune_recorded": world.own["commune"],
              "owner_name": FORMULAS[1], "address": FORMULAS[3], "main_products": FORMULAS[2],
              "phone": "+84912345678", "employees_total": 12},
    )  # fmt: skip
    client = login(Client(), officer)
    response: Any = client.get(reverse("establishments:export", args=["csv"]), {"q": "sum"})
    streamed = b"".join(response.streaming_content)
    rows = _cells(streamed)
    row = next(r for r in rows if r[0] == str(record.pk))
    assert row[1] == "'" + FORMULAS[0] and row[4] == "'" + FORMULAS[1] and row[7] == "'" + FORMULAS[3]
    assert "+84912345678" in row  # a phone number is a number, not a formula: unchanged
    assert "12" in row  # numbers stay numbers
    for cells in rows:
        for cell in cells:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.lstrip("+-").isdigit(), cell


def test_9_the_background_export_and_the_public_csv_too(world, db):
    from khuyencong.establishments.exports import write_csv_export
    from khuyencong.projects.models import Project

    establishment_create(
        user=world.users["officer"],
        data={"name": FORMULAS[0], "legal_form": "ho_kinh_doanh", "commune_recorded": world.own["commune"]},
    )
    buffer = io.BytesIO()
    write_csv_export(buffer, Establishment.objects.filter(name=FORMULAS[0]))
    assert _cells(buffer.getvalue())[1][1] == "'" + FORMULAS[0]
    from khuyencong.core.history import update_with_history

    project = world.own["project"]
    update_with_history(Project.objects.filter(pk=project.pk), user=world.users["officer"], name=FORMULAS[0])
    cache.clear()
    public = Client().get(reverse("public:csv"))
    rows = _cells(public.content)
    named = [r for r in rows if r[1].endswith(FORMULAS[0])]
    assert named and named[0][1] == "'" + FORMULAS[0]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
        ("-12", "-12"), ("+84912345678", "+84912345678"), ("1.250.000", "1.250.000"), ("Hà Nội", "Hà Nội"),
        (12, 12), (None, None),
    ],
)  # fmt: skip
def test_9_safe_cell(value, written):
    assert safe_cell(value) == written


def test_9_every_csv_writer_of_the_project_is_the_safe_one():
    """No module writes CSV around `core.csvsafe` (a new export cannot forget it)."""
    offenders = []
    for path in (ROOT / "khuyencong").rglob("*.py"):
        if "/tests/" in str(path) or path.name == "csvsafe.py":
            continue
        text = path.read_text()
        if "csv.writer(" in text or "csv.DictWriter(" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


# ---- 13. the step checks cannot be skipped ----------------------------------------------------------------------


def test_13_a_fresh_interpreter_that_imports_only_the_workflow_has_every_step_check():
    script = (
        "import django; django.setup()\n"
        "from khuyencong.projects import workflow\n"
        "print(sorted(workflow.BEFORE_HOOKS)); print(sorted(workflow.AFTER_HOOKS))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.strip().splitlines()
    assert before == str(["accept", "assign", "pass_appraisal", "request_adjustment", "settle", "submit"])
    assert after == str(["approve_adjustment", "deny_adjustment", "settle"])  # settle: the plans app's money


def test_13_a_step_refuses_to_run_without_its_checks(world, db, monkeypatch):
    from khuyencong.core.exceptions import ApplicationError
    from khuyencong.projects import workflow

    monkeypatch.setattr(workflow, "BEFORE_HOOKS", {})
    project = world.own["draft_project"]
    with pytest.raises(ApplicationError):
        workflow.project_transition(user=world.users["officer"], project_id=project.pk, name="submit")
    project.refresh_from_db()
    assert project.status == "draft"
