"""A step page asks for what the step rests on: its documents (attached or not, attached there), a contract as a
contract, and an appraisal that cannot pass while a finding waits on data; the money page offers only the sources a
user records and says who records the others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.history import allow_untracked_writes
from khuyencong.policy.models import SupportRule
from khuyencong.projects.choices import Status
from khuyencong.projects.models import Decision, Document, Project
from khuyencong.projects.workflow import project_transition

from .factories import decision, make_project, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return people()


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Hợp đồng</p>").write_pdf()


def _walk(cast, project, names):
    who = {"submit": "centre", "receive": "so", "pass_appraisal": "so", "register": "so",
           "ministry_receive": "mofficer", "include_in_plan": "mapprover", "assign": "mofficer"}  # fmt: skip
    for name in names:
        data = decision(f"{name}/QĐ") if name in ("pass_appraisal", "include_in_plan", "assign") else None
        project_transition(user=cast[who[name]], project_id=project.pk, name=name, data=data)


def test_the_contract_step_asks_for_a_contract_and_takes_its_file(client, cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    _walk(cast, project, ["submit", "receive", "pass_appraisal", "register", "ministry_receive", "include_in_plan"])
    client.force_login(cast["mofficer"])
    lines = {line.pk: line.planned_vnd for line in project.budget_lines.all()}
    assign = {f"line_{pk}": str(amount) for pk, amount in lines.items()}
    signed = timezone.localdate().strftime("%d/%m/%Y")
    client.post(
        reverse("projects:step", args=[project.pk, "assign"]),
        {**assign, "decision_number": "9/QĐ-BCT", "decision_signed_on": signed, "decision_signer": "Lê Thị Mai"},
    )
    page = client.get(reverse("projects:step", args=[project.pk, "sign_contract"])).content.decode()
    assert "Số hợp đồng" in page and "Số quyết định" not in page
    assert 'data-testid="step-documents"' in page and "chưa đính kèm" in page
    response = client.post(
        reverse("projects:step", args=[project.pk, "sign_contract"]),
        {
            "decision_number": "15/2026/HĐ-KC",
            "decision_signed_on": signed,
            "decision_signer": "Cục Công Thương địa phương; Trung tâm Khuyến công Lâm Đồng",
            "decision_file": SimpleUploadedFile("hop-dong.pdf", _pdf(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    contract = Decision.objects.get(project=project, kind="contract")
    assert contract.document is not None and contract.document.kind == "contract"
    assert Project.objects.get(pk=project.pk).status == Status.CONTRACTED


def test_a_refused_step_leaves_no_file_attached(client, cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    _walk(cast, project, ["submit", "receive"])
    client.force_login(cast["so"])
    response = client.post(
        reverse("projects:step", args=[project.pk, "pass_appraisal"]),
        {"decision_number": "", "decision_file": SimpleUploadedFile("x.pdf", _pdf(), content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert not Document.objects.filter(project=project).exists()


def test_the_appraisal_waits_for_a_support_level_to_be_entered(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    _walk(cast, project, ["submit", "receive"])
    with allow_untracked_writes():  # the support level of the item is withdrawn: a finding "enter it before appraisal"
        SupportRule.objects.filter(item__code="b1").update(valid_to=timezone.localdate().replace(year=2000))
    with pytest.raises(ApplicationError) as refused:
        project_transition(user=cast["so"], project_id=project.pk, name="pass_appraisal", data=decision("1/PTĐ"))
    assert "cần nhập trước khi thẩm định" in str(refused.value.message)
    assert Project.objects.get(pk=project.pk).status == Status.BASE_APPRAISAL


def test_the_money_page_offers_the_sources_the_user_records_and_names_who_records_the_rest(client, cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    client.force_login(cast["centre"])
    page = client.get(reverse("plans:project_money", args=[project.pk]))
    sources = [value for value, _label in page.context["form"].fields["source"].choices]
    assert "khuyen_cong" not in sources and "counterpart" in sources
    assert "Cơ quan khuyến công của Bộ" in page.content.decode()
    refused = client.post(
        reverse("plans:project_money", args=[project.pk]),
        {"source": "khuyen_cong", "kind": "advance", "amount_vnd": "1.000.000", "occurred_on": "01/01/2026"},
    )
    assert refused.status_code == 400
    client.force_login(cast["auditor"])
    page = client.get(reverse("plans:project_money", args=[project.pk])).content.decode()
    assert 'data-testid="record-money"' not in page and 'data-testid="money-recorders"' in page
