"""A small country for the generated suites: two provinces (Lâm Đồng "68", ours, and Hà Nội "01", the other), each
with its staff and one of every kind of record a URL can name, all made through the services like real ones.

`build_world()` returns a `World`: `world.users[role]` are the people of Lâm Đồng (and the ministry),
`world.own[...]` / `world.other[...]` the records of each province, keyed by the names the URL map of the scope
matrix uses (`establishment`, `project`, `document`, …).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts.choices import Role
from khuyencong.accounts.services import api_token_create
from khuyencong.accounts.tests.factories import make_user
from khuyencong.collaborators.models import ReportForm
from khuyencong.collaborators.services import draft_save, report_submit
from khuyencong.collaborators.surveys import campaign_create, response_save
from khuyencong.collaborators.tests.factories import GOOD, appoint, communes, last_quarter, quarterly
from khuyencong.establishments.models import DuplicateFlag, EstablishmentYear, ExportJob, ImportBatch, Representative
from khuyencong.establishments.services import (
    craft_village_save,
    establishment_create,
    establishment_year_save,
    saved_filter_save,
)
from khuyencong.plans.services import (
    AllocationInput,
    DecisionInput,
    TargetInput,
    money_event_record,
    plan_create,
    programme_save,
)
from khuyencong.projects.services import document_upload, progress_report_submit, project_create
from khuyencong.projects.tests.factories import centre, content, decision, department
from khuyencong.projects.workflow import project_transition
from khuyencong.reports.models import ReportJob

OWN, OTHER = "68", "01"
TY = 1_000_000_000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The steps that take a national project from draft to under way, and who takes each.
WALK = [
    ("submit", "officer", None), ("receive", "so", None), ("pass_appraisal", "so", True), ("register", "so", None),
    ("ministry_receive", "mofficer", None), ("include_in_plan", "mapprover", True), ("assign", "mofficer", True),
    ("sign_contract", "mofficer", True), ("start", "officer", None),
]  # fmt: skip


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    own: dict[str, Any] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)
    #: Records of Lâm Đồng outside a commune-scoped user's communes or a representative's establishment.
    neighbour: dict[str, Any] = field(default_factory=dict)


def _people(province: str, national: dict[str, Any]) -> dict[str, Any]:
    own_centre, own_department = centre(province), department(province)
    people = {
        "officer": make_user(Role.PROVINCIAL_OFFICER, province=province, organisation=own_centre),
        "so": make_user(Role.PROVINCIAL_OFFICER, province=province, organisation=own_department),
        "approver": make_user(Role.PROVINCIAL_APPROVER, province=province, organisation=own_department),
        "auditor": make_user(Role.AUDITOR, province=province),
        "_centre": own_centre,
        "_department": own_department,
    }
    TOTPDevice.objects.create(user=people["approver"], name="test", confirmed=True)
    return {**national, **people}


def _province_records(province: str, cast: dict[str, Any], year: int) -> dict[str, Any]:
    """One record of every kind for `province`, made by its own staff."""
    today = timezone.localdate()
    officer = cast["officer"]
    places = communes(province, 3)
    rec: dict[str, Any] = {"commune": places[0], "commune_outside": places[2], "province": places[0].province}
    rec["organisation"] = cast["_centre"]
    rec["village"] = craft_village_save(
        user=officer, data={"name": f"Làng nghề thử nghiệm {province}", "kind": "craft", "commune": places[0]}
    )
    rec["establishment"] = establishment_create(
        user=officer,
        data={
            "name": f"Hợp tác xã Mây tre đan {province}",
            "legal_form": "htx",
            "commune_recorded": places[0],
            "craft_village": rec["village"],
            "owner_name": "Nguyễn Thị Hương",
            "phone": f"09{province}123456",
        },
    )
    # Same name in the same commune: a possible duplicate of the first.
    rec["establishment_twin"] = establishment_create(
        user=officer,
        data={"name": rec["establishment"].name, "legal_form": "ho_kinh_doanh", "commune_recorded": places[0]},
    )
    rec["flag"] = DuplicateFlag.objects.get(establishment=rec["establishment"], other=rec["establishment_twin"])
    rec["establishment_outside"] = establishment_create(
        user=officer,
        data={"name": f"Cơ sở chè {province}", "legal_form": "ho_kinh_doanh", "commune_recorded": places[2]},
    )
    establishment_year_save(
        user=officer,
        establishment_id=rec["establishment"].pk,
        data={"year": year - 1, "revenue_vnd": 1_200_000_000, "employees": 12},
    )
    rec["year_figures"] = EstablishmentYear.objects.get(establishment=rec["establishment"], year=year - 1)
    verified_officer = type(officer).objects.get(pk=officer.pk)
    verified_officer.is_verified = lambda: True
    rec["api_token"], _key = api_token_create(user=verified_officer, name=f"Đồng bộ {province}", access="read")
    rec["saved_filter"] = saved_filter_save(user=officer, name="Hợp tác xã", query="legal_form=htx")
    export = ExportJob(user=officer, query="", file_format="csv", total=1, done=1, status=ExportJob.JobStatus.DONE)
    export.file.save("co-so.csv", ContentFile("\ufeffID\n1\n".encode()), save=False)
    export.save()
    rec["export_job"] = export
    batch = ImportBatch(user=officer, file_name="co-so.csv", status=ImportBatch.BatchStatus.CHECKED)
    batch.file.save("co-so.csv", ContentFile("Tên cơ sở\nCơ sở A\n".encode()), save=False)
    batch.save()
    rec["import_batch"] = batch
    report = ReportJob(
        user=officer, kind="periodic", file_format="xlsx", params={"province": places[0].province_id, "year": year},
        status=ReportJob.JobStatus.DONE,
    )  # fmt: skip
    report.file.save("bao-cao.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    report.save()
    rec["report_job"] = report

    # A national project under way, with a document, a progress report and its beneficiaries; and a draft.
    beneficiaries = [rec["establishment"]]
    project = project_create(
        user=officer, content=content(officer, cast["_centre"], establishments=beneficiaries, year=year)
    )
    for name, who, needs_decision in WALK:
        project_transition(
            user=cast[who], project_id=project.pk, name=name, data=decision() if needs_decision else None
        )
    project.refresh_from_db()
    rec["project"] = project
    rec["beneficiary"] = project.beneficiaries.first()
    rec["document"] = document_upload(
        user=officer, project_id=project.pk, kind="other", stream=ContentFile(PDF), name="quyet-dinh.pdf", size=len(PDF)
    )
    rec["progress_report"] = progress_report_submit(
        user=officer, project_id=project.pk, month=today.replace(day=1), work_done="Đã lắp đặt máy sấy",
        percent_done=30, spent={"khuyen_cong": 0, "counterpart": 0, "other": 0},
    )  # fmt: skip
    rec["draft_project"] = project_create(
        user=officer, content=content(officer, cast["_centre"], establishments=[rec["establishment_twin"]], fund="kcdp")
    )
    rec["money_event"] = money_event_record(
        user=cast["mofficer"], project_id=project.pk, kind="advance", source="khuyen_cong",
        amount_vnd=100_000_000, occurred_on=today,
    )  # fmt: skip
    rec["plan"] = plan_create(
        user=cast["so"], fund="kcdp", year=year, province_id=places[0].province_id, title=f"Kế hoạch KCĐP {year}",
        total_vnd=10 * TY, decision=DecisionInput(f"5/QĐ-UBND-{province}", today, "Chủ tịch UBND tỉnh"),
        allocations=[AllocationInput(10 * TY, places[0].province_id, None)],
    )  # fmt: skip

    rec["programme"] = programme_save(
        user=cast["so"], name=f"Chương trình khuyến công tỉnh {province} giai đoạn 2026 - 2030", start_year=2026,
        end_year=2030, province_id=places[0].province_id,
        decision=DecisionInput(f"12/QĐ-UBND-{province}", today, "Chủ tịch UBND tỉnh"),
        targets=[TargetInput("models", 10), TargetInput("establishments_supported", 58)],
    )  # fmt: skip

    # The collaborators' network: a collaborator covering two communes, a submitted report, a survey and a response.
    rec["collaborator"] = appoint(officer, places[:2], name=f"Ka K'Brơi {province}")
    collaborator_user = rec["collaborator"].user
    rec["collaborator_user"] = collaborator_user
    form = quarterly()
    period = last_quarter()
    values = dict(GOOD)
    draft_save(user=collaborator_user, form_id=form.pk, commune_id=places[0].pk, period_start=period, values=values)
    rec["submission"] = report_submit(
        user=collaborator_user, form_id=form.pk, commune_id=places[0].pk, period_start=period, values=values,
        submit_key=f"world-{province}",
    ).submission  # fmt: skip
    rec["report_form"] = form
    rec["period"] = period.isoformat()
    rec["campaign"] = campaign_create(
        user=officer, title=f"Khảo sát cơ sở {province}", form_id=ReportForm.objects.get(code="khao-sat-co-so").pk,
        communes=[p.pk for p in places[:2]], opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=30), year=today.year - 1,
    )  # fmt: skip
    rec["survey_response"] = response_save(
        user=collaborator_user, campaign_id=rec["campaign"].pk, commune_id=places[0].pk,
        establishment_id=rec["establishment"].pk, values={"employees": "12", "main_products": "Mây tre"},
    )  # fmt: skip
    rec["representative"] = make_user(Role.ESTABLISHMENT_REP, represents=[rec["establishment"]])
    rec["representative_link"] = Representative.objects.get(user=rec["representative"])
    return rec


def build_world() -> World:
    """Both provinces, their staff and records; the ministry's people; and Lâm Đồng's users of every role."""
    year = timezone.localdate().year
    national = {
        "mofficer": make_user(Role.MINISTRY_OFFICER, province=None),
        "mapprover": make_user(Role.MINISTRY_APPROVER, province=None),
        "admin": make_user(Role.SYSTEM_ADMIN, province=None),
        "national_auditor": make_user(Role.AUDITOR, province=None),
    }
    for user in (national["mapprover"], national["admin"]):
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    plan_create(
        user=national["mofficer"], fund="kcqg", year=year, province_id=None, title=f"Kế hoạch KCQG {year}",
        total_vnd=100 * TY, decision=DecisionInput(f"1/QĐ-BCT-{year}", timezone.localdate(), "Bộ trưởng"),
    )  # fmt: skip
    own_cast = _people(OWN, national)
    other_cast = _people(OTHER, national)
    world = World()
    world.own = _province_records(OWN, own_cast, year)
    world.other = _province_records(OTHER, other_cast, year)
    world.users = {
        "officer": own_cast["officer"],
        "so": own_cast["so"],
        "approver": own_cast["approver"],
        "auditor": own_cast["auditor"],
        "collaborator": world.own["collaborator_user"],
        "representative": world.own["representative"],
        **national,
    }
    # What a narrower user of Lâm Đồng must not reach either: the commune a collaborator does not cover, the
    # establishment a representative does not represent.
    world.neighbour = {"establishment": world.own["establishment_outside"]}
    return world
