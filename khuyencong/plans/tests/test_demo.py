"""`make run`'s demo holds a year of the programme: plans with allocations, projects put in the plan and paid, one
settled with its results — so plan versus actual, leverage and the dashboard show figures on a fresh machine."""

import pytest
from django.utils import timezone, translation

from khuyencong.accounts.demo import load_demo_data
from khuyencong.accounts.models import User
from khuyencong.plans.demo import LOCAL_PLAN_VND, NATIONAL_ALLOCATIONS, load_demo_plans
from khuyencong.plans.models import Allocation, AnnualPlan, MoneyEvent
from khuyencong.plans.selectors import Query, plan_vs_actual
from khuyencong.projects.demo import load_demo_projects
from khuyencong.projects.models import Project, Target
from khuyencong.projects.tests.factories import beneficiary_establishments

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    with translation.override("vi"):
        load_demo_data()
        centre = User.objects.get(username="lamdong.canbo")
        beneficiary_establishments(centre, count=7)
        assert load_demo_projects() == 3
        assert load_demo_plans() == 2
        assert load_demo_plans() == 0  # idempotent
    return {u.username: u for u in User.objects.filter(username__in=["lamdong.so", "bo.canbo"])}


def test_the_demo_year_shows_figures_for_the_province_and_the_country(demo, client):
    year = timezone.localdate().year
    assert AnnualPlan.objects.filter(year=year).count() == 2
    assert Allocation.objects.filter(version__plan__fund="kcqg").count() == len(NATIONAL_ALLOCATIONS)
    settled = Project.objects.get(status="settled")
    assert {t.indicator.code: t.achieved for t in Target.objects.filter(project=settled)} == {
        "models": 2, "jobs_created": 34,
    }  # fmt: skip
    query = Query(as_of=timezone.localdate(), year_from=year, year_to=year)
    province = plan_vs_actual(user=demo["lamdong.so"], query=query)
    events = MoneyEvent.objects.filter(project__province__code="68")
    # the province's plan: its share of the national plan and its own local plan
    assert province.figures.planned_vnd == NATIONAL_ALLOCATIONS["68"] + LOCAL_PLAN_VND
    advanced = sum(e.amount_vnd for e in events if e.kind == "advance")
    assert province.figures.advanced_vnd == advanced > 0
    assert province.figures.settled_vnd > 0 and province.figures.counterpart_settled_vnd > 0
    assert province.leverage is not None and province.leverage > 1
    country = plan_vs_actual(user=demo["bo.canbo"], query=query)
    assert country.figures.planned_vnd >= sum(NATIONAL_ALLOCATIONS.values())
    assert country.figures.settled_vnd == province.figures.settled_vnd
    display = province.display()
    assert display["leverage"] not in ("", "—", None)

    client.force_login(demo["lamdong.so"])
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["headline"]["disbursed_vnd"] != "0 đ"
    progress = client.get("/plans/progress/", {"year_from": year, "year_to": year})
    assert progress.status_code == 200 and display["leverage"] in progress.content.decode()
