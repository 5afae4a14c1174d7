"""The eligibility and ceiling check, judged by the seeded rules at their dates."""

import datetime

import pytest
from django.utils import translation

from khuyencong.geography.models import AdminUnit
from khuyencong.policy.eligibility import SupportCase, area_class_on, check_support, support_ceiling
from khuyencong.policy.models import AreaClassification, EligibleIndustryGroup, LegalDocument, SupportRule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


D = datetime.date
M = 1_000_000


def unit(full_name: str, province: str, *, current: bool = True) -> AdminUnit:
    return AdminUnit.objects.get(full_name=full_name, province__code=province, valid_to__isnull=current)


def case(**values) -> SupportCase:
    data = {
        "on": D(2026, 3, 1),
        "fund": "kcqg",
        "item_code": "b1",
        "legal_form": "htx",
        "commune": unit("Xã Đức Trọng", "68"),
        "eligible_cost_vnd": 2_000 * M,
        "support_vnd": 500 * M,
        "counterpart_vnd": 1_500 * M,
        "eligible_group": EligibleIndustryGroup.objects.get(code="a"),
    }
    data.update(values)
    return SupportCase(**data)


def codes(findings):
    return {f.code for f in findings}


def test_demonstration_model_ceiling_under_the_2014_and_the_current_rule():
    # 2016: TTLT 26/2014 — at most 30 % and 500 million per model.
    old = support_ceiling(case(on=D(2016, 6, 1), eligible_cost_vnd=3_000 * M, support_vnd=600 * M))
    assert old.rule is not None
    assert old.rule.legal_document.number == "26/2014/TTLT-BTC-BCT"
    assert old.amount_vnd == 500 * M
    assert [f.code for f in old.findings] == ["ceiling"]
    blocking = old.findings[0]
    assert blocking.blocking
    assert "600.000.000 đ" in blocking.message and "500.000.000 đ" in blocking.message
    assert blocking.basis == "Thông tư liên tịch 26/2014/TTLT-BTC-BCT, Điều 6 khoản 2"
    # 2026: TT 28/2018 — at most 30 % and 1,000 million per model: the same 600 million is allowed.
    new = support_ceiling(case(on=D(2026, 6, 1), eligible_cost_vnd=3_000 * M, support_vnd=600 * M))
    assert new.rule is not None
    assert new.rule.legal_document.number == "28/2018/TT-BTC"
    assert new.amount_vnd == 900 * M  # 30 % of 3,000 million is below the 1,000 million cap
    assert "ceiling" not in codes(new.findings)
    # its effective date is not recorded: the check says it took the signing date
    assert "rule_start_unknown" in codes(new.findings)
    too_much = support_ceiling(case(on=D(2026, 6, 1), eligible_cost_vnd=3_000 * M, support_vnd=900 * M + 1))
    assert "ceiling" in codes(too_much.findings)


def test_ceiling_follows_an_edited_rule_and_the_priority_multiplier():
    # 2014 rule: priority areas and industries get up to 1.5 × the cap.
    priority = support_ceiling(case(on=D(2016, 6, 1), eligible_cost_vnd=10_000 * M, support_vnd=750 * M, priority=True))
    assert priority.amount_vnd == 750 * M
    assert priority.findings == []
    # An administrator records the effective date of TT 28/2018: the warning goes.
    document = LegalDocument.objects.get(number="28/2018/TT-BTC")
    document.effective_from = D(2018, 5, 15)
    document.save()
    current = support_ceiling(case(on=D(2026, 6, 1), priority=True, support_vnd=300 * M))
    assert "rule_start_unknown" not in codes(current.findings)
    assert "multiplier_unknown" in codes(current.findings)  # not known for TT 28/2018: never guessed


def test_unknown_ceiling_is_said_not_invented():
    result = support_ceiling(case(item_code="c", support_vnd=100 * M))
    assert result.amount_vnd is None
    assert "ceiling_unknown" in codes(result.findings)
    assert SupportRule.objects.get(item__code="c", legal_document__number="28/2018/TT-BTC").max_amount_vnd is None


def test_ward_of_a_centrally_run_city_on_both_sides_of_15_october_2025():
    ward = unit("Phường Ba Đình", "01")
    before = check_support(case(on=D(2025, 10, 14), commune=ward))
    assert "location" not in codes(before)
    assert "location_city_grade" in codes(before)  # the 2012 rule: depends on the city's grade
    after = check_support(case(on=D(2025, 10, 15), commune=ward))
    location = next(f for f in after if f.code == "location")
    assert location.blocking
    assert "Thành phố Hà Nội" in location.message
    assert location.basis == "Nghị định 235/2025/NĐ-CP, Điều 1 khoản 2 (sửa Điều 1)"
    inside_village = check_support(case(on=D(2025, 10, 15), commune=ward, in_recognised_craft_village=True))
    assert "location" not in codes(inside_village)
    commune = check_support(case(on=D(2025, 10, 15), commune=unit("Xã Sóc Sơn", "01")))
    assert "location" not in codes(commune)


def test_ward_of_a_province_that_became_a_centrally_run_city_in_2026():
    ward = unit("Phường Đồng Xoài", "75")
    while_a_province = check_support(case(on=D(2026, 3, 1), commune=ward))
    assert "location" not in codes(while_a_province)
    as_a_city = check_support(case(on=D(2026, 10, 1), commune=ward))
    assert "location" in codes(as_a_city)


def test_legal_form_industry_counterpart_and_repeat_support():
    findings = check_support(
        case(
            on=D(2025, 6, 1),
            legal_form="lien_hiep_htx",  # admitted only from 15/10/2025
            support_vnd=400 * M,
            counterpart_vnd=1_000 * M,
            previous_support=[("KCQG-2024-01", 2024)],
        )
    )
    assert codes(findings) >= {"legal_form", "counterpart", "repeat"}
    counterpart = next(f for f in findings if f.code == "counterpart")
    assert "600.000.000 đ" in counterpart.message
    assert [f.blocking for f in findings] == sorted((f.blocking for f in findings), reverse=True)
    assert "legal_form" not in codes(check_support(case(on=D(2025, 10, 15), legal_form="lien_hiep_htx")))
    assert "industry_unknown" in codes(check_support(case(eligible_group=None)))
    assert codes(check_support(case(support_vnd=-1))) == {"negative_support_vnd"}


def test_area_class_comes_from_dated_classifications():
    commune = unit("Xã Đức Trọng", "68")
    assert area_class_on(commune, D(2026, 1, 1)) == "normal"
    AreaClassification.objects.create(
        unit=commune,
        kind="especially_difficult",
        legal_document=LegalDocument.objects.get(number="235/2025/NĐ-CP"),
        valid_from=D(2026, 1, 1),
    )
    assert area_class_on(commune, D(2025, 12, 31)) == "normal"
    assert area_class_on(commune, D(2026, 1, 1)) == "especially_difficult"
    founding = support_ceiling(case(item_code="a", on=D(2026, 2, 1), commune=commune, support_vnd=10 * M))
    assert founding.rule is not None
    assert founding.rule.area_class == "especially_difficult"
    assert founding.amount_vnd == 10 * M
    elsewhere = support_ceiling(
        case(item_code="a", on=D(2026, 2, 1), support_vnd=10 * M, commune=unit("Xã Di Linh", "68"))
    )
    assert elsewhere.rule is None
    assert "no_rule" in codes(elsewhere.findings)


def test_seed_loader_is_idempotent_and_keeps_edits():
    from khuyencong.policy.loader import load_policy_rules

    rule = SupportRule.objects.get(item__code="c", legal_document__number="28/2018/TT-BTC")
    rule.max_percent, rule.max_amount_vnd = 50, 300 * M  # an administrator enters the value from the text
    rule.save()
    assert load_policy_rules() == 0
    rule.refresh_from_db()
    assert rule.max_amount_vnd == 300 * M
    assert LegalDocument.objects.get(number="235/2025/NĐ-CP").amends.get().number == "45/2012/NĐ-CP"
    assert SupportRule.history.filter(history_type="+").count() == SupportRule.objects.count()


def test_ceiling_message_reads_as_an_officer_writes_it():
    result = support_ceiling(case(on=D(2016, 6, 1), eligible_cost_vnd=3_000 * M, support_vnd=600 * M))
    assert result.findings[0].sentence() == (
        "Mức hỗ trợ 600.000.000 đ vượt mức tối đa 500.000.000 đ (30 % chi phí được hỗ trợ; 500.000.000 đ/mô hình) "
        "(Thông tư liên tịch 26/2014/TTLT-BTC-BCT, Điều 6 khoản 2)."
    )
