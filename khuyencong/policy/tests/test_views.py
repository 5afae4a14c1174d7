"""The support levels page: every logged-in user reads it; unknown values say so."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_support_levels_page_shows_dated_ceilings_and_unknown_ones(client, make_user):
    client.force_login(make_user("provincial_officer", province="68"))
    response = client.get(reverse("policy:rules"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "≤ 500.000.000 đ/mô hình" in text  # 2014
    assert "≤ 1.000.000.000 đ/mô hình" in text  # TT 28/2018
    assert "08/04/2014" in text
    assert "chưa xác định" in text  # ceilings of TT 28/2018 not read: said, not invented
    assert "Nghị định 235/2025/NĐ-CP" in text and "sửa đổi văn bản 45/2012/NĐ-CP" in text
    assert "Sửa các mức" not in text  # only administrators edit


def test_support_levels_page_needs_a_login(client):
    response = client.get(reverse("policy:rules"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
