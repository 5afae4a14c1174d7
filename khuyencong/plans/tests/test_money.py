"""Plans, money events and plan-versus-actual: published figures entered as data come out as published; every bad
input is refused with its reason and nothing written; the figures are current right after a write."""

import datetime

import pytest
from django.utils import timezone, translation

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.plans.models import MoneyEvent, MoneyTotal, PlanVersion
from khuyencong.plans.selectors import Query, plan_vs_actual
from khuyencong.plans.services import (
    AllocationInput,
    DecisionInput,
    money_event_record,
    plan_adjust,
    plan_create,
    plan_item_set,
    totals_rebuild,
)
from khuyencong.projects.models import BudgetLine
from khuyencong.projects.tests.factories import decision, make_project, people
from khuyencong.projects.workflow import project_transition

pytestmark = pytest.mark.django_db
D = datetime.date
TY = 1_000_000_000  # một tỷ đồng


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def cast():
    return people()


WALK = [
    ("submit", "centre", None), ("receive", "so", None), ("pass_appraisal", "so", True), ("register", "so", None),
    ("ministry_receive", "mofficer", None), ("include_in_plan", "mapprover", True), ("assign", "mofficer", True),
    ("sign_contract", "mofficer", True), ("start", "centre", None),
]  # fmt: skip


def _project_under_way(cast, *, year, kc_vnd, counterpart_vnd=0):
    project = make_project(cast["centre"], cast["_centre_org"], year=year)
    lines = list(project.budget_lines.order_by("position"))
    # The published figures are whole-programme sums: give the project a budget of that size.
    for line, amount in zip(lines, (kc_vnd, max(counterpart_vnd, lines[1].planned_vnd)), strict=True):
        line.planned_vnd = amount
        line.save()
    for name, who, needs_decision in WALK:
        project_transition(
            user=cast[who], project_id=project.pk, name=name, data=decision() if needs_decision else None
        )
    project.refresh_from_db()
    return project


def _accept(cast, project):
    project_transition(user=cast["so"], project_id=project.pk, name="accept", data=decision("1/BB-NT"))


def _decision(number="1/QĐ-BCT", on=None):
    return DecisionInput(number=number, date=on or D(2013, 12, 20), signer="Bộ trưởng")


def test_national_2014_2018_leverage_is_4_78_as_published(cast):
    """KCQG 2014–2018: state funds 481.407.000.000 đ, counterpart about 2.300 tỷ → 1 đồng attracts 4,78 đồng."""
    state = [96_281_400_000] * 5  # 481.407.000.000 đ over five plan years
    counterpart = [460 * TY] * 5  # 2.300.000.000.000 đ
    for n, year in enumerate(range(2014, 2019)):
        plan_create(
            user=cast["mofficer"], fund="kcqg", year=year, province_id=None, title=f"Kế hoạch KCQG {year}",
            total_vnd=100 * TY, decision=_decision(f"{n + 1}/QĐ-BCT", D(year - 1, 12, 20)),
        )  # fmt: skip
        project = _project_under_way(cast, year=year, kc_vnd=state[n], counterpart_vnd=counterpart[n])
        _accept(cast, project)
        # The settle step's amounts are the settlement the figures read (one record, not a second entry).
        lines = {line.source: line.pk for line in project.budget_lines.all()}
        settle = decision(f"{n + 1}/QĐ-QT", D(year, 12, 20))
        settle.extra = {"settled": {lines["khuyen_cong"]: state[n], lines["counterpart"]: counterpart[n]}}
        project_transition(user=cast["mofficer"], project_id=project.pk, name="settle", data=settle)
    result = plan_vs_actual(user=cast["mofficer"], query=Query(as_of=D(2019, 1, 31), year_from=2014, year_to=2018))
    assert result.figures.settled_vnd == 481_407_000_000
    assert result.figures.counterpart_settled_vnd == 2_300_000_000_000
    assert result.figures.planned_vnd == 500 * TY
    display = result.display()
    assert display["leverage"] == "4,78"
    assert display["settled_vnd"] == "481.407.000.000 đ"
    assert display["settled_progress"] == "96,28 %"
    # Shares of the total by source, rounded so that they add up to 100 %.
    assert (display["share_state"], display["share_counterpart"]) == ("17,3 %", "82,7 %")
    assert sum(result.shares or []) == 100
    # The province of the projects sees the same money; another province sees none of it.
    own = plan_vs_actual(user=cast["so"], query=Query(as_of=D(2019, 1, 31), year_from=2014, year_to=2018))
    assert own.figures.settled_vnd == 481_407_000_000
    assert own.figures.planned_vnd == 0  # the national plans allocate nothing to the province yet
    other = plan_vs_actual(user=cast["other_so"], query=Query(as_of=D(2019, 1, 31), year_from=2014, year_to=2018))
    assert other.figures.settled_vnd == 0 and other.leverage is None


def test_progress_against_the_version_in_force_and_year_on_year(cast):
    plan = plan_create(
        user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="Kế hoạch KCQG 2025",
        total_vnd=100 * TY, decision=_decision("10/QĐ-BCT", D(2024, 12, 30)),
        allocations=[AllocationInput(40 * TY, cast["_centre_org"].province_id, None)],
    )  # fmt: skip
    project = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=project.pk, approved_vnd=10 * TY)
    money_event_record(
        user=cast["mofficer"], project_id=project.pk, kind="advance", source="khuyen_cong",
        amount_vnd=7 * TY, occurred_on=D(2025, 3, 10),
    )  # fmt: skip
    before = plan_vs_actual(user=cast["so"], query=Query(as_of=D(2025, 3, 31), year_from=2025, year_to=2025))
    # Right after the write: the province's planned 40 tỷ, assigned 10 tỷ, disbursed 7 tỷ → 17,50 %.
    assert (before.figures.planned_vnd, before.figures.assigned_vnd, before.figures.disbursed_vnd) == (
        40 * TY, 10 * TY, 7 * TY,
    )  # fmt: skip
    assert before.display()["progress"] == "17,50 %"
    plan_adjust(
        user=cast["mofficer"], plan_id=plan.pk, decision=_decision("20/QĐ-BCT", D(2025, 6, 1)), total_vnd=120 * TY,
        allocations=[AllocationInput(35 * TY, cast["_centre_org"].province_id, None)],
    )  # fmt: skip
    # On 31/3 the first version is in force; on 30/6 the adjusted one.
    assert plan_vs_actual(user=cast["so"], query=Query(D(2025, 3, 31), 2025, 2025)).figures.planned_vnd == 40 * TY
    after = plan_vs_actual(user=cast["so"], query=Query(D(2025, 6, 30), 2025, 2025))
    assert after.figures.planned_vnd == 35 * TY and after.display()["progress"] == "20,00 %"
    assert after.figures.assigned_vnd == 10 * TY  # the project was carried into the new version
    whole = plan_vs_actual(user=cast["mofficer"], query=Query(D(2025, 6, 30), 2025, 2025))
    assert whole.figures.planned_vnd == 120 * TY
    # A year later with nothing more: the same plan year is compared with 2024 (nothing) → no change figure.
    assert whole.changes["planned"] is None
    # The running totals equal the events they sum, and a rebuild gives the same figures.
    assert sum(MoneyTotal.objects.values_list("amount_vnd", flat=True)) == sum(
        MoneyEvent.objects.values_list("amount_vnd", flat=True)
    )
    totals_rebuild()
    assert plan_vs_actual(user=cast["so"], query=Query(D(2025, 6, 30), 2025, 2025)).figures == after.figures


def test_bad_money_and_plan_input_is_refused_with_nothing_written(cast):
    project = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    record = {"user": cast["mofficer"], "project_id": project.pk, "source": "khuyen_cong", "occurred_on": D(2025, 4, 1)}
    cases = [
        ({"kind": "payment", "amount_vnd": 11 * TY}, ErrorCode.INVALID, "10.000.000.000 đ"),
        ({"kind": "advance", "amount_vnd": 8 * TY}, ErrorCode.INVALID, "70 %"),  # the general 70 % rule
        ({"kind": "settlement", "amount_vnd": 1 * TY}, ErrorCode.CONFLICT, "Phê duyệt quyết toán"),
        ({"kind": "refund", "amount_vnd": 1}, ErrorCode.INVALID, None),
        ({"kind": "payment", "amount_vnd": -5}, ErrorCode.INVALID, None),
        ({"kind": "payment", "amount_vnd": 0}, ErrorCode.INVALID, None),
        ({"kind": "commitment", "amount_vnd": 5}, ErrorCode.INVALID, None),  # not a kind of khuyến công funds
        ({"kind": "payment", "amount_vnd": 5, "occurred_on": D(2099, 1, 1)}, ErrorCode.INVALID_DATE, None),
    ]
    for values, code, text in cases:
        with pytest.raises(ApplicationError) as caught:
            money_event_record(**{**record, **values})
        assert caught.value.code == code, values
        if text:
            assert text in str(caught.value.message), (values, caught.value.message)
    # The wrong role (the Department on a national project's funds) and another province are refused too.
    with pytest.raises(ApplicationError) as caught:
        money_event_record(**{**record, "user": cast["so"], "kind": "payment", "amount_vnd": 5})
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(ApplicationError) as caught:
        money_event_record(**{**record, "user": cast["other_so"], "kind": "payment", "amount_vnd": 5})
    assert caught.value.code == ErrorCode.OUT_OF_SCOPE
    assert MoneyEvent.objects.count() == 0 and MoneyTotal.objects.count() == 0

    with pytest.raises(ApplicationError) as caught:
        plan_create(user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="KH", total_vnd=TY,
                    decision=None)  # fmt: skip
    assert caught.value.field == "decision_number"
    with pytest.raises(ApplicationError) as caught:
        too_much = [AllocationInput(2 * TY, cast["_centre_org"].province_id)]
        plan_create(user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="KH", total_vnd=TY,
                    decision=_decision(), allocations=too_much)  # fmt: skip
    assert "vượt" in str(caught.value.message)
    with pytest.raises(ApplicationError) as caught:
        plan_create(user=cast["so"], fund="kcqg", year=2025, province_id=None, title="KH", total_vnd=TY,
                    decision=_decision())  # fmt: skip
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    plan = plan_create(user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="KH", total_vnd=TY,
                       decision=_decision())  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        plan_adjust(user=cast["mofficer"], plan_id=plan.pk, decision=None, total_vnd=2 * TY)
    assert caught.value.field == "decision_number"
    with pytest.raises(ApplicationError):
        plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=project.pk, approved_vnd=2 * TY)
    assert PlanVersion.objects.filter(plan=plan).count() == 1 and not plan.versions.get().items.exists()


def test_advances_follow_the_rule_and_refunds_reduce_what_was_disbursed(cast):
    project = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    base = {"user": cast["mofficer"], "project_id": project.pk, "source": "khuyen_cong", "occurred_on": D(2025, 4, 1)}
    money_event_record(**base, kind="advance", amount_vnd=7 * TY)  # exactly 70 %
    money_event_record(**base, kind="payment", amount_vnd=3 * TY)
    money_event_record(**base, kind="refund", amount_vnd=TY)
    assert BudgetLine.objects.filter(project=project, source="khuyen_cong").get().approved_vnd == 10 * TY
    result = plan_vs_actual(user=cast["mofficer"], query=Query(D(2025, 4, 30), 2025, 2025))
    assert result.figures.disbursed_vnd == 9 * TY and result.figures.refunded_vnd == TY
    _accept(cast, project)
    lines = {line.source: line for line in project.budget_lines.all()}
    settle = decision("5/QĐ-CĐMST")
    settle.extra = {
        "settled": {lines["khuyen_cong"].pk: 9 * TY, lines["counterpart"].pk: lines["counterpart"].approved_vnd}
    }
    project_transition(user=cast["mofficer"], project_id=project.pk, name="settle", data=settle)
    settled = plan_vs_actual(user=cast["mofficer"], query=Query(timezone.localdate(), 2025, 2025))
    # The step's amounts are the settlement: one event per source, dated and referenced by its decision.
    assert settled.figures.settled_vnd == 9 * TY
    assert settled.figures.counterpart_settled_vnd == lines["counterpart"].approved_vnd
    events = MoneyEvent.objects.filter(project=project, kind="settlement")
    assert sorted(events.values_list("source", "amount_vnd", "reference")) == [
        ("counterpart", lines["counterpart"].approved_vnd, "5/QĐ-CĐMST"),
        ("khuyen_cong", 9 * TY, "5/QĐ-CĐMST"),
    ]
    # No second entry: a settlement is not recorded as a money event of its own.
    with pytest.raises(ApplicationError) as caught:
        money_event_record(**base, kind="settlement", amount_vnd=TY)
    assert caught.value.code == ErrorCode.CONFLICT and events.count() == 2


def test_filters_by_content_and_programme_and_the_totals_follow_plan_changes(cast):
    from khuyencong.plans.models import PlanItemTotal, Programme
    from khuyencong.policy.models import ActivityContent

    content = ActivityContent.objects.order_by("code").first()
    assert content is not None
    plan = plan_create(
        user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="KH 2025", total_vnd=100 * TY,
        decision=_decision("30/QĐ-BCT", D(2024, 12, 1)),
        allocations=[AllocationInput(60 * TY, None, content.pk),
                     AllocationInput(30 * TY, cast["_centre_org"].province_id)],
    )  # fmt: skip
    with_content = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    with_content.contents.set([content])
    without = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    for project in (with_content, without):
        plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=project.pk, approved_vnd=8 * TY)
        money_event_record(user=cast["mofficer"], project_id=project.pk, kind="payment", source="khuyen_cong",
                           amount_vnd=2 * TY, occurred_on=D(2025, 2, 1))  # fmt: skip
    by_content = plan_vs_actual(user=cast["mofficer"], query=Query(D(2025, 12, 31), 2025, 2025, content_id=content.pk))
    assert (by_content.figures.planned_vnd, by_content.figures.assigned_vnd, by_content.figures.disbursed_vnd) == (
        60 * TY, 8 * TY, 2 * TY,
    )  # fmt: skip
    programme = Programme.objects.get(code="kcqg-2021-2025")
    in_programme = plan_vs_actual(
        user=cast["mofficer"], query=Query(D(2025, 12, 31), 2000, 2030, programme_id=programme.pk)
    )
    assert in_programme.figures.disbursed_vnd == 4 * TY and in_programme.figures.planned_vnd == 100 * TY
    later = Programme.objects.get(code="kcqg-2026-2030")
    assert (
        plan_vs_actual(
            user=cast["mofficer"], query=Query(D(2025, 12, 31), 2000, 2030, programme_id=later.pk)
        ).figures.disbursed_vnd
        == 0
    )
    # Changing and removing a project in the plan keeps the totals equal to the items.
    plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=without.pk, approved_vnd=5 * TY)
    assert sum(PlanItemTotal.objects.values_list("amount_vnd", flat=True)) == 13 * TY
    plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=without.pk, approved_vnd=None)
    assert (
        plan_vs_actual(user=cast["mofficer"], query=Query(D(2025, 12, 31), 2025, 2025)).figures.assigned_vnd == 8 * TY
    )
    before = plan_vs_actual(user=cast["mofficer"], query=Query(D(2025, 12, 31), 2025, 2025, content_id=content.pk))
    totals_rebuild()
    assert (
        plan_vs_actual(user=cast["mofficer"], query=Query(D(2025, 12, 31), 2025, 2025, content_id=content.pk)).figures
        == before.figures
    )


def test_four_months_progress_and_the_change_on_the_same_period_a_year_before(cast):
    """ "4 tháng đầu năm giải ngân X tỷ đồng, đạt Y % kế hoạch, thấp hơn Z % so với cùng kỳ"."""
    for year, disbursed in ((2024, 10 * TY), (2025, 8 * TY)):
        plan_create(
            user=cast["mofficer"], fund="kcqg", year=year, province_id=None, title=f"KH {year}", total_vnd=40 * TY,
            decision=_decision(f"{year}/QĐ-BCT", D(year - 1, 12, 15)),
        )  # fmt: skip
        project = _project_under_way(cast, year=year, kc_vnd=20 * TY)
        money_event_record(user=cast["mofficer"], project_id=project.pk, kind="payment", source="khuyen_cong",
                           amount_vnd=disbursed, occurred_on=D(year, 4, 15))  # fmt: skip
        # Money after the first four months is not counted as of 30/4.
        money_event_record(user=cast["mofficer"], project_id=project.pk, kind="payment", source="khuyen_cong",
                           amount_vnd=TY, occurred_on=D(year, 5, 2))  # fmt: skip
    result = plan_vs_actual(user=cast["mofficer"], query=Query(D(2025, 4, 30), 2025, 2025))
    display = result.display()
    assert display["disbursed_vnd"] == "8.000.000.000 đ"
    assert display["progress"] == "20,00 %"
    assert display["change_disbursed"] == "-20,00 %"
    assert display["change_planned"] == "0,00 %"


def test_an_unknown_programme_is_refused_not_a_500(cast):
    with pytest.raises(ApplicationError) as caught:
        plan_create(user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="KH", total_vnd=TY,
                    decision=_decision(), programme_id=999_999)  # fmt: skip
    assert caught.value.field == "programme"
