"""Found by an outside attack on the survey's one-response rule, the prefilled report and the phone checks; each test
failed on the code before its fix."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from khuyencong.collaborators import engine
from khuyencong.collaborators.models import Collaborator, ReportForm, SurveyResponse
from khuyencong.collaborators.selectors import registry_prefill
from khuyencong.collaborators.services import current_version
from khuyencong.collaborators.surveys import campaign_create, response_accept, response_save
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.history import allow_untracked_writes
from khuyencong.establishments.tests.factories import make_establishment

from .test_surveys import ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    """The collaborators' world with an open survey of its first two communes and an establishment of the first."""
    today = timezone.localdate()
    campaign = campaign_create(
        user=world["officer"], title="Khảo sát cơ sở CNNT 2026",
        form_id=ReportForm.objects.get(code="khao-sat-co-so").pk, communes=[p.pk for p in world["places"][:2]],
        opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=30),
        year=today.year - 1,
    )  # fmt: skip
    existing = make_establishment(world["officer"], name="Cơ sở chè Thanh Bình", commune_recorded=world["places"][0])
    return {**world, "campaign": campaign, "existing": existing}


NEW = {"name": "Cơ sở chè Thanh Bình mới", "legal_form": "ho_kinh_doanh"}


def _answered(survey, establishment=None, **proposed):
    return response_save(
        user=survey["user"], campaign_id=survey["campaign"].pk, commune_id=survey["places"][0].pk,
        establishment_id=establishment.pk if establishment else None, values=ANSWERS, submit=True,
        proposed=proposed or None,
    )  # fmt: skip


def test_accepting_a_proposed_response_as_an_establishment_already_answered_is_refused_in_words(survey):
    _answered(survey, survey["existing"])
    proposed = _answered(survey, **NEW)
    with pytest.raises(ApplicationError) as caught:
        response_accept(user=survey["officer"], response_id=proposed.pk, establishment_id=survey["existing"].pk)
    assert caught.value.code == ErrorCode.DUPLICATE and "đã có phiếu" in str(caught.value.message)
    assert SurveyResponse.objects.get(pk=proposed.pk).status == SurveyResponse.Status.SUBMITTED


def test_the_officers_page_says_so_rather_than_try_again(client, survey):
    _answered(survey, survey["existing"])
    proposed = _answered(survey, **NEW)
    client.force_login(survey["officer"])
    answer = client.post(
        f"/collaborators/surveys/{survey['campaign'].pk}/",
        {"action": "accept", "response": proposed.pk, "establishment": survey["existing"].pk},
        follow=True,
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "đã có phiếu" in page and "cùng lúc" not in page


def test_two_records_of_one_establishment_both_surveyed_can_still_be_merged(survey):
    from khuyencong.establishments.services import establishment_merge

    twin = make_establishment(survey["officer"], name="Chè Thanh Bình (trùng)", commune_recorded=survey["places"][0])
    sent = [_answered(survey, establishment) for establishment in (survey["existing"], twin)]
    for response in sent:
        response_accept(user=survey["officer"], response_id=response.pk)
    survivor = establishment_merge(
        user=survey["officer"], survivor_id=survey["existing"].pk, other_id=twin.pk, take_from_other=[]
    )
    assert survivor.pk == survey["existing"].pk
    set_aside = SurveyResponse.objects.get(pk=sent[1].pk)
    assert set_aside.establishment_id == survivor.pk and set_aside.status == SurveyResponse.Status.REJECTED
    assert f"#{sent[0].pk}" in set_aside.note and set_aside.history.first().history_change_reason == "Gộp"


def test_a_new_establishments_telephone_and_tax_code_are_checked_when_sent_with_everything_else(survey):
    with pytest.raises(ApplicationError) as caught:
        response_save(
            user=survey["user"], campaign_id=survey["campaign"].pk, commune_id=survey["places"][0].pk,
            values=dict(ANSWERS, employees="12abc"), submit=True,
            proposed={"name": "Công ty mây tre Bà Tư", "legal_form": "dn_nho", "phone": "gọi ông Ba",
                      "tax_code": "12345"},
        )  # fmt: skip
    assert {"proposed.phone", "proposed.tax_code", "employees"} <= set(caught.value.extra["errors"])


def test_a_taken_establishment_and_wrong_answers_are_said_in_one_round(survey):
    _answered(survey, survey["existing"])
    with pytest.raises(ApplicationError) as caught:
        response_save(
            user=survey["user"], campaign_id=survey["campaign"].pk, commune_id=survey["places"][0].pk,
            establishment_id=survey["existing"].pk, values=dict(ANSWERS, employees="12abc"), submit=True,
        )  # fmt: skip
    assert caught.value.code == ErrorCode.DUPLICATE
    assert {"establishment", "employees"} <= set(caught.value.extra["errors"])


def test_the_prefilled_figures_keep_the_forms_own_rule_women_within_the_workers(survey):
    commune = survey["places"][0]
    make_establishment(
        survey["officer"], name="Cơ sở A", commune_recorded=commune, employees_total=10, employees_female=5
    )
    make_establishment(survey["officer"], name="Cơ sở B", commune_recorded=commune, employees_female=20)
    fields = engine.fields_of(current_version(ReportForm.objects.get(code="ctv-quy")).fields)
    values = registry_prefill(fields, commune.pk)
    assert values["workers"] == 10 and values["female_workers"] == 5


def test_a_held_number_with_odd_spacing_does_not_block_editing_the_rest(client, survey):
    collaborator = survey["collaborator"]
    with allow_untracked_writes():
        Collaborator.objects.filter(pk=collaborator.pk).update(phone="0263  38 22")  # saved before the check
    collaborator.refresh_from_db()
    data = {
        "full_name": "Nguyễn Thị Hoà", "phone": collaborator.phone, "email": collaborator.email or "",
        "decision_number": collaborator.decision_number, "decision_date": collaborator.decision_date.isoformat(),
        "decision_signer": collaborator.decision_signer, "remuneration": collaborator.remuneration or "",
        "status": collaborator.status, "version": collaborator.version,
        "communes": [c.commune_id for c in collaborator.coverages.filter(valid_to__isnull=True)],
    }  # fmt: skip
    client.force_login(survey["officer"])
    answer = client.post(f"/collaborators/{collaborator.pk}/edit/", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    collaborator.refresh_from_db()
    assert collaborator.full_name == "Nguyễn Thị Hoà"


BEFORE = ("collaborators", "0007_field_labels")
AFTER = ("collaborators", "0009_one_live_survey_response")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_the_constraint_migrates_a_database_that_already_holds_duplicates(survey):
    first = _answered(survey, survey["existing"])
    response_accept(user=survey["officer"], response_id=first.pk)
    _migrate(BEFORE)
    try:
        with allow_untracked_writes():
            twin = SurveyResponse.objects.get(pk=first.pk)
            twin.pk = None
            twin.status = SurveyResponse.Status.SUBMITTED
            twin.save()  # a second live response: possible before the constraint
        _migrate(AFTER)
    finally:
        _migrate(AFTER)
    kept, set_aside = SurveyResponse.objects.get(pk=first.pk), SurveyResponse.objects.get(pk=twin.pk)
    assert kept.status == SurveyResponse.Status.ACCEPTED
    assert set_aside.status == SurveyResponse.Status.REJECTED and f"#{first.pk}" in set_aside.note
    assert set_aside.history.first().history_change_reason.startswith("Để lại một phiếu")
