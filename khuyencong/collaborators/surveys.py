"""Surveys of establishments: the province opens a campaign (a survey form, communes, dates, the year of the
figures); the collaborators covering those communes answer it, each response tied to an establishment of the
registry or proposing a new one; the province accepts a response, which writes the registry through the registry's
own services (its duplicate and tax-code checks included) and the establishment's figures of the year, or rejects it
with a reason. Every refusal is an `ApplicationError` with a Vietnamese message and nothing written."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.history import attribute
from khuyencong.core.phones import phone_problem
from khuyencong.core.scoping import in_scope
from khuyencong.establishments.choices import LegalForm, Source
from khuyencong.establishments.models import Establishment
from khuyencong.establishments.services import (
    establishment_create,
    establishment_update,
    establishment_year_save,
    likely_duplicates,
    normalise_tax_code,
)
from khuyencong.geography.models import AdminUnit

from . import engine
from .models import ReportForm, SurveyCampaign, SurveyResponse
from .services import _invalid, can_manage_collaborators, covering, current_version

#: What a response may propose for a new establishment.
PROPOSED_FIELDS = ("name", "legal_form", "owner_name", "phone", "address", "tax_code")
#: Answers written on the establishment itself, and on its figures of the campaign's year.
REGISTRY_FIELDS = {
    "employees": "employees_total",
    "employees_female": "employees_female",
    "main_products": "main_products",
}
YEAR_FIELDS = ("revenue_vnd", "production_value_vnd", "export_value_vnd", "employees")
#: A proposed establishment this alike to one already registered (same name in the same commune) is not created.
SAME_ESTABLISHMENT_SCORE = 95


@transaction.atomic
def campaign_create(
    *,
    user: Any,
    title: str,
    form_id: int,
    communes: list[int],
    opens_on: datetime.date,
    closes_on: datetime.date,
    year: int,
) -> SurveyCampaign:
    units = list(AdminUnit.objects.filter(pk__in=communes, level="commune", valid_to__isnull=True))
    provinces = {u.province_id for u in units}
    if len(units) != len(set(communes)) or not units or len(provinces) != 1:
        raise _invalid(_("Choose current communes of one province."), "communes")
    province_id = provinces.pop()
    if not can_manage_collaborators(user, province_id):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("You may not open surveys in this province."))
    form = ReportForm.objects.filter(pk=form_id, is_active=True, is_periodic=False).first()
    if form is None:
        raise _invalid(_("Choose a survey form."), "form")
    if not (title or "").strip():
        raise _invalid(_("Give the survey a title."), "title")
    if not opens_on or not closes_on or closes_on < opens_on:
        raise _invalid(_("The survey closes before it opens."), "closes_on")
    if not 2000 <= year <= timezone.localdate().year:
        raise _invalid(_("The figures are for a past or the current year."), "year")
    campaign = SurveyCampaign(
        title=title.strip(), form=form, province_id=province_id, opens_on=opens_on, closes_on=closes_on, year=year,
        created_by=user,
    )  # fmt: skip
    attribute(campaign, user=user, reason=_("Opened"))
    campaign.save()
    campaign.communes.set(units)
    return campaign


def _check_proposed(proposed: dict[str, Any], *, complete: bool) -> tuple[dict[str, str], dict[str, str]]:
    """The new establishment's fields as kept, and what is missing from them (by field) when it is sent."""
    kept = {name: str(proposed.get(name) or "").strip()[:255] for name in PROPOSED_FIELDS}
    errors: dict[str, str] = {}
    if complete:
        if not kept["name"]:
            errors["proposed.name"] = str(_("Give the name of the new establishment."))
        if kept["legal_form"] not in LegalForm.values:
            errors["proposed.legal_form"] = str(_("Choose the legal form of the new establishment."))
        if kept["phone"] and (problem := phone_problem(kept["phone"])):
            errors["proposed.phone"] = problem
        try:
            normalise_tax_code(kept["tax_code"], kept["legal_form"])
        except ApplicationError as error:
            errors["proposed.tax_code"] = str(error.message)
    return kept, errors


def _refuse_a_second_response(campaign: Any, establishment: Any, response: SurveyResponse | None) -> None:
    """One live response per establishment in a survey (also a database constraint): said in words."""
    taken = SurveyResponse.objects.filter(campaign=campaign, establishment=establishment).exclude(
        status=SurveyResponse.Status.REJECTED
    )
    if response is not None and response.pk:
        taken = taken.exclude(pk=response.pk)
    if taken.exists():
        raise ApplicationError(
            ErrorCode.DUPLICATE,
            _("“%(name)s” already has a response in this survey.") % {"name": establishment.name},
            field="establishment",
        )


@transaction.atomic
def response_save(
    *,
    user: Any,
    campaign_id: int,
    commune_id: int,
    values: dict[str, Any],
    establishment_id: int | None = None,
    proposed: dict[str, Any] | None = None,
    response_id: int | None = None,
    expected_version: int | None = None,
    submit: bool = False,
) -> SurveyResponse:
    """Save (and with `submit`, send) a collaborator's response. Refused for a closed campaign, a commune outside
    it or outside the collaborator's, an establishment of another commune or already surveyed in the campaign, a
    value that breaks a rule of the form (by field), or a response already sent."""
    today = timezone.localdate()
    campaign = SurveyCampaign.objects.select_related("form").filter(pk=campaign_id).first()
    if campaign is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Survey not found."))
    if not campaign.is_open(today):
        raise ApplicationError(ErrorCode.CONFLICT, _("This survey is closed."))
    if not campaign.communes.filter(pk=commune_id).exists():
        raise _invalid(_("This commune is not part of the survey."), "commune")
    collaborator = covering(user, commune_id, today)
    if collaborator is None:
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("You do not cover this commune."), field="commune")
    establishment = None
    if establishment_id:
        # Locked: two saves naming the same establishment at once (a double tap, two phones) take turns, so the
        # second sees the first's response below and is refused instead of making a second one.
        establishment = (
            Establishment.objects.select_for_update()
            .filter(pk=establishment_id, commune_id=commune_id)
            .order_by("pk")
            .first()
        )
        if establishment is None:
            raise _invalid(_("Choose an establishment of this commune."), "establishment")
    response = None
    if response_id is not None:
        response = (
            SurveyResponse.objects.select_for_update().filter(pk=response_id, campaign=campaign).order_by("pk").first()
        )
        if response is None or response.collaborator_id != collaborator.pk:
            raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
        if response.status != SurveyResponse.Status.DRAFT:
            raise ApplicationError(ErrorCode.CONFLICT, _("This response has been sent; the province decides on it."))
        if expected_version is not None and response.version != expected_version:
            raise ApplicationError(
                ErrorCode.STALE_VERSION, _("This response was saved elsewhere after you opened it. Reload it.")
            )
    taken_error = None
    if establishment is not None:
        try:
            _refuse_a_second_response(campaign, establishment, response)
        except ApplicationError as error:
            taken_error = error
    kept_proposed, problems = (
        ({}, {}) if establishment is not None else _check_proposed(proposed or {}, complete=submit)
    )
    version = current_version(campaign.form)
    checked = engine.check_values(version.fields, version.rules, values, complete=submit)
    problems = {**problems, **(checked.errors if submit else {})}
    if taken_error is not None:  # refused whatever is sent; the answers' errors are said with it
        raise ApplicationError(
            taken_error.code, taken_error.message, field="establishment",
            extra={"errors": {"establishment": str(taken_error.message), **problems}},
        )  # fmt: skip
    if submit and problems:  # every field wrong, in one round
        raise ApplicationError(
            ErrorCode.INVALID, _("The response was not sent: correct the fields marked."),
            extra={"errors": problems},
        )  # fmt: skip
    response = response or SurveyResponse(
        campaign=campaign, commune_id=commune_id, province_id=campaign.province_id, collaborator=collaborator
    )
    if response.pk:
        response.version += 1
    response.establishment = establishment
    response.proposed = kept_proposed
    response.values = checked.values if submit else engine.keep_known(version.fields, values)
    if submit:
        response.status = SurveyResponse.Status.SUBMITTED
        response.submitted_at = timezone.now()
    attribute(response, user=user, reason=_("Sent") if submit else _("Draft saved"))
    response.save()
    return response


def _for_decision(user: Any, response_id: int, expected_version: int | None) -> SurveyResponse:
    response = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("campaign", "establishment")
        .filter(pk=response_id)
        .order_by("pk")
        .first()
    )
    if response is None or not in_scope(user, response):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if not can_manage_collaborators(user, response.province_id):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Survey responses are decided by the province."))
    if response.status != SurveyResponse.Status.SUBMITTED:
        raise ApplicationError(ErrorCode.CONFLICT, _("Only a response that was sent can be decided."))
    if expected_version is not None and response.version != expected_version:
        raise ApplicationError(ErrorCode.STALE_VERSION, _("This response changed after you opened it. Reload it."))
    return response


@transaction.atomic
def response_accept(
    *, user: Any, response_id: int, establishment_id: int | None = None, expected_version: int | None = None
) -> SurveyResponse:
    """Write the response into the registry: the establishment's details and its figures of the campaign's year.
    A proposed establishment is created through the registry's services unless it looks like one already
    registered (same name in the same commune): then the officer accepts it as that one (`establishment_id`)."""
    response = _for_decision(user, response_id, expected_version)
    campaign = response.campaign
    values = response.values
    reason = _("Survey: %(title)s") % {"title": campaign.title}
    registry = {
        target: values[source] for source, target in REGISTRY_FIELDS.items() if values.get(source) not in (None, "")
    }
    target_id = establishment_id or response.establishment_id
    if target_id:
        establishment = (
            Establishment.objects.select_for_update()
            .filter(pk=target_id, commune_id=response.commune_id)
            .order_by("pk")
            .first()
        )
        if establishment is None:
            raise _invalid(_("Choose an establishment of this commune."), "establishment")
        _refuse_a_second_response(campaign, establishment, response)
        establishment = establishment_update(
            user=user, establishment_id=establishment.pk, data=registry, expected_version=establishment.version,
            reason=reason,
        )  # fmt: skip
    else:
        proposed = response.proposed
        commune = AdminUnit.objects.get(pk=response.commune_id)
        same = [
            (other, score)
            for other, score, _reasons in likely_duplicates(
                name=proposed.get("name", ""),
                commune=commune,
                phone=proposed.get("phone", ""),
                owner=proposed.get("owner_name", ""),
            )  # fmt: skip
            if score >= SAME_ESTABLISHMENT_SCORE
        ]
        if same:
            other = same[0][0]
            raise ApplicationError(
                ErrorCode.DUPLICATE,
                _(
                    "“%(name)s” is already in the registry of this commune (#%(id)s). Accept the response as that "
                    "establishment, or reject it."
                )
                % {"name": other.name, "id": other.pk},
                field="establishment",
                extra={"existing_id": other.pk},
            )
        data: dict[str, Any] = {k: v for k, v in proposed.items() if v}
        data.update(registry)
        data.update({"commune_recorded": commune, "source": Source.SURVEY})
        establishment = establishment_create(user=user, data=data, reason=reason)
    year = {name: values.get(name) for name in YEAR_FIELDS}
    if any(v is not None for v in year.values()):
        establishment_year_save(user=user, establishment_id=establishment.pk, data={"year": campaign.year, **year})
    response.establishment = establishment
    response.status = SurveyResponse.Status.ACCEPTED
    response.decided_by, response.decided_at = user, timezone.now()
    response.version += 1
    attribute(response, user=user, reason=_("Accepted into the registry"))
    response.save()
    return response


@transaction.atomic
def response_reject(*, user: Any, response_id: int, reason: str, expected_version: int | None = None) -> SurveyResponse:
    response = _for_decision(user, response_id, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid(_("Give the reason for rejecting the response."), "reason")
    response.status = SurveyResponse.Status.REJECTED
    response.note = reason
    response.decided_by, response.decided_at = user, timezone.now()
    response.version += 1
    attribute(response, user=user, reason=_("Rejected: %(reason)s") % {"reason": reason})
    response.save()
    return response
