"""The world the API contract suite (`test_api_contract.py`) works in: in Lâm Đồng (68, the provincial officer's and
the collaborator's area) and in Hà Nội (01, another area) establishments, craft villages, draft and running projects
with money, national and local plans, collaborators and their reports, all written through the services like real
ones; the three callers (a ministry officer, a provincial officer, a collaborator) logged in with a session.

`World.ids` lists, by kind of record, ids the callers may reach and ids of the other area, so that the suite sends
real ids (and other areas' ids, which must answer like ids that do not exist) beside the generated ones."""

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

ROLES = ("ministry_officer", "provincial_officer", "collaborator")
TY = 1_000_000_000


@dataclass
class Caller:
    """A logged-in user: the session and CSRF cookies and the CSRF header for unsafe methods."""

    user: Any
    cookies: dict[str, str]
    headers: dict[str, str]


@dataclass
class World:
    callers: dict[str, Caller]
    #: kind of record -> ids (own area first, then the other area's)
    ids: dict[str, list[Any]] = field(default_factory=dict)
    step_names: list[str] = field(default_factory=list)
    #: particular records the hand-written requests use
    named: dict[str, Any] = field(default_factory=dict)


def login(user: Any) -> Caller:
    """A session for `user` (as the login page would leave it) and a CSRF token the API checks on unsafe methods."""
    client = Client()
    client.force_login(user)
    token = secrets.token_hex(16)  # a 32-character secret: Django accepts it unmasked in the header
    return Caller(
        user=user,
        cookies={settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
                 settings.CSRF_COOKIE_NAME: token},
        headers={"X-CSRFToken": token, "Accept-Language": "vi"},
    )  # fmt: skip


def build_world() -> World:
    from khuyencong.accounts.choices import Role
    from khuyencong.accounts.tests.factories import make_user
    from khuyencong.collaborators import services as collaborator_services
    from khuyencong.collaborators.models import Submission
    from khuyencong.collaborators.tests.factories import GOOD, appoint, communes, last_quarter, quarterly
    from khuyencong.establishments.models import CraftVillage
    from khuyencong.establishments.services import craft_village_save
    from khuyencong.establishments.tests.factories import make_establishment
    from khuyencong.geography.models import AdminUnit
    from khuyencong.plans.models import AnnualPlan, MoneyEvent, Programme
    from khuyencong.plans.services import AllocationInput, DecisionInput, money_event_record, plan_create
    from khuyencong.policy.models import ActivityContent
    from khuyencong.projects import workflow
    from khuyencong.projects.models import Project
    from khuyencong.projects.tests.factories import beneficiary_establishments, decision, make_project, people
    from khuyencong.projects.workflow import project_transition

    cast = people("68")
    lam_dong = communes("68", 3)
    ha_noi = communes("01", 2)

    # The registry: establishments and craft villages in both provinces.
    own_establishments = beneficiary_establishments(cast["centre"], 2, "68")
    other_establishments = [
        make_establishment(cast["other_centre"], name="Cơ sở dệt lụa Vạn Phúc", commune_recorded=ha_noi[0])
    ]
    villages = [
        craft_village_save(user=user, data={"name": name, "kind": "lang_nghe", "craft": "Dệt", "commune": place})
        for user, name, place in (
            (cast["so"], "Làng nghề dệt thổ cẩm B'Lao", lam_dong[0]),
            (cast["other_so"], "Làng lụa Vạn Phúc", ha_noi[0]),
        )
    ]

    # Projects: a draft and one under way (with money) in Lâm Đồng, a draft in Hà Nội.
    year = timezone.localdate().year
    draft = make_project(cast["centre"], cast["_centre_org"], establishments=own_establishments[:1])
    running = make_project(cast["centre"], cast["_centre_org"], establishments=own_establishments[1:], year=year)
    walk = [
        ("submit", "centre", False), ("receive", "so", False), ("pass_appraisal", "so", True),
        ("register", "so", False), ("ministry_receive", "mofficer", False), ("include_in_plan", "mapprover", True),
        ("assign", "mofficer", True), ("sign_contract", "mofficer", True), ("start", "centre", False),
    ]  # fmt: skip
    for name, who, needs_decision in walk:
        project_transition(
            user=cast[who], project_id=running.pk, name=name, data=decision() if needs_decision else None
        )
    other_project = make_project(
        cast["other_centre"], cast["other_centre"].organisation, establishments=other_establishments
    )
    money_event_record(
        user=cast["mofficer"], project_id=running.pk, kind="advance", source="khuyen_cong", amount_vnd=100_000_000,
        occurred_on=timezone.localdate(),
    )  # fmt: skip

    # Plans: the national plan, and a local plan in each province.
    signed = DecisionInput("10/QĐ-BCT", timezone.localdate() - datetime.timedelta(days=30), "Bộ trưởng")
    plan_create(
        user=cast["mofficer"], fund="kcqg", year=year, province_id=None, title=f"Kế hoạch KCQG {year}",
        total_vnd=100 * TY, decision=signed, allocations=[AllocationInput(40 * TY, lam_dong[0].province_id, None)],
    )  # fmt: skip
    for user, place in ((cast["so"], lam_dong[0]), (cast["other_so"], ha_noi[0])):
        plan_create(
            user=user, fund="kcdp", year=year, province_id=place.province_id, title=f"Kế hoạch KCĐP {year}",
            total_vnd=5 * TY, decision=DecisionInput("2/QĐ-UBND", signed.date, "Chủ tịch"),
        )  # fmt: skip

    # Collaborators and their reports of last quarter, in both provinces.
    own_collaborator = appoint(make_user(Role.PROVINCIAL_OFFICER, province="68"), lam_dong[:2])
    other_collaborator = appoint(make_user(Role.PROVINCIAL_OFFICER, province="01"), ha_noi[:1], name="Lê Văn Nam")
    for collaborator, place in ((own_collaborator, lam_dong[0]), (other_collaborator, ha_noi[0])):
        collaborator_services.report_submit(
            user=collaborator.user, form_id=quarterly().pk, commune_id=place.pk, period_start=last_quarter(),
            values=GOOD, submit_key=f"contract-{place.pk}",
        )  # fmt: skip

    own_provinces = [lam_dong[0].province_id]
    other_provinces = [ha_noi[0].province_id]
    world = World(
        callers={
            "ministry_officer": login(cast["mofficer"]),
            "provincial_officer": login(cast["centre"]),
            "collaborator": login(own_collaborator.user),
        },
        step_names=list(workflow.STEP_NAMES),
    )
    by_area = {
        "establishments": ([e.pk for e in own_establishments], [e.pk for e in other_establishments]),
        "craft_villages": ([villages[0].pk], [villages[1].pk]),
        "projects": ([draft.pk, running.pk], [other_project.pk]),
        "plans": (
            list(AnnualPlan.objects.exclude(province_id__in=other_provinces).values_list("pk", flat=True)),
            list(AnnualPlan.objects.filter(province_id__in=other_provinces).values_list("pk", flat=True)),
        ),
        "money-events": (list(MoneyEvent.objects.values_list("pk", flat=True)), []),
        "collaborators": ([own_collaborator.pk], [other_collaborator.pk]),
        "submissions": (
            list(Submission.objects.filter(province_id__in=own_provinces).values_list("pk", flat=True)),
            list(Submission.objects.filter(province_id__in=other_provinces).values_list("pk", flat=True)),
        ),
        "organisations": ([cast["_centre_org"].pk], [cast["other_centre"].organisation.pk]),
        "programmes": (list(Programme.objects.values_list("pk", flat=True)[:3]), []),
        "provinces": (own_provinces, other_provinces),
        "communes": ([c.pk for c in lam_dong], [c.pk for c in ha_noi]),
        "units": (
            [lam_dong[0].pk, lam_dong[0].province_id],
            list(AdminUnit.objects.filter(valid_to__isnull=False).values_list("pk", flat=True)[:1]),
        ),
        "contents": (list(ActivityContent.objects.values_list("pk", flat=True)[:3]), []),
    }
    world.ids = {kind: [*own, *other] for kind, (own, other) in by_area.items()}
    world.named = {
        "commune": lam_dong[0].pk,
        "uncovered_report_commune": lam_dong[1].pk,  # covered by the collaborator, no report yet
        "province": lam_dong[0].province_id,
        "village": villages[0].pk,
        "establishment": own_establishments[0].pk,
        "draft_project": draft.pk,
        "running_project": running.pk,
        "national_plan": AnnualPlan.objects.get(province__isnull=True).pk,
        "submitted_report": Submission.objects.get(province_id__in=own_provinces).pk,
        "last_quarter": last_quarter().isoformat(),
        "today": timezone.localdate().isoformat(),
        "organisation": cast["_centre_org"].pk,
        "year": year,
    }
    world.ids["report-forms"] = ["ctv-quy", "khao-sat-co-so"]
    assert Project.objects.count() == 3 and CraftVillage.objects.count() == 2
    return world
