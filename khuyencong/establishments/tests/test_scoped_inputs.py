"""Issue 13, hole 3: a foreign key sent by the API, a form or a service call is looked up through the user's scope.

Before: `PATCH /api/v1/establishments/{id}/` with another province's craft village was saved (a Lâm Đồng record then
named a Hà Nội village, Hà Nội's village count changed) and a village's name could be read by trying ids. Now another
area's village answers exactly like a village that does not exist, and nothing is written."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.establishments import selectors, services
from khuyencong.establishments.models import Establishment
from khuyencong.establishments.tests.factories import commune, make_establishment

pytestmark = pytest.mark.django_db


def _not_found(pk: int) -> str:
    return f"Không tìm thấy làng nghề có mã số “{pk}” trong phạm vi của bạn."


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def hanoi(make_user):
    officer = make_user("provincial_officer", province="01")
    village = services.craft_village_save(
        user=officer, data={"name": "Làng gốm Bát Tràng", "kind": "lang_nghe", "commune": commune("Xã Bát Tràng", "01")}
    )
    return {"officer": officer, "village": village}


@pytest.fixture
def own_village(officer):
    return services.craft_village_save(
        user=officer,
        data={"name": "Làng nghề dệt thổ cẩm B'Sar", "kind": "lang_nghe", "commune": commune("Xã Đức Trọng")},
    )


def _village_count(user, village) -> int:
    """The number the province's list of craft villages shows."""
    listed: Any = selectors.craft_village_list(user=user).get(pk=village.pk)
    return listed.establishment_count


def test_api_patch_with_another_provinces_craft_village_is_refused_like_a_missing_one(client, officer, hanoi):
    establishment = make_establishment(officer, name="Cơ sở dệt Đức Trọng")
    client.force_login(officer)
    url = f"/api/v1/establishments/{establishment.pk}/"
    village = hanoi["village"]
    other = client.patch(url, {"craft_village": village.pk, "version": 1}, content_type="application/json")
    missing = client.patch(url, {"craft_village": 99_999_999, "version": 1}, content_type="application/json")
    assert other.status_code == missing.status_code == 400
    assert other.json() == {
        "code": "invalid",
        "message": "Dữ liệu gửi lên không hợp lệ.",
        "errors": {"craft_village": [_not_found(village.pk)]},
    }
    assert missing.json()["errors"] == {"craft_village": [_not_found(99_999_999)]}
    assert "Bát Tràng" not in other.content.decode()  # the other province's village is not named
    establishment.refresh_from_db()
    assert establishment.craft_village_id is None and establishment.version == 1
    assert not establishment.history.filter(craft_village_id=village.pk).exists()
    assert _village_count(hanoi["officer"], village) == 0  # Hà Nội's count is untouched
    junk = client.patch(url, {"craft_village": "abc", "version": 1}, content_type="application/json")
    assert junk.status_code == 400 and junk.json()["errors"]["craft_village"] == ["“abc” không phải là mã số hợp lệ."]


def test_api_create_with_another_provinces_craft_village_writes_nothing(client, officer, hanoi):
    client.force_login(officer)
    payload = {
        "name": "Cơ sở mây tre Lâm Hà",
        "legal_form": "ho_kinh_doanh",
        "commune_recorded": commune("Xã Đức Trọng").pk,
        "craft_village": hanoi["village"].pk,
    }
    response = client.post("/api/v1/establishments/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"craft_village": [_not_found(hanoi["village"].pk)]}
    assert not Establishment.objects.filter(name="Cơ sở mây tre Lâm Hà").exists()


def test_api_accepts_a_village_of_the_area(client, officer, own_village):
    establishment = make_establishment(officer)
    client.force_login(officer)
    url = f"/api/v1/establishments/{establishment.pk}/"
    response = client.patch(url, {"craft_village": own_village.pk, "version": 1}, content_type="application/json")
    assert response.status_code == 200 and response.json()["craft_village"] == own_village.pk
    assert _village_count(officer, own_village) == 1


def test_html_form_refuses_another_provinces_village_with_the_same_message(client, officer, hanoi):
    establishment = make_establishment(officer, name="Cơ sở rèn Đa Sỹ")
    client.force_login(officer)
    data = {
        "name": "Cơ sở rèn Đa Sỹ",
        "legal_form": "ho_kinh_doanh",
        "commune_recorded": commune("Xã Đức Trọng").pk,
        "craft_village": hanoi["village"].pk,
        "status": "active",
        "source": "registration",
        "version": 1,
    }
    response = client.post(reverse("establishments:edit", args=[establishment.pk]), data)
    assert response.status_code == 200
    assert _not_found(hanoi["village"].pk) in response.content.decode()
    establishment.refresh_from_db()
    assert establishment.craft_village_id is None and establishment.version == 1


def test_the_service_itself_refuses_another_areas_village(officer, hanoi):
    """Whatever calls the service (an import, a survey, a future view) gets the same refusal."""
    establishment = make_establishment(officer)
    with pytest.raises(ApplicationError) as refused:
        services.establishment_update(
            user=officer,
            establishment_id=establishment.pk,
            data={"craft_village": hanoi["village"]},
            expected_version=1,
        )
    assert refused.value.code == ErrorCode.INVALID and refused.value.field == "craft_village"
    assert str(refused.value.message) == _not_found(hanoi["village"].pk)
    establishment.refresh_from_db()
    assert establishment.craft_village_id is None


def test_a_national_officer_cannot_join_an_establishment_to_another_provinces_village(make_user, officer, hanoi):
    ministry = make_user("ministry_officer", province=None)
    establishment = make_establishment(officer)
    with pytest.raises(ApplicationError) as refused:
        services.establishment_update(
            user=ministry,
            establishment_id=establishment.pk,
            data={"craft_village": hanoi["village"]},
            expected_version=1,
        )
    assert refused.value.field == "craft_village"
    assert str(refused.value.message) == "Làng nghề “Làng gốm Bát Tràng” không thuộc tỉnh của cơ sở."


def test_industry_and_group_are_reference_data_with_their_own_message(client, officer):
    establishment = make_establishment(officer)
    client.force_login(officer)
    url = f"/api/v1/establishments/{establishment.pk}/"
    response = client.patch(url, {"main_industry": 99_999_999, "version": 1}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"main_industry": ["Không tìm thấy ngành có mã số “99999999”."]}


def test_merge_form_names_the_other_record_through_the_scope(client, officer, make_user):
    """The merge form's hidden `other` is looked up in the user's establishments: another province's id is refused
    like an id that does not exist."""
    from khuyencong.establishments.forms import MergeForm

    hanoi_record = make_establishment(
        make_user("provincial_officer", province="01"), commune_recorded=commune("Xã Bát Tràng", "01")
    )
    form = MergeForm({"other": hanoi_record.pk}, user=officer, field_choices=[])
    missing = MergeForm({"other": 99_999_999}, user=officer, field_choices=[])
    assert not form.is_valid() and not missing.is_valid()
    assert form.errors["other"] == [f"Không tìm thấy cơ sở có mã số “{hanoi_record.pk}” trong phạm vi của bạn."]
    assert missing.errors["other"] == ["Không tìm thấy cơ sở có mã số “99999999” trong phạm vi của bạn."]
