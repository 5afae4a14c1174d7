"""Projects for tests, written through the services like real ones."""

import datetime
from typing import Any

from django.utils import timezone

from khuyencong.accounts.choices import OrganisationKind, Role
from khuyencong.accounts.models import Organisation
from khuyencong.accounts.tests.factories import make_user, org_in
from khuyencong.establishments.models import Establishment
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.geography.models import AdminUnit
from khuyencong.policy.models import EligibleIndustryGroup, SupportItem
from khuyencong.projects.models import Project
from khuyencong.projects.services import BeneficiaryData, BudgetLineData, ProjectContent, TargetData, project_create
from khuyencong.projects.workflow import DecisionData, StepInput

M = 1_000_000


def centre(province: str = "68") -> Organisation:
    return org_in(province, name=f"Trung tâm Khuyến công {province}", kind=OrganisationKind.PROVINCIAL_CENTRE)


def department(province: str = "68") -> Organisation:
    return org_in(province, name=f"Sở Công Thương {province}", kind=OrganisationKind.DEPARTMENT)


def people(province: str = "68") -> dict[str, Any]:
    """One user for every part of the lifecycle, and users of another province and of other roles."""
    own_centre, own_department = centre(province), department(province)
    other_department = department("01")
    return {
        "centre": make_user(Role.PROVINCIAL_OFFICER, province=province, organisation=own_centre),
        "so": make_user(Role.PROVINCIAL_OFFICER, province=province, organisation=own_department),
        "approver": make_user(Role.PROVINCIAL_APPROVER, province=province, organisation=own_department),
        "mofficer": make_user(Role.MINISTRY_OFFICER, province=None),
        "mapprover": make_user(Role.MINISTRY_APPROVER, province=None),
        "other_so": make_user(Role.PROVINCIAL_OFFICER, province="01", organisation=other_department),
        "other_approver": make_user(Role.PROVINCIAL_APPROVER, province="01", organisation=other_department),
        "other_centre": make_user(Role.PROVINCIAL_OFFICER, province="01", organisation=centre("01")),
        "collaborator": make_user(Role.COLLABORATOR, communes=[commune("Xã Đức Trọng")]),
        "auditor": make_user(Role.AUDITOR, province=None),
        "admin": make_user(Role.SYSTEM_ADMIN, province=None),
        "_centre_org": own_centre,
    }


def beneficiary_establishments(user: Any, count: int = 2, province: str = "68") -> list[Establishment]:
    group = EligibleIndustryGroup.objects.get(code="a")
    place = (
        commune("Xã Đức Trọng")
        if province == "68"
        else AdminUnit.objects.filter(level="commune", province__code=province, valid_to__isnull=True).first()
    )
    return [
        make_establishment(
            user, name=f"Hợp tác xã thử nghiệm {n}", legal_form="htx", eligible_group=group, commune_recorded=place
        )
        for n in range(1, count + 1)
    ]


def local_support_rule(province: AdminUnit) -> None:
    """The province's own support level for item b1, as its People's Council would set it (the national level's
    figures): a local-fund project's appraisal does not pass without a level in force for its items."""
    from khuyencong.policy.models import SupportRule

    if SupportRule.objects.filter(fund="kcdp", province=province, item__code="b1").exists():
        return
    rule = (
        SupportRule.objects.filter(fund="kcqg", item__code="b1", province__isnull=True, area_class="normal")
        .order_by("-valid_from")
        .first()
    )
    assert rule is not None, "the national support levels are seeded"
    rule.pk = None
    rule._state.adding = True
    rule.fund, rule.province, rule.valid_from, rule.valid_to = "kcdp", province, None, None
    rule.save()


def content(
    user: Any, organisation: Organisation, *, fund: str = "kcqg", establishments: list[Establishment] | None = None,
    year: int | None = None, **fields: Any,
) -> ProjectContent:  # fmt: skip
    establishments = establishments if establishments is not None else beneficiary_establishments(user)
    item = SupportItem.objects.get(code="b1")
    year = year or timezone.localdate().year + 1
    values = {
        "name": "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật sản xuất chè",
        "fund": fund,
        "kind": "normal",
        "plan_year": year,
        "end_year": year,
        "province": organisation.province,
        "implementing_org": organisation,
        "selection_method": "review",
        "objectives": "Nâng cao năng suất",
    }
    values.update(fields)
    province = values.get("province")
    if fund == "kcdp" and isinstance(province, AdminUnit):
        local_support_rule(province)
    return ProjectContent(
        fields=values,
        beneficiaries=[
            BeneficiaryData(
                establishment_id=e.pk,
                support_item_id=item.pk,
                eligible_cost_vnd=2_000 * M,
                support_vnd=500 * M,
                counterpart_vnd=1_500 * M,
            )
            for e in establishments
        ],
        budget_lines=[
            BudgetLineData("Máy móc, thiết bị", "khuyen_cong", 500 * M * len(establishments)),
            BudgetLineData("Vốn đối ứng của cơ sở", "counterpart", 1_500 * M * len(establishments)),
        ],
        targets=[TargetData("models", len(establishments)), TargetData("jobs_created", 20)],
    )


def make_project(user: Any, organisation: Organisation, **kwargs: Any) -> Project:
    return project_create(user=user, content=content(user, organisation, **kwargs))


def decision(number: str = "15/QĐ-SCT", on: datetime.date | None = None) -> StepInput:
    return StepInput(decision=DecisionData(number=number, signed_on=on or timezone.localdate(), signer="Nguyễn Văn An"))
