"""Craft villages: the province's list, form with the commune picker, history, scope."""

import pytest
from django.urls import reverse

from khuyencong.core.exceptions import ApplicationError
from khuyencong.establishments import services
from khuyencong.establishments.models import CraftVillage
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.geography.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(officer):
    return services.craft_village_save(
        user=officer,
        data={
            "name": "Làng nghề dệt thổ cẩm B'Sar",
            "kind": "lang_nghe_truyen_thong",
            "craft": "Dệt thổ cẩm",
            "commune": commune("Xã Đức Trọng"),
            "recognition_decision": "123/QĐ-UBND",
        },
    )


@pytest.fixture
def hanoi_village(make_user):
    national = make_user("ministry_officer", username="bo")
    return services.craft_village_save(
        user=national, data={"name": "Làng gốm Bát Tràng", "commune": commune("Xã Bát Tràng", "01")}
    )


def test_officer_creates_a_village_through_the_form_and_it_has_history(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("establishments:village_create"),
        {
            "name": "  Làng   mây tre đan Phú Hội ",
            "kind": "lang_nghe",
            "commune": commune("Xã Đức Trọng").pk,
            "recognised_on": "05/03/2024",
            "reason": "Theo quyết định công nhận",
        },
    )
    village = CraftVillage.objects.get(name="Làng mây tre đan Phú Hội")
    assert response.status_code == 302
    assert response["Location"] == reverse("establishments:village_detail", args=[village.pk])
    assert village.province.code == "68"
    assert village.name_folded == "lang may tre dan phu hoi"
    assert str(village.recognised_on) == "2024-03-05"
    record = village.history.get()
    assert record.history_user == officer
    assert record.history_change_reason == "Theo quyết định công nhận"
    page = client.get(reverse("establishments:village_detail_tab", args=[village.pk, "history"]))
    assert "Theo quyết định công nhận" in page.content.decode()


def test_form_errors_are_vietnamese_and_at_the_field(client, officer, village):
    client.force_login(officer)
    url = reverse("establishments:village_create")
    response = client.post(url, {"name": "", "kind": "lang_nghe"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Chọn xã, phường nơi có làng nghề." in text
    response = client.post(
        url, {"name": "Làng nghề dệt thổ cẩm b'sar", "kind": "lang_nghe", "commune": commune("Xã Đức Trọng").pk}
    )
    assert "đã có làng nghề tên" in response.content.decode()
    response = client.post(
        url,
        {"name": "Làng mới", "kind": "lang_nghe", "commune": commune("Xã Đức Trọng").pk, "recognised_on": "31/02/2024"},
    )
    assert response.status_code == 200
    assert "recognised_on" in response.context["form"].errors
    assert CraftVillage.objects.count() == 1


@pytest.mark.parametrize("forged", ["abc", "999999999", "1; DROP TABLE"])
def test_a_forged_commune_value_is_a_field_error_not_a_500(client, officer, forged):
    client.force_login(officer)
    for url, field in (
        (reverse("establishments:village_create"), "commune"),
        (reverse("establishments:create"), "commune_recorded"),
    ):
        response = client.post(url, {"name": "Làng thử", "kind": "lang_nghe", "legal_form": "htx", field: forged})
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert CraftVillage.objects.count() == 0


def test_village_outside_the_area_or_of_an_old_commune_is_refused(officer):
    with pytest.raises(ApplicationError) as error:
        services.craft_village_save(user=officer, data={"name": "Làng gốm", "commune": commune("Xã Bát Tràng", "01")})
    assert error.value.field == "commune"
    old = AdminUnit.objects.filter(level="commune", valid_to__isnull=False, province__code="68").first()
    with pytest.raises(ApplicationError) as error:
        services.craft_village_save(user=officer, data={"name": "Làng cũ", "commune": old})
    assert "không phải là xã, phường hiện nay" in str(error.value.message)
    assert CraftVillage.objects.count() == 0


def test_list_detail_and_edit_stay_in_scope(client, officer, village, hanoi_village):
    client.force_login(officer)
    listing = client.get(reverse("establishments:village_list"), {"q": "tho cam"}).content.decode()
    assert "Làng nghề dệt thổ cẩm B&#x27;Sar" in listing
    assert "Bát Tràng" not in client.get(reverse("establishments:village_list")).content.decode()
    for name in ("village_detail", "village_edit"):
        assert client.get(reverse(f"establishments:{name}", args=[hanoi_village.pk])).status_code == 404
    assert (
        client.get(reverse("establishments:village_detail_tab", args=[hanoi_village.pk, "history"])).status_code == 404
    )
    response = client.post(
        reverse("establishments:village_edit", args=[hanoi_village.pk]),
        {"name": "Đổi tên", "kind": "lang_nghe", "commune": hanoi_village.commune_id},
    )
    assert response.status_code == 404
    hanoi_village.refresh_from_db()
    assert hanoi_village.name == "Làng gốm Bát Tràng"


def test_detail_lists_the_establishments_of_the_village(client, officer, village):
    make_establishment(officer, name="Hộ dệt K'Hơ", craft_village=village)
    make_establishment(officer, name="Hộ không thuộc làng")
    client.force_login(officer)
    response = client.get(reverse("establishments:village_detail", args=[village.pk]))
    text = response.content.decode()
    assert "Hộ dệt K&#x27;Hơ" in text
    assert "Hộ không thuộc làng" not in text
    listing = client.get(reverse("establishments:village_list")).content.decode()
    assert f'?craft_village={village.pk}">1</a>' in listing


def test_edit_records_the_change(client, officer, village):
    client.force_login(officer)
    response = client.post(
        reverse("establishments:village_edit", args=[village.pk]),
        {"name": village.name, "kind": "lang_nghe", "commune": village.commune_id, "reason": "Sửa loại"},
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.kind == "lang_nghe"
    assert village.history.count() == 2
    assert village.history.first().history_change_reason == "Sửa loại"


def test_auditor_reads_but_cannot_add(client, make_user, village):
    auditor = make_user("auditor", province="68")
    client.force_login(auditor)
    assert client.get(reverse("establishments:village_detail", args=[village.pk])).status_code == 200
    assert client.get(reverse("establishments:village_create")).status_code == 403
    assert client.get(reverse("establishments:village_edit", args=[village.pk])).status_code == 403
