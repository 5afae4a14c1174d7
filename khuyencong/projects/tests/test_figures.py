"""The running project figures (`figures.py`) always equal the figures counted from the projects themselves: after
creating, editing (moving a draft to another plan year), every step of the lifecycle, acceptance with results, the
post-support evaluation and an establishment merge; and `figures_rebuild()` writes the same rows."""

import pytest
from django.utils import translation

from khuyencong.core.exceptions import ApplicationError
from khuyencong.establishments.services import establishment_merge
from khuyencong.projects.figures import TABLES, figures_rebuild
from khuyencong.projects.models import Project, StatusTotal, SupportedEstablishment
from khuyencong.projects.selectors import project_queryset, project_statistics, project_statistics_counted
from khuyencong.projects.services import beneficiary_evaluation_save, project_update
from khuyencong.projects.workflow import StepInput, project_transition

from .factories import beneficiary_establishments, content, decision, make_project, people

pytestmark = pytest.mark.django_db

WHO = ("mofficer", "so", "other_so")


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def cast():
    return people()


def _agree(cast, years):
    """For a ministry, an own-province and an other-province user, every fund and every range of the years given,
    the running figures equal the counted ones; returns the ministry's figures over all the years."""
    for who in WHO:
        user = cast[who]
        for fund in (None, "kcqg", "kcdp"):
            for year_from in years:
                for year_to in years:
                    if year_to < year_from:
                        continue
                    kept = project_statistics(user=user, year_from=year_from, year_to=year_to, fund=fund)
                    counted = project_statistics_counted(
                        project_queryset(user=user), year_from=year_from, year_to=year_to, fund=fund
                    )
                    assert kept == counted, (who, fund, year_from, year_to)
    return project_statistics(user=cast["mofficer"], year_from=min(years), year_to=max(years))


def _rows():
    """Every running-figure row (the supported establishments as a set: a merge may leave a duplicate there)."""
    rows = {}
    for table in TABLES:
        values = [tuple(v for k, v in row.items() if k != "id") for row in table.objects.values().order_by()]
        rows[table.__name__] = sorted(set(values) if table is SupportedEstablishment else values, key=repr)
    return rows


def test_running_figures_follow_every_write(cast):
    shared = beneficiary_establishments(cast["centre"], 3)
    national = make_project(cast["centre"], cast["_centre_org"], establishments=shared[:2])
    second = make_project(cast["centre"], cast["_centre_org"], establishments=shared[2:])
    year = national.plan_year
    years = (year, year + 1)
    local = make_project(cast["centre"], cast["_centre_org"], fund="kcdp", establishments=shared[1:])
    elsewhere = beneficiary_establishments(cast["other_centre"], 1, province="01")
    make_project(cast["other_centre"], cast["other_centre"].organisation, establishments=elsewhere, fund="kcdp")
    stats = _agree(cast, years)
    assert stats["projects"] == 4 and stats["by_status"] == {"draft": 4}
    assert stats["establishments_supported"] == 0  # drafts support nobody yet

    # A draft moved to the next plan year leaves its old group.
    moved = content(cast["centre"], cast["_centre_org"], fund="kcdp", establishments=shared[1:], year=year + 1)
    project_update(user=cast["centre"], project_id=local.pk, content=moved, expected_version=local.version)
    stats = _agree(cast, years)
    kept = project_statistics(user=cast["mofficer"], year_from=year, year_to=year, fund="kcdp")
    assert kept["projects"] == 1  # only the other province's project is left in that year
    assert project_statistics(user=cast["so"], year_from=year, year_to=year, fund="kcdp")["projects"] == 0

    walk = [
        ("submit", "centre", None),
        ("receive", "so", None),
        ("pass_appraisal", "so", decision("01/PTĐ-SCT")),
        ("register", "so", None),
        ("ministry_receive", "mofficer", None),
        ("include_in_plan", "mapprover", decision("120/QĐ-BCT")),
        ("assign", "mofficer", decision("45/QĐ-CĐMST")),
        ("sign_contract", "mofficer", decision("07/HĐ-KCQG")),
        ("start", "centre", None),
    ]
    for name, actor, data in walk:
        project_transition(user=cast[actor], project_id=national.pk, name=name, data=data)
        _agree(cast, years)
    for name, actor, data in walk:
        project_transition(user=cast[actor], project_id=second.pk, name=name, data=data)
    stats = _agree(cast, years)
    assert stats["establishments_supported"] == 3
    assert stats["outputs"]["models"] == (2 + 1 + 2 + 1, 0)

    accept = decision("03/BB-NT")
    accept.extra = {"achieved": {"models": 2, "jobs_created": 25}}
    project_transition(user=cast["so"], project_id=national.pk, name="accept", data=accept)
    stats = _agree(cast, years)
    assert stats["outputs"]["models"] == (6, 2) and stats["outputs"]["jobs_created"] == (80, 25)

    beneficiary = national.beneficiaries.order_by("pk")[0]
    beneficiary_evaluation_save(
        user=cast["centre"],
        beneficiary_id=beneficiary.pk,
        values={"revenue_before_vnd": 1_000_000_000, "revenue_year1_vnd": 1_300_000_000},
    )
    stats = _agree(cast, years)
    assert (stats["revenue_before_vnd"], stats["revenue_after_vnd"], stats["revenue_evaluated"]) == (
        1_000_000_000,
        1_300_000_000,
        1,
    )

    # Two supported establishments turn out to be one: the merge re-points the figures too.
    establishment_merge(user=cast["so"], survivor_id=shared[0].pk, other_id=shared[2].pk, take_from_other=[])
    stats = _agree(cast, years)
    assert stats["establishments_supported"] == 2

    maintained = _rows()
    assert figures_rebuild() == StatusTotal.objects.count()
    assert _rows() == maintained


def test_a_refused_step_leaves_the_figures_as_they_were(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    before = _rows()
    with pytest.raises(ApplicationError):
        project_transition(user=cast["other_so"], project_id=project.pk, name="submit", data=StepInput())
    assert _rows() == before
    assert Project.objects.get(pk=project.pk).status == "draft"
    _agree(cast, (project.plan_year,))


def test_merging_two_beneficiaries_of_one_project_is_refused_with_nothing_written(cast):
    from khuyencong.core.exceptions import ErrorCode
    from khuyencong.establishments.models import Establishment

    both = beneficiary_establishments(cast["centre"], 2)
    project = make_project(cast["centre"], cast["_centre_org"], establishments=both)
    with pytest.raises(ApplicationError) as caught:
        establishment_merge(user=cast["so"], survivor_id=both[0].pk, other_id=both[1].pk, take_from_other=[])
    assert caught.value.code == ErrorCode.CONFLICT
    assert str(caught.value.message) == (
        "Cả hai cơ sở cùng có tên trong một danh sách cơ sở thụ hưởng; hãy sửa danh sách đó trước khi gộp."
    )
    assert Establishment.objects.filter(pk__in=[e.pk for e in both]).count() == 2
    assert sorted(project.beneficiaries.values_list("establishment_id", flat=True)) == sorted(e.pk for e in both)


def test_the_rebuild_command_recomputes_the_same_figures(cast):
    from io import StringIO

    from django.core.management import call_command

    project = make_project(cast["centre"], cast["_centre_org"])
    project_transition(user=cast["centre"], project_id=project.pk, name="submit", data=StepInput())
    maintained = _rows()
    StatusTotal.objects.all().delete()
    out = StringIO()
    call_command("rebuild_totals", stdout=out)
    assert "project figures: 1 status rows" in out.getvalue()
    assert _rows() == maintained


def test_outputs_kept_in_the_cache_follow_every_write(cast):
    """The country's outputs over many years are kept in the cache; a project written after a read is counted by the
    next read (the key follows the totals' state), and a project deleted from the figures is no longer counted."""
    from django.core.cache import cache

    year = 2027
    make_project(cast["centre"], cast["_centre_org"], year=year)
    first = project_statistics(user=cast["mofficer"], year_from=2020, year_to=2030)
    assert first["outputs"]["models"][0] == 2
    assert any("kc:outputs:" in key for key in cache._cache)  # type: ignore[attr-defined]  # local memory in tests
    second_project = make_project(cast["centre"], cast["_centre_org"], year=year)
    assert project_statistics(user=cast["mofficer"], year_from=2020, year_to=2030)["outputs"]["models"][0] == 4
    # A project whose targets go away: its group is recomputed, one row fewer — the next read says so.
    from khuyencong.core.history import allow_untracked_writes
    from khuyencong.projects.figures import figures_refresh
    from khuyencong.projects.models import Target

    with allow_untracked_writes():
        Target.objects.filter(project=second_project).delete()
    figures_refresh(second_project)
    assert project_statistics(user=cast["mofficer"], year_from=2020, year_to=2030)["outputs"]["models"][0] == 2
