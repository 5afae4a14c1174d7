"""Six saves of a new survey response naming one establishment at once (a double tap, two phones): one response.
Found by an outside attack on PostgreSQL (two responses were made); SQLite's writers take turns anyway."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from khuyencong.collaborators.models import ReportForm, SurveyResponse
from khuyencong.collaborators.surveys import campaign_create, response_save
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.establishments.tests.factories import make_establishment
from tests.concurrency import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def _open_survey(world):
    today = timezone.localdate()
    return campaign_create(
        user=world["officer"], title="Khảo sát cơ sở 2026", form_id=ReportForm.objects.get(code="khao-sat-co-so").pk,
        communes=[world["places"][0].pk], opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30), year=today.year - 1,
    )  # fmt: skip


def test_six_saves_at_once_make_one_response_per_establishment(world):
    campaign = _open_survey(world)
    target = make_establishment(world["officer"], name="Cơ sở đan lát Ka Bông", commune_recorded=world["places"][0])

    def save(_index):
        return response_save(
            user=world["user"], campaign_id=campaign.pk, commune_id=world["places"][0].pk,
            establishment_id=target.pk, values={"employees": "5"},
        )  # fmt: skip

    results = in_threads(6, save)
    kinds = Counter(type(r).__name__ for r in results)
    assert SurveyResponse.objects.filter(campaign=campaign, establishment=target).count() == 1, kinds
    refusals = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refusals) == 5 and {r.code for r in refusals} == {ErrorCode.DUPLICATE}, kinds


def test_the_database_itself_holds_one_live_response_per_establishment(world):
    from django.db import IntegrityError, transaction

    campaign = _open_survey(world)
    target = make_establishment(world["officer"], name="Cơ sở gốm Bàu Trúc", commune_recorded=world["places"][0])
    first = response_save(
        user=world["user"], campaign_id=campaign.pk, commune_id=world["places"][0].pk, establishment_id=target.pk,
        values={"employees": "5"},
    )  # fmt: skip
    twin = SurveyResponse(
        campaign=campaign, commune_id=first.commune_id, province_id=first.province_id,
        collaborator=first.collaborator, establishment=target,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()  # past the service: the constraint refuses it
    twin.status = SurveyResponse.Status.REJECTED
    twin.save()  # a rejected response does not count
    assert SurveyResponse.objects.filter(campaign=campaign, establishment=target).count() == 2
