"""The registry pages and API: scope, filters, search, sort, forms, conflicts, exports."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from khuyencong.establishments import exports
from khuyencong.establishments.models import Establishment, ExportJob, SavedFilter
from khuyencong.establishments.tests.factories import commune, make_establishment

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(officer, make_user):
    national = make_user("ministry_officer", username="bo")
    return {
        "hoa": make_establishment(
            officer, name="Cơ sở chế biến chè Phú Hoà", employees_total=30, legal_form="htx", tax_code="5800000001"
        ),
        "thuy": make_establishment(
            officer,
            name="Xưởng mộc Thuỷ Tiên",
            employees_total=5,
            owner_name="Lê Văn Thủy",
            commune_recorded=commune("Xã Di Linh"),
        ),
        "hanoi": make_establishment(
            national,
            name="Công ty TNHH gốm Bát Tràng",
            legal_form="dn_nho",
            commune_recorded=commune("Phường Ba Đình", "01"),
        ),
    }


def _names(response):
    return [e.name for e in response.context["object_list"]]


def test_list_is_scoped_sorted_and_counted(client, officer, data, django_assert_max_num_queries):
    client.force_login(officer)
    for n in range(5):
        make_establishment(officer, name=f"Xưởng {n}", commune_recorded=commune("Xã Di Linh"))
    # session, user, scope, count, rows, filter choices (province, industry, craft village), saved filters, perms,
    # session save: the same whatever the number of rows
    with django_assert_max_num_queries(18):
        response = client.get(reverse("establishments:list"), {"q": "phu hoa thuy tien"})
    assert _names(response) == []  # every word must match
    response = client.get(reverse("establishments:list"))
    assert _names(response)[:2] == ["Cơ sở chế biến chè Phú Hoà", "Xưởng 0"]
    assert "Công ty TNHH gốm Bát Tràng" not in _names(response)
    response = client.get(reverse("establishments:list"), {"sort": "-employees"})
    assert _names(response)[0] == "Cơ sở chế biến chè Phú Hoà"


@pytest.mark.parametrize("query", ["phu hoa", "PHÚ HÒA", "Phú Hoà", "phu ho", "58000"])
def test_search_with_or_without_diacritics_in_either_tone_placement(client, officer, data, query):
    client.force_login(officer)
    assert _names(client.get(reverse("establishments:list"), {"q": query})) == ["Cơ sở chế biến chè Phú Hoà"]


def test_search_finds_the_owner_and_never_another_province(client, officer, data):
    client.force_login(officer)
    assert _names(client.get(reverse("establishments:list"), {"q": "le van thuy"})) == ["Xưởng mộc Thuỷ Tiên"]
    assert _names(client.get(reverse("establishments:list"), {"q": "bat trang"})) == []


def test_filters(client, officer, data):
    client.force_login(officer)
    url = reverse("establishments:list")
    assert _names(client.get(url, {"legal_form": "htx"})) == ["Cơ sở chế biến chè Phú Hoà"]
    assert _names(client.get(url, {"size": "lt10"})) == ["Xưởng mộc Thuỷ Tiên"]
    assert _names(client.get(url, {"commune": commune("Xã Di Linh").pk})) == ["Xưởng mộc Thuỷ Tiên"]
    assert client.get(url, {"legal_form": "nonsense"}).status_code == 200  # an invalid filter shows nothing, no 500


def test_filter_selects_keep_the_choice_and_label_the_rows(client, officer, data):
    client.force_login(officer)
    province_id = commune("Xã Di Linh").province_id
    text = client.get(reverse("establishments:list"), {"legal_form": "htx", "province": province_id}).content.decode()
    assert '<option value="htx" selected>Hợp tác xã</option>' in text
    assert f'<option value="{province_id}" selected>' in text
    assert '<option value="">Loại hình: tất cả</option>' in text
    assert '<td class="d-none d-md-table-cell">Hợp tác xã</td>' in text  # the row's legal form label
    assert '<td class="d-none d-md-table-cell">Đang hoạt động</td>' in text  # its status label


def test_other_provinces_establishment_is_404_in_views_and_api(client, officer, data):
    client.force_login(officer)
    other = data["hanoi"]
    for url in (
        reverse("establishments:detail", args=[other.pk]),
        reverse("establishments:edit", args=[other.pk]),
        reverse("establishments:detail_tab", args=[other.pk, "history"]),
        f"/api/v1/establishments/{other.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.patch(f"/api/v1/establishments/{other.pk}/", {"name": "X"}, content_type="application/json").status_code
        == 404
    )
    assert client.get(reverse("establishments:detail", args=[data["hoa"].pk])).status_code == 200


@pytest.mark.parametrize("tab", ["years", "products", "support", "duplicates", "history"])
def test_every_tab_renders(client, officer, data, tab):
    client.force_login(officer)
    response = client.get(reverse("establishments:detail_tab", args=[data["hoa"].pk, tab]))
    assert response.status_code == 200
    if tab == "support":
        assert "Chưa ghi nhận hỗ trợ khuyến công nào" in response.text


def test_create_form_field_errors_in_vietnamese(client, officer, data):
    client.force_login(officer)
    url = reverse("establishments:create")
    response = client.post(url, {"name": "", "legal_form": "", "commune_recorded": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] and form.errors["commune_recorded"] == ["Chọn xã, phường nơi cơ sở sản xuất."]
    response = client.post(
        url,
        {
            "name": "Trùng thuế",
            "legal_form": "dn_nho",
            "tax_code": "5800000001",
            "commune_recorded": commune("Xã Đức Trọng").pk,
            "status": "active",
            "source": "survey",
        },
    )
    assert list(response.context["form"].errors) == ["tax_code"]
    assert "đã được đăng ký" in response.text and f"/establishments/{data['hoa'].pk}/" in response.text
    response = client.post(
        url,
        {
            "name": "Cơ sở mới",
            "legal_form": "ho_kinh_doanh",
            "status": "active",
            "source": "survey",
            "commune_recorded": commune("Xã Đức Trọng").pk,
        },
    )
    created = Establishment.objects.get(name="Cơ sở mới")
    assert response.status_code == 302 and response["Location"] == f"/establishments/{created.pk}/"
    assert "có vẻ trùng" not in client.get(response["Location"]).text
    response = client.post(
        url,
        {
            "name": "CƠ SỞ MỚI",
            "legal_form": "ho_kinh_doanh",
            "status": "active",
            "source": "survey",
            "commune_recorded": commune("Xã Đức Trọng").pk,
        },
        follow=True,
    )
    assert "Cơ sở này có vẻ trùng với một cơ sở đã có" in response.text  # the newer record of a pair is warned too


def test_two_editors_the_second_save_is_refused(client, officer, data, make_user):
    e = data["hoa"]
    url = reverse("establishments:edit", args=[e.pk])
    base = {
        "name": e.name,
        "legal_form": e.legal_form,
        "tax_code": e.tax_code,
        "status": "active",
        "source": e.source,
        "commune_recorded": e.commune_recorded_id,
        "version": 1,
    }
    colleague = make_user("provincial_officer", province="68", username="dong.nghiep")
    client.force_login(colleague)
    assert client.post(url, {**base, "employees_total": 31}).status_code == 302
    assert Establishment.objects.get(pk=e.pk).version == 2
    client.force_login(officer)
    response = client.post(url, {**base, "employees_total": 99})
    assert response.status_code == 409
    assert "Người khác đã lưu" in response.text and "<del>30</del> → <ins>31</ins>" in response.text
    e.refresh_from_db()
    assert e.employees_total == 31


def test_saved_filters_belong_to_their_user(client, officer, data, make_user):
    client.force_login(officer)
    client.post(reverse("establishments:filter_save"), {"name": "HTX", "query": "legal_form=htx"})
    saved = SavedFilter.objects.get(user=officer)
    assert saved.query == "legal_form=htx"
    other = make_user("provincial_officer", province="68", username="khac")
    client.force_login(other)
    client.post(reverse("establishments:filter_delete", args=[saved.pk]))
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_csv_export_is_exactly_the_filtered_rows(client, officer, data):
    client.force_login(officer)
    response = client.get(reverse("establishments:export", args=["csv"]), {"q": "thuy"})
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][:3] == ["ID", "Tên cơ sở", "Loại hình"]
    assert [r[1] for r in rows[1:]] == ["Xưởng mộc Thuỷ Tiên"]
    assert rows[1][2] == "Hộ kinh doanh"


def test_xlsx_export_reopens_with_the_figures(client, officer, data):
    client.force_login(officer)
    response = client.get(reverse("establishments:export", args=["xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Tên cơ sở"
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"Cơ sở chế biến chè Phú Hoà", "Xưởng mộc Thuỷ Tiên"}
    assert by_name["Cơ sở chế biến chè Phú Hoà"][14] == 30 and by_name["Cơ sở chế biến chè Phú Hoà"][3] == "5800000001"


def test_large_exports_run_in_the_background_with_progress(client, officer, data, monkeypatch):
    monkeypatch.setattr(exports, "BACKGROUND_THRESHOLD", 1)
    client.force_login(officer)
    response = client.get(reverse("establishments:export", args=["xlsx"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("establishments:export_job", args=[job.pk])
    assert job.status == "done" and job.total == 2  # the test task backend runs it at once
    page = client.get(response["Location"])
    assert "Tải về" in page.text
    download = client.get(reverse("establishments:export_download", args=[job.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.active.max_row == 3


def test_duplicates_tab_decision_and_merge_page(client, officer):
    first = make_establishment(officer, name="Cơ sở gốm Bàu Trúc", employees_total=9)
    second = make_establishment(officer, name="CƠ SỞ GỐM BÀU TRÚC", phone="0988888888")
    client.force_login(officer)
    tab = client.get(reverse("establishments:detail_tab", args=[first.pk, "duplicates"]))
    flag = tab.context["flags"][0]
    assert flag.score == 95 and "CƠ SỞ GỐM BÀU TRÚC" in tab.text
    merge_url = reverse("establishments:merge", args=[first.pk, second.pk])
    page = client.get(merge_url)
    assert {row["name"] for row in page.context["rows"]} >= {"name", "phone", "employees_total"}
    response = client.post(merge_url, {"other": second.pk, "take_from_other": ["phone"], "reason": "Trùng"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.phone == "0988888888" and first.employees_total == 9
    assert not Establishment.objects.filter(pk=second.pk).exists()


def test_large_imports_check_in_the_background(client, officer, monkeypatch):
    from khuyencong.establishments.models import ImportBatch
    from khuyencong.establishments.tests import files

    monkeypatch.setattr("khuyencong.establishments.imports.SYNC_CHECK_BYTES", 10)
    client.force_login(officer)
    content = files.csv_bytes(
        [files.row(name="Cơ sở nền", legal_form="Hộ kinh doanh", commune_code=commune("Xã Đức Trọng").code)]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("establishments:import"), {"file": SimpleUploadedFile("lon.csv", content)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "checked"  # the task backend of the tests runs it now
    progress = client.get(reverse("establishments:import_batch", args=[batch.pk]), headers={"HX-Request": "true"})
    assert "<html" not in progress.text and "count-new" in progress.text
    monkeypatch.setattr("khuyencong.establishments.imports.BACKGROUND_ROWS", 0)
    client.post(reverse("establishments:import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed" and Establishment.objects.filter(name="Cơ sở nền").exists()
