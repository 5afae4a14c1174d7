"""The plan's arithmetic as properties (docs/figures.md, "Planned"): for random allocation tables (provinces ×
contents, with or without a province's or a content's own row), two versions in force at different dates, projects
included and money events, the figures of every province add up to the country's, those of every content to the
all-contents figure, a region's equal the sum of its provinces', both versions of a content are one content — for
planned, assigned, disbursed, settled and counterpart. The part of a plan allocated to no province (no content) is
the breakdown's own line, computed by the code, never by the test. A scenario then follows one plan allocated by
province × content into the progress page, the API and the province's periodic report file."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.accounts.choices import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.geography.models import AdminUnit, Region
from khuyencong.geography.selectors import region_provinces
from khuyencong.plans.models import MoneyEvent, PlanItem
from khuyencong.plans.selectors import Query, plan_breakdown, plan_vs_actual
from khuyencong.plans.services import (
    AllocationInput,
    DecisionInput,
    _add_to_totals,
    _item_total,
    plan_adjust,
    plan_create,
)
from khuyencong.policy.models import ActivityContent
from khuyencong.projects.services import project_create
from khuyencong.projects.tests.factories import centre, content, department

pytestmark = pytest.mark.django_db
D = datetime.date
PROVINCES = ["68", "66", "52", "79"]  # Lâm Đồng, Đắk Lắk, Gia Lai (Tây Nguyên) and Hồ Chí Minh
CODES = ["4.1", "4.3", "4.4"]
APPROVED_ON, ADJUSTED_ON, LOCAL_ON = D(2025, 1, 10), D(2025, 11, 1), D(2025, 2, 1)  # ND 235 wording from 15/10/2025
FIGURES = ("planned_vnd", "assigned_vnd", "disbursed_vnd", "settled_vnd", "counterpart_committed_vnd",
           "counterpart_settled_vnd", "other_settled_vnd")  # fmt: skip
KINDS = [("khuyen_cong", "advance"), ("khuyen_cong", "payment"), ("khuyen_cong", "refund"),
         ("khuyen_cong", "settlement"), ("counterpart", "commitment"), ("counterpart", "settlement"),
         ("other", "settlement")]  # fmt: skip

amounts = st.integers(min_value=0, max_value=5 * 10**11)  # a whole table stays under the 10.000 tỷ ceiling


@st.composite
def national_tables(draw):
    """A table that holds together: cells; a province's own row at least its cells; a content's own row at least
    its cells; a total at least every breakdown."""
    cells = draw(st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 2)), amounts, max_size=8))
    own_provinces = draw(st.dictionaries(st.integers(0, 3), amounts, max_size=4))
    own_contents = draw(st.dictionaries(st.integers(0, 2), amounts, max_size=3))
    provinces = {p: sum(a for (q, _c), a in cells.items() if q == p) + extra for p, extra in own_provinces.items()}
    contents = {c: sum(a for (_p, d), a in cells.items() if d == c) + extra for c, extra in own_contents.items()}
    province_limits = [provinces.get(p, sum(a for (q, _c), a in cells.items() if q == p)) for p in range(4)]
    content_limits = [contents.get(c, sum(a for (_p, d), a in cells.items() if d == c)) for c in range(3)]
    total = max(sum(province_limits), sum(content_limits)) + draw(amounts)
    return {"total": total, "cells": cells, "provinces": provinces, "contents": contents}


@st.composite
def local_tables(draw):
    contents = draw(st.dictionaries(st.integers(0, 2), amounts, max_size=3))
    return {"total": sum(contents.values()) + draw(amounts), "contents": contents}


@st.composite
def worlds(draw):
    return {
        "approved": draw(national_tables()),
        "adjusted": draw(national_tables()),
        "local": draw(local_tables()),
        # version of each content id named in the tables: 2012 wording or 2025 wording (the service maps it)
        "wording": draw(st.lists(st.booleans(), min_size=3, max_size=3)),
        "items": draw(st.lists(st.integers(0, 10**11), min_size=9, max_size=9)),
        "events": draw(
            st.lists(
                st.tuples(
                    st.integers(0, 8), st.integers(0, len(KINDS) - 1), st.integers(1, 10**11), st.integers(0, 540)
                ),  # fmt: skip
                max_size=15,
            )
        ),
        "as_of": draw(st.dates(min_value=D(2024, 12, 1), max_value=D(2026, 12, 31))),
        "fund": draw(st.sampled_from([None, "kcqg", "kcdp"])),
    }


def _project(user, org, activity: ActivityContent, *, fund: str):
    values = content(user, org, year=2025, fund=fund, establishments=[])
    values.contents = [activity.pk]
    values.targets = []
    return project_create(user=user, content=values)


@pytest.fixture
def setting():
    """Users, provinces, contents and nine projects of plan year 2025: two national ones (contents 4.1 and 4.3) in
    each of four provinces and a local one (4.4) in Lâm Đồng."""
    provinces = [AdminUnit.objects.get(level="province", code=code, valid_to__isnull=True) for code in PROVINCES]
    contents = {
        code: [
            ActivityContent.objects.get(code=code, valid_to__isnull=False),
            ActivityContent.objects.get(code=code, valid_to__isnull=True),
        ]  # fmt: skip
        for code in CODES
    }
    mofficer = make_user(Role.MINISTRY_OFFICER, province=None)
    projects, officers, centres = [], {}, {}
    for province in PROVINCES:
        centres[province] = centre(province)
        user = officers[province] = make_user(
            Role.PROVINCIAL_OFFICER, province=province, organisation=centres[province]
        )
        for code in ("4.1", "4.3"):
            projects.append(_project(user, centres[province], contents[code][0], fund="kcqg"))
    projects.append(_project(officers["68"], centres["68"], contents["4.4"][1], fund="kcdp"))
    region = Region.objects.get(code="kt-xh-tay-nguyen")
    return {
        "provinces": provinces,
        "contents": contents,
        "projects": projects,
        "mofficer": mofficer,
        "so": officers["68"],
        "department": make_user(Role.PROVINCIAL_OFFICER, province="68", organisation=department("68")),
        "region": region,
    }


def _rows(table: dict, setting: dict, wording: list[bool]) -> list[AllocationInput]:
    def content(c: int) -> int:
        return setting["contents"][CODES[c]][int(wording[c])].pk

    provinces = setting["provinces"]
    rows = [AllocationInput(a, provinces[p].pk, content(c)) for (p, c), a in table["cells"].items()]
    rows += [AllocationInput(a, provinces[p].pk, None) for p, a in table["provinces"].items()]
    rows += [AllocationInput(a, None, content(c)) for c, a in table["contents"].items()]
    return rows


def _build(world: dict, setting: dict) -> None:
    user = setting["mofficer"]
    national = plan_create(
        user=user, fund="kcqg", year=2025, province_id=None, title="Kế hoạch KCQG 2025",
        total_vnd=world["approved"]["total"], allocations=_rows(world["approved"], setting, world["wording"]),
        decision=DecisionInput("1/QĐ-BCT", APPROVED_ON, "Bộ trưởng"),
    )  # fmt: skip
    adjusted = plan_adjust(
        user=user, plan_id=national.pk, total_vnd=world["adjusted"]["total"],
        allocations=_rows(world["adjusted"], setting, world["wording"]),
        decision=DecisionInput("2/QĐ-BCT", ADJUSTED_ON, "Bộ trưởng"),
    )  # fmt: skip
    lam_dong = setting["provinces"][0]
    local_rows = [
        AllocationInput(a, None, setting["contents"][CODES[c]][1].pk) for c, a in world["local"]["contents"].items()
    ]
    local = plan_create(
        user=setting["department"], fund="kcdp", year=2025, province_id=lam_dong.pk, title="Kế hoạch KCĐP 2025",
        total_vnd=world["local"]["total"], allocations=local_rows,
        decision=DecisionInput("5/QĐ-UBND", LOCAL_ON, "Chủ tịch"),
    )  # fmt: skip
    versions = {"kcqg": [national.versions.get(number=1), adjusted], "kcdp": [local.versions.get()]}
    for project, amount in zip(setting["projects"], world["items"], strict=True):
        for version in versions[project.fund]:
            PlanItem.objects.create(version=version, project=project, approved_vnd=amount)
            _item_total(version, project, amount)
    for index, kind, amount, days in world["events"]:
        project = setting["projects"][index]
        source, kind = KINDS[kind]
        event = MoneyEvent.objects.create(
            project=project, kind=kind, source=source, amount_vnd=amount,
            occurred_on=D(2025, 1, 1) + datetime.timedelta(days=days), fund=project.fund,
            province_id=project.province_id, plan_year=2025, content=project.contents.get(),
        )  # fmt: skip
        _add_to_totals(event)


def _in_force(world: dict, as_of: datetime.date) -> tuple[dict | None, dict | None]:
    national = world["adjusted"] if as_of >= ADJUSTED_ON else world["approved"] if as_of >= APPROVED_ON else None
    return national, world["local"] if as_of >= LOCAL_ON else None


def _expected_planned(world: dict, province: int | None, content: int | None, fund: str | None) -> int:
    """The rule of docs/figures.md, written from the generated tables (the specification, not the code)."""
    national, local = _in_force(world, world["as_of"])
    total = 0
    if national is not None and fund in (None, "kcqg"):
        cells = national["cells"]
        if province is None and content is None:
            total += national["total"]
        elif province is None:
            own = national["contents"].get(content)
            total += own if own is not None else sum(a for (_p, c), a in cells.items() if c == content)
        elif content is None:
            own = national["provinces"].get(province)
            total += own if own is not None else sum(a for (p, _c), a in cells.items() if p == province)
        else:
            total += cells.get((province, content), 0)
    if local is not None and fund in (None, "kcdp") and province in (None, 0):
        total += local["total"] if content is None else local["contents"].get(content, 0)
    return total


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_provinces_contents_and_regions_add_up(setting, world):
    with transaction.atomic():
        _build(world, setting)
        user, provinces = setting["mofficer"], setting["provinces"]

        def figures(province_ids=None, content=None):
            query = Query(world["as_of"], 2025, 2025, fund=world["fund"], content_id=content,
                          provinces=None if province_ids is None else frozenset(province_ids))  # fmt: skip
            return plan_vs_actual(user=user, query=query).figures

        country = figures()
        by_province = {p.pk: figures([p.pk]) for p in provinces}
        breakdown = plan_breakdown(user=user, query=Query(world["as_of"], 2025, 2025, fund=world["fund"]))
        assert breakdown is not None
        rest = {row.key: row for row in breakdown.by_province}.get(None)
        # Every province's figure is the rule's, and the provinces with the part allocated to none make the whole.
        for n, province in enumerate(provinces):
            assert by_province[province.pk].planned_vnd == _expected_planned(world, n, None, world["fund"])
        assert country.planned_vnd == _expected_planned(world, None, None, world["fund"])
        assert breakdown.planned_vnd == country.planned_vnd
        assert sum(f.planned_vnd for f in by_province.values()) + (rest.planned_vnd if rest else 0) == (
            country.planned_vnd
        )
        for row in breakdown.by_province:
            if row.key is not None:
                assert row.planned_vnd == by_province[row.key].planned_vnd
                assert row.disbursed_vnd == by_province[row.key].disbursed_vnd
        for name in FIGURES[1:]:  # money always has a province: the provinces add up exactly
            assert sum(getattr(f, name) for f in by_province.values()) == getattr(country, name), name
        # Contents: each content's two wordings are one content; the contents with the part allocated to none make
        # the all-contents figure.
        by_content = {}
        for c, code in enumerate(CODES):
            old, new = (figures(content=v.pk) for v in setting["contents"][code])
            assert old == new, code
            assert old.planned_vnd == _expected_planned(world, None, c, world["fund"])
            by_content[code] = old
        content_rows = {row.key: row for row in breakdown.by_content}
        unassigned = content_rows[None].planned_vnd if None in content_rows else 0
        assert sum(f.planned_vnd for f in by_content.values()) + unassigned == country.planned_vnd
        for key, row in content_rows.items():
            if isinstance(key, str):
                code = key
                assert (row.planned_vnd, row.disbursed_vnd) == (by_content[code].planned_vnd,
                                                                by_content[code].disbursed_vnd)  # fmt: skip
        for name in FIGURES[1:]:
            assert sum(getattr(f, name) for f in by_content.values()) == getattr(country, name), name
        # A province and a content: the cell (or the local plan's content row).
        lam_dong = provinces[0].pk
        cell = figures([lam_dong], setting["contents"]["4.3"][0].pk)
        assert cell.planned_vnd == _expected_planned(world, 0, 1, world["fund"])
        # A region is the sum of its provinces.
        # (figures are kept on today's provinces: a region is its provinces of today, docs/figures.md)
        members = frozenset(region_provinces(setting["region"], timezone.localdate()))
        assert {p.pk for p in provinces[:3]} <= members
        region = figures(members)
        for name in FIGURES:
            assert getattr(region, name) == sum(getattr(by_province[p.pk], name) for p in provinces[:3]), name
        # The province's own officer reads exactly the province's figures.
        own = plan_vs_actual(user=setting["so"], query=Query(world["as_of"], 2025, 2025, fund=world["fund"]))
        assert own.figures == by_province[lam_dong]
        transaction.set_rollback(True)


# ---- the scenario of the issue: a national plan allocated by province × content -------------------------------------

WALK = [
    ("submit", "centre", None), ("receive", "so", None), ("pass_appraisal", "so", True), ("register", "so", None),
    ("ministry_receive", "mofficer", None), ("include_in_plan", "mapprover", True), ("assign", "mofficer", True),
    ("sign_contract", "mofficer", True), ("start", "centre", None),
]  # fmt: skip


def _under_way(cast, activity: ActivityContent, year: int = 2026):
    from khuyencong.projects.tests.factories import decision
    from khuyencong.projects.workflow import project_transition

    values = content(cast["centre"], cast["_centre_org"], year=year)
    values.contents = [activity.pk]
    project = project_create(user=cast["centre"], content=values)
    for name, who, needs_decision in WALK:
        project_transition(
            user=cast[who], project_id=project.pk, name=name, data=decision() if needs_decision else None
        )
    return project


def test_a_national_plan_by_province_and_content_reaches_the_province_its_progress_and_its_report(client):
    import io

    import openpyxl
    from django.utils import translation

    from khuyencong.core.exceptions import ApplicationError
    from khuyencong.plans.services import money_event_record, plan_item_set
    from khuyencong.projects.tests.factories import people
    from khuyencong.reports.official import periodic_report, render_xlsx

    cast = people()
    lam_dong = AdminUnit.objects.get(level="province", code="68", valid_to__isnull=True)
    dak_lak = AdminUnit.objects.get(level="province", code="66", valid_to__isnull=True)
    c41, c43, c44 = (ActivityContent.objects.get(code=code, valid_to__isnull=True) for code in ("4.1", "4.3", "4.4"))
    old_43 = ActivityContent.objects.get(code="4.3", valid_to__isnull=False)
    million = 1_000_000
    plan = plan_create(
        user=cast["mofficer"], fund="kcqg", year=2026, province_id=None, title="Kế hoạch khuyến công quốc gia 2026",
        total_vnd=5_000 * million, decision=DecisionInput("3150/QĐ-BCT", D(2025, 12, 20), "Thứ trưởng", D(2026, 1, 1)),
        allocations=[
            AllocationInput(1_500 * million, lam_dong.pk, c43.pk),  # Lâm Đồng only by content: no total of its own
            AllocationInput(500 * million, lam_dong.pk, c41.pk),
            AllocationInput(1_200 * million, dak_lak.pk, None),  # Đắk Lắk: a total, no content
            AllocationInput(800 * million, None, c44.pk),  # a content with a national total only
        ],
    )  # fmt: skip
    project = _under_way(cast, c43)
    plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=project.pk, approved_vnd=1_000 * million)
    money_event_record(user=cast["mofficer"], project_id=project.pk, kind="advance", source="khuyen_cong",
                       amount_vnd=700 * million, occurred_on=D(2026, 6, 1))  # fmt: skip
    as_of = D(2026, 9, 30)

    def planned(user, **filters):
        return plan_vs_actual(user=user, query=Query(as_of, 2026, 2026, **filters))

    # The province's figure counts the cells that name a content (it showed "Kế hoạch 0 đ").
    province = planned(cast["so"])
    assert province.figures.planned_vnd == 2_000 * million
    assert province.display()["progress"] == "35,00 %"
    assert planned(cast["mofficer"], provinces=frozenset({lam_dong.pk})).figures == province.figures
    assert planned(cast["mofficer"], provinces=frozenset({lam_dong.pk}), content_id=old_43.pk).figures.planned_vnd == (
        1_500 * million
    )
    assert planned(cast["mofficer"], provinces=frozenset({dak_lak.pk})).figures.planned_vnd == 1_200 * million
    assert planned(cast["mofficer"], content_id=c44.pk).figures.planned_vnd == 800 * million
    country = planned(cast["mofficer"])
    assert country.figures.planned_vnd == 5_000 * million
    breakdown = plan_breakdown(user=cast["mofficer"], query=Query(as_of, 2026, 2026))
    assert breakdown is not None
    assert {(r.key, r.planned_vnd) for r in breakdown.by_province} == {
        (lam_dong.pk, 2_000 * million), (dak_lak.pk, 1_200 * million), (None, 1_800 * million)
    }  # fmt: skip
    assert [(r.key, r.planned_vnd) for r in breakdown.by_content] == [
        ("4.1", 500 * million), ("4.3", 1_500 * million), ("4.4", 800 * million), (None, 2_200 * million)
    ]  # fmt: skip
    # Including a project beyond the cell is refused with the figures.
    second = _under_way(cast, c43)
    with translation.override("vi"), pytest.raises(ApplicationError) as caught:
        plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=second.pk, approved_vnd=1_000 * million)
    assert caught.value.message == (
        "Lâm Đồng, nội dung 4.3: các đề án đưa vào kế hoạch sẽ là 2.000.000.000 đ, vượt mức được phân bổ "
        "1.500.000.000 đ."
    )
    with translation.override("vi"), pytest.raises(ApplicationError) as caught:
        plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=second.pk, approved_vnd=1_000 * million + 1)
    assert "vượt kinh phí khuyến công được duyệt cho đề án (1.000.000.000 đ)" in str(caught.value.message)
    # The progress page of the province and the official periodic report file say the same.
    client.force_login(cast["so"])
    page = client.get("/plans/progress/", {"as_of": "30/09/2026", "year_from": 2026, "year_to": 2026})
    html = page.content.decode()
    assert 'data-testid="figure-planned">2.000.000.000 đ<' in html and "35,00 %" in html
    document = periodic_report(user=cast["so"], province_id=lam_dong.pk, year=2026, period="q3")
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(document))).active
    rows = {row[0]: row[1:4] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Kế hoạch"] == ("2.000", "0", "2.000")
    assert rows["Đã giải ngân (tạm ứng, thanh toán)"] == ("700", "0", "700")
    assert rows["Tỷ lệ giải ngân so với kế hoạch (%)"][0] == "35,00"


def test_bad_allocation_tables_are_refused_at_the_cell_with_nothing_written():
    from django.utils import translation

    from khuyencong.core.exceptions import ApplicationError
    from khuyencong.plans.models import AnnualPlan
    from khuyencong.projects.tests.factories import people

    cast = people()
    lam_dong = AdminUnit.objects.get(level="province", code="68", valid_to__isnull=True)
    c43_old = ActivityContent.objects.get(code="4.3", valid_to__isnull=False)
    c43_new = ActivityContent.objects.get(code="4.3", valid_to__isnull=True)
    million = 1_000_000

    def attempt(rows, *, total=1_000 * million, on=None, year=2026):
        on = on or D(2026, 1, 5)
        with translation.override("vi"), pytest.raises(ApplicationError) as caught:
            plan_create(user=cast["mofficer"], fund="kcqg", year=year, province_id=None, title="KH", total_vnd=total,
                        decision=DecisionInput("1/QĐ-BCT", on, "Bộ trưởng"), allocations=rows)  # fmt: skip
        return caught.value

    error = attempt([AllocationInput(-5, lam_dong.pk, None)])
    assert error.field == "allocations-0-amount_vnd"
    error = attempt([AllocationInput(600 * million, lam_dong.pk, None),
                     AllocationInput(700 * million, lam_dong.pk, c43_new.pk)])  # fmt: skip
    assert error.message == (
        "Lâm Đồng: tổng các dòng phân bổ chi tiết sẽ là 700.000.000 đ, vượt mức được phân bổ 600.000.000 đ."
    )
    error = attempt([AllocationInput(600 * million, None, c43_new.pk), AllocationInput(500 * million, None, None)],
                    total=500 * million)  # fmt: skip
    assert "Phân bổ cho các nội dung cộng lại là 600.000.000 đ, vượt tổng kinh phí" in error.message
    # The two wordings of one content are one content: naming both is naming it twice.
    error = attempt([AllocationInput(1, lam_dong.pk, c43_old.pk), AllocationInput(2, lam_dong.pk, c43_new.pk)])
    assert (error.field, error.message) == ("allocations-1-amount_vnd",
                                            "Dòng phân bổ 2 trùng dòng 1 (cùng tỉnh và nội dung).")  # fmt: skip
    # A plan in force before the contents of ND 45/2012 had any wording names none of them.
    error = attempt([AllocationInput(1, None, c43_new.pk)], on=D(2012, 1, 5), year=2012)
    assert error.message == "Dòng phân bổ 1: nội dung 4.3 chưa (hoặc không còn) có hiệu lực vào ngày 05/01/2012."
    assert not AnnualPlan.objects.exists()
    # A content named in either wording is stored as the wording in force on the version's date.
    plan = plan_create(user=cast["mofficer"], fund="kcqg", year=2026, province_id=None, title="KH",
                       total_vnd=10, decision=DecisionInput("1/QĐ-BCT", D(2026, 1, 5), "Bộ trưởng"),
                       allocations=[AllocationInput(3, lam_dong.pk, c43_old.pk)])  # fmt: skip
    assert list(plan.versions.get().allocations.values_list("content_id", flat=True)) == [c43_new.pk]
