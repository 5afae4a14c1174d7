import pytest

from khuyencong.accounts.models import Organisation
from khuyencong.accounts.tests.factories import org_in
from khuyencong.core.scoping import in_scope, scope_queryset, user_scope
from khuyencong.geography.models import AdminUnit

pytestmark = pytest.mark.django_db


def test_scope_of_each_kind_of_user(make_user):
    assert user_scope(make_user("ministry_officer")).is_country
    officer = make_user("provincial_officer", province="68")
    scope = user_scope(officer)
    assert scope.level == "province" and scope.label == "Tỉnh Lâm Đồng"
    communes = list(AdminUnit.objects.filter(province__code="68", level="commune", valid_to__isnull=True)[:4])
    collaborator = make_user("collaborator", communes=communes)
    scope = user_scope(collaborator)
    assert scope.level == "communes" and scope.commune_ids == {c.pk for c in communes}
    assert "1 xã, phường khác" in scope.label or "1 more commune" in scope.label
    assert user_scope(None).is_empty


def test_queryset_and_object_checks_agree(make_user):
    lam_dong, ha_noi = org_in("68"), org_in("01")
    national = org_in(None)
    officer = make_user("provincial_officer", province="68")
    visible = set(scope_queryset(Organisation.objects.all(), officer))
    assert visible == {lam_dong}
    for org in (lam_dong, ha_noi, national):
        assert in_scope(officer, org) == (org in visible)
    minister = make_user("ministry_approver")
    assert set(scope_queryset(Organisation.objects.all(), minister)) == {lam_dong, ha_noi, national}


def test_collaborator_sees_only_records_in_their_communes(make_user):
    communes = list(AdminUnit.objects.filter(province__code="68", level="commune", valid_to__isnull=True)[:2])
    other = AdminUnit.objects.filter(province__code="68", level="commune", valid_to__isnull=True)[5]
    inside = org_in("68", commune=communes[0])
    outside = org_in("68", commune=other)
    collaborator = make_user("collaborator", communes=communes)
    assert set(scope_queryset(Organisation.objects.all(), collaborator)) == {inside}
    assert in_scope(collaborator, inside) and not in_scope(collaborator, outside)


def test_a_user_without_scope_reaches_nothing(make_user):
    org_in("68")
    user = make_user("collaborator", communes=[])
    assert not scope_queryset(Organisation.objects.all(), user).exists()
