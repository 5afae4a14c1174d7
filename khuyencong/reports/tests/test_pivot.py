"""Pivot analysis: rows × columns with totals for each measure, sorting, the .xlsx export equal to the page, a URL
that reopens the same view, scope, and a refused combination explained."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from .test_dashboard import world  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def test_pivot_by_province_and_year_with_totals_export_and_scope(client, world):  # noqa: F811
    cast, own = world
    year = timezone.localdate().year
    params = {"rows": "province", "cols": "fund", "measure": "state_funds_vnd", "year_from": year, "year_to": year + 1}
    client.force_login(cast["mofficer"])
    page = client.get(reverse("reports:pivot"), params).content.decode()
    kc = own.budget_lines.get(source="khuyen_cong")
    assert "Tỉnh Lâm Đồng" in page and "Thành phố Hà Nội" in page
    assert f"{kc.approved_vnd:,}".replace(",", ".") + " đ" in page
    # The URL reopens the same view (it is the share link), and the export holds the same figures.
    assert 'value="http://testserver/reports/pivot/?' in page
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reports:pivot_xlsx"), params).content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Tỉnh Lâm Đồng"][-1] == kc.approved_vnd
    grand = rows["Tổng cộng"][-1] if "Tổng cộng" in rows else rows["Tổng"][-1]
    assert grand == sum(v[-1] for k, v in rows.items() if k not in ("Tổng cộng", "Tổng"))
    # Beneficiaries by legal form; the legal form with a project measure is refused with the reason.
    page = client.get(
        reverse("reports:pivot"), {**params, "rows": "legal_form", "measure": "beneficiaries"}
    ).content.decode()
    assert "Hợp tác xã" in page
    page = client.get(
        reverse("reports:pivot"), {**params, "rows": "legal_form", "measure": "projects"}
    ).content.decode()
    assert 'data-testid="pivot-error"' in page
    # Sorted by the largest total first.
    page = client.get(reverse("reports:pivot"), {**params, "measure": "projects", "sort": "-total"}).content.decode()
    assert 'data-testid="pivot-total">2<' in page
    # The provincial officer sees only the province.
    client.force_login(cast["so"])
    page = client.get(reverse("reports:pivot"), params).content.decode()
    assert "Tỉnh Lâm Đồng" in page and "Thành phố Hà Nội" not in page
