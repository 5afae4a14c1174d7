"""Writes: collaborators and their communes, form versions, and the life of a report (draft saved as it is typed,
submitted once however often the button is tapped, returned with a comment, accepted, approved and locked, reopened
by an approver with a reason). Every refusal is an `ApplicationError` with a Vietnamese message and nothing written.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.choices import Role, ScopeLevel
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.history import attribute
from khuyencong.core.phones import phone_problem
from khuyencong.core.related import lookup
from khuyencong.core.scoping import in_scope, user_scope
from khuyencong.core.text import fold
from khuyencong.establishments.models import Establishment
from khuyencong.geography.models import AdminUnit

from . import engine, periods
from .choices import EDITABLE_STATES, CollaboratorStatus, ReviewAction, SubmissionStatus
from .models import Collaborator, Coverage, FormVersion, ReportForm, ReportingTotal, Review, Submission

PROVINCE_STAFF = frozenset({Role.PROVINCIAL_OFFICER, Role.PROVINCIAL_APPROVER})


def _invalid(message: str, field_name: str | None = None, **extra: Any) -> ApplicationError:
    return ApplicationError(ErrorCode.INVALID, message, field=field_name, extra=extra or None)


# ---- who may do what ------------------------------------------------------------------------------------------------


def can_manage_collaborators(user: Any, province_id: int | None) -> bool:
    """The province's officers and approvers manage its collaborators."""
    scope = user_scope(user)
    return (
        getattr(user, "role", None) in PROVINCE_STAFF
        and scope.level == "province"
        and province_id in scope.province_ids
    )


def can_review(user: Any, submission: Submission) -> bool:
    """The province's officers and approvers return and accept reports of its communes."""
    return can_manage_collaborators(user, submission.province_id)


def can_approve(user: Any, submission: Submission) -> bool:
    """Only the province's approver approves (locks) and reopens."""
    return getattr(user, "role", None) == Role.PROVINCIAL_APPROVER and can_review(user, submission)


def review_steps(user: Any, submission: Submission) -> list[str]:
    """The review steps the user may take on the report now (the same rules the step services apply)."""
    if not can_review(user, submission):
        return []
    approver = can_approve(user, submission)
    status = submission.status
    steps = []
    if status == SubmissionStatus.SUBMITTED:
        steps.append("accept")
    if approver and status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        steps.append("approve")
    if status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        steps.append("return")
    if approver and status == SubmissionStatus.APPROVED:
        steps.append("reopen")
    return steps


def can_fill(user: Any, form: ReportForm, commune_id: int, start: datetime.date, submission: Submission | None) -> (
    tuple[bool, bool]
):  # fmt: skip
    """(covers, may type): whether the user is the collaborator covering the commune for the period, and whether the
    report is still theirs to change (not yet submitted, or returned)."""
    on = min(periods.period_end(form.period_type, start), timezone.localdate())
    mine = covering(user, commune_id, on) is not None
    return mine, mine and (submission is None or submission.status in EDITABLE_STATES)


def covering(user: Any, commune_id: int, on: datetime.date) -> Collaborator | None:
    """The user's collaborator record when it is active and covers the commune on the day."""
    if getattr(user, "role", None) != Role.COLLABORATOR:
        return None
    collaborator = Collaborator.objects.filter(user=user, status=CollaboratorStatus.ACTIVE).first()
    if collaborator is None:
        return None
    covers = collaborator.coverages.filter(commune_id=commune_id, valid_from__lte=on).exclude(valid_to__lt=on)
    return collaborator if covers.exists() else None


# ---- collaborators --------------------------------------------------------------------------------------------------


@dataclass
class CollaboratorData:
    full_name: str
    province_id: int
    decision_number: str
    decision_date: datetime.date
    decision_signer: str
    phone: str = ""
    email: str = ""
    organisation_id: Any = None  # a UUID
    remuneration: str = ""
    status: str = CollaboratorStatus.ACTIVE
    communes: list[int] = field(default_factory=list)
    communes_from: datetime.date | None = None


def _check_collaborator(data: CollaboratorData, *, phone_before: str | None = None) -> None:
    if not (data.full_name or "").strip():
        raise _invalid(_("Give the collaborator's full name."), "full_name")
    if not (data.decision_number or "").strip():
        raise _invalid(_("Give the number of the appointing decision."), "decision_number")
    if not data.decision_date or data.decision_date > timezone.localdate():
        raise _invalid(_("The decision date cannot be in the future."), "decision_date")
    if not (data.decision_signer or "").strip():
        raise _invalid(_("Say who signed the decision."), "decision_signer")
    if data.status not in CollaboratorStatus.values:
        raise _invalid(_("Choose a status."), "status")
    # checked when typed or changed: a number saved before the check does not block editing the rest
    held = " ".join((phone_before or "").split())  # the number held, as the form shows it (spaces collapsed)
    if data.phone and " ".join(data.phone.split()) != held and (problem := phone_problem(data.phone)):
        raise _invalid(problem, "phone")


def _check_communes(province_id: int, communes: list[int]) -> list[AdminUnit]:
    units = list(
        AdminUnit.objects.filter(pk__in=communes, level="commune", valid_to__isnull=True, province_id=province_id)
    )
    if len(units) != len(set(communes)):
        raise _invalid(_("Choose current communes of the collaborator's province."), "communes")
    return units


@transaction.atomic
def collaborator_create(*, user: Any, data: CollaboratorData) -> Collaborator:
    if not can_manage_collaborators(user, data.province_id):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("You may not manage collaborators of this province."))
    _check_collaborator(data)
    units = _check_communes(data.province_id, data.communes)
    collaborator = Collaborator(
        full_name=data.full_name.strip(),
        name_folded=fold(data.full_name),
        province_id=data.province_id,
        phone=data.phone.strip(),
        email=data.email.strip(),
        organisation_id=data.organisation_id,
        decision_number=data.decision_number.strip(),
        decision_date=data.decision_date,
        decision_signer=data.decision_signer.strip(),
        remuneration=data.remuneration.strip(),
        status=data.status,
    )
    attribute(collaborator, user=user, reason=_("Appointed"))
    collaborator.save()
    start = data.communes_from or data.decision_date
    for unit in units:
        coverage = Coverage(collaborator=collaborator, commune=unit, valid_from=start)
        attribute(coverage, user=user, reason=_("Appointed"))
        coverage.save()
    _sync_user_scope(collaborator, user)
    return collaborator


def _locked_collaborator(user: Any, collaborator_id: int) -> Collaborator:
    collaborator = Collaborator.objects.select_for_update().filter(pk=collaborator_id).order_by("pk").first()
    if collaborator is None or not in_scope(user, collaborator):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if not can_manage_collaborators(user, collaborator.province_id):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow managing collaborators."))
    return collaborator


@transaction.atomic
def collaborator_update(
    *, user: Any, collaborator_id: int, data: CollaboratorData, expected_version: int, on: datetime.date | None = None
) -> Collaborator:
    """Change a collaborator's details and communes: a commune added is covered from `on` (today by default), a
    commune removed stops being covered the day before."""
    collaborator = _locked_collaborator(user, collaborator_id)
    if collaborator.version != expected_version:
        raise ApplicationError(
            ErrorCode.STALE_VERSION, _("Someone else saved this collaborator after you opened it. Reload the page.")
        )
    if data.province_id != collaborator.province_id:
        raise _invalid(_("A collaborator stays in their province; appoint them again in the other one."), "province")
    _check_collaborator(data, phone_before=collaborator.phone)
    units = _check_communes(collaborator.province_id, data.communes)
    if data.status == CollaboratorStatus.ENDED:
        units = []  # an ended appointment covers nothing from today
    for name in ("full_name", "phone", "email", "decision_number", "decision_signer", "remuneration"):
        setattr(collaborator, name, (getattr(data, name) or "").strip())
    collaborator.name_folded = fold(collaborator.full_name)
    collaborator.decision_date, collaborator.status = data.decision_date, data.status
    collaborator.organisation_id = data.organisation_id
    collaborator.version += 1
    attribute(collaborator, user=user, reason=_("Edited"))
    collaborator.save()
    today = on or timezone.localdate()
    current = {c.commune_id: c for c in collaborator.coverages.filter(valid_to__isnull=True)}
    wanted = {u.pk for u in units}
    for commune_id, coverage in current.items():
        if commune_id not in wanted:
            coverage.valid_to = max(coverage.valid_from, today - datetime.timedelta(days=1))
            attribute(coverage, user=user, reason=_("No longer covered"))
            coverage.save()
    for commune_id in wanted - set(current):
        coverage = Coverage(collaborator=collaborator, commune_id=commune_id, valid_from=today)
        attribute(coverage, user=user, reason=_("Covered from %(day)s") % {"day": f"{today:%d/%m/%Y}"})
        coverage.save()
    _sync_user_scope(collaborator, user)
    return collaborator


@transaction.atomic
def collaborator_link_user(*, user: Any, collaborator_id: int, account_id: int) -> Collaborator:
    """Give the collaborator a login: the account becomes a collaborator scoped to the communes covered."""
    from .selectors import province_collaborator_accounts

    collaborator = _locked_collaborator(user, collaborator_id)
    # Only a collaborator-role account of the collaborator's province: any other id (none, another province's,
    # another role's) answers the same, so that no account is revealed.
    account = lookup(province_collaborator_accounts(collaborator.province_id), account_id, scoped=True, field="user")
    other = Collaborator.objects.filter(user=account).exclude(pk=collaborator.pk).first()
    if other is not None:
        raise _invalid(_("This user is already linked to %(name)s.") % {"name": other.full_name}, "user")
    collaborator.user = account
    collaborator.version += 1
    attribute(collaborator, user=user, reason=_("User account linked"))
    collaborator.save()
    _sync_user_scope(collaborator, user)
    return collaborator


def _sync_user_scope(collaborator: Collaborator, actor: Any) -> None:
    """The linked user's scope is the communes the collaborator covers now."""
    account = collaborator.user
    if account is None:
        return
    communes = list(collaborator.coverages.filter(valid_to__isnull=True).values_list("commune_id", flat=True))
    if collaborator.status != CollaboratorStatus.ACTIVE:
        communes = []
    account.scope_level = ScopeLevel.COMMUNES
    account.scope_province = None
    attribute(account, user=actor, reason=_("Communes of collaborator %(name)s") % {"name": collaborator.full_name})
    account.save()
    account.scope_communes.set(communes)


# ---- forms ----------------------------------------------------------------------------------------------------------


def current_version(form: ReportForm) -> FormVersion:
    version = form.versions.order_by("-number").first()
    if version is None:
        raise ApplicationError(ErrorCode.CONFLICT, _("This form has no published version."))
    return version


@transaction.atomic
def form_version_publish(*, user: Any, form_id: int, fields: Any, rules: Any, note: str = "") -> FormVersion:
    """A new version of a form (system administrators and ministry officers; reports already submitted keep
    their version, open drafts are carried over when next saved)."""
    if getattr(user, "role", None) not in (Role.SYSTEM_ADMIN, Role.MINISTRY_OFFICER):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow changing report forms."))
    form = ReportForm.objects.select_for_update().filter(pk=form_id).order_by("pk").first()
    if form is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Form not found."))
    problems = engine.check_schema(fields, rules)
    if problems:
        raise _invalid(" ".join(problems), "fields")
    last = form.versions.order_by("-number").first()
    version = FormVersion(form=form, number=(last.number + 1) if last else 1, fields=fields, rules=rules or [])
    version.note = note
    attribute(version, user=user, reason=note or _("New version"))
    version.save()
    return version


# ---- reports --------------------------------------------------------------------------------------------------------


@dataclass
class Saved:
    submission: Submission
    #: What the user must be told: the form changed under an open draft, the fields dropped.
    notice: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def _period(form: ReportForm, period_start: datetime.date) -> datetime.date:
    if not periods.is_period_start(form.period_type, period_start):
        raise _invalid(_("This is not the first day of a reporting period."), "period")
    if period_start > timezone.localdate():
        raise _invalid(_("This period has not begun."), "period")
    return period_start


def _refuse_closed(submission: Submission) -> None:
    if submission.status == SubmissionStatus.APPROVED:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            _("This period is approved and locked. Only the province's approver can reopen it."),
        )
    if submission.status not in EDITABLE_STATES:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            _("This report has been submitted; it can be changed only if the province returns it."),
        )


def _establishment_check(commune_id: int) -> Any:
    def ok(pk: int) -> bool:
        return Establishment.objects.filter(pk=pk, commune_id=commune_id).exists()

    return ok


def _form_and_place(user: Any, form_id: int, commune_id: int, period_start: datetime.date) -> tuple:
    form = ReportForm.objects.filter(pk=form_id, is_active=True).first()
    if form is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Form not found."))
    start = _period(form, period_start)
    commune = AdminUnit.objects.filter(pk=commune_id, level="commune").first()
    if commune is None:
        raise _invalid(_("Commune not found."), "commune")
    if covering(user, commune.pk, min(periods.period_end(form.period_type, start), timezone.localdate())) is None:
        raise ApplicationError(
            ErrorCode.OUT_OF_SCOPE,
            _("%(commune)s is not among the communes you cover for this period.") % {"commune": commune.full_name},
            field="commune",
        )
    return form, start, commune


@transaction.atomic
def draft_save(
    *,
    user: Any,
    form_id: int,
    commune_id: int,
    period_start: datetime.date,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> Saved:
    """Save what the collaborator has typed so far (kept as typed, valid or not, with the problems found). A draft
    opened on an older version of the form is carried over to the current one and the user is told what was
    dropped. Refused for a commune they do not cover, a locked or submitted report, or a stale copy."""
    form, start, commune = _form_and_place(user, form_id, commune_id, period_start)
    version = current_version(form)
    submission = (
        Submission.objects.select_for_update()
        .filter(form=form, commune=commune, period_start=start)
        .order_by("pk")
        .first()
    )
    notice = ""
    if submission is None:
        submission = Submission(
            form=form, form_version=version, province_id=commune.province_id, commune=commune, period_start=start,
            author=user,
        )  # fmt: skip
    else:
        _refuse_closed(submission)
        if expected_version is not None and submission.version != expected_version:
            # Whether the newer copy is this user's own (a save whose answer was lost with the connection): the
            # page may then save again on it; another person's copy is never overwritten.
            last_saver = submission.history.order_by("-history_date").values_list("history_user_id", flat=True).first()
            raise ApplicationError(
                ErrorCode.STALE_VERSION,
                _("This report was saved from another device after you opened it. Reload it to see that copy."),
                extra={"version": submission.version, "saved_by_me": last_saver == user.pk},
            )
        if submission.form_version_id != version.pk:
            values, dropped = engine.reconcile(submission.form_version.fields, version.fields, values)
            notice = _("The form was updated to version %(n)d while your draft was open; your entries were kept.") % {
                "n": version.number
            }
            if dropped:
                notice += " " + _("These fields are no longer on the form: %(fields)s.") % {
                    "fields": ", ".join(dropped)
                }
            submission.form_version = version
        submission.version += 1
    submission.values = engine.keep_known(version.fields, values)
    submission.saved_at = timezone.now()
    submission.author = user
    attribute(submission, user=user, reason=_("Draft saved"))
    submission.save()
    checked = engine.check_values(
        version.fields, version.rules, submission.values, complete=False,
        establishment_ok=_establishment_check(commune.pk),
    )  # fmt: skip
    return Saved(submission=submission, notice=notice, errors=checked.errors)


def report_submit(
    *,
    user: Any,
    form_id: int,
    commune_id: int,
    period_start: datetime.date,
    values: dict[str, Any],
    submit_key: str,
    expected_version: int | None = None,
) -> Saved:
    """Submit the report. What was sent is saved as the draft first, so a refusal (a value that breaks a rule,
    shown by field) loses nothing. The same `submit_key` sent twice (a double tap, a retry after a dropped
    connection) makes one submission."""
    submit_key = (submit_key or "").strip()[:64]
    if not submit_key:
        raise _invalid(_("The submission has no key; reload the page."), "submit_key")
    form, start, commune = _form_and_place(user, form_id, commune_id, period_start)
    done = _already_submitted(form, commune, start, submit_key)
    if done is not None:
        return Saved(submission=done)
    try:
        saved = draft_save(
            user=user, form_id=form.pk, commune_id=commune.pk, period_start=start, values=values,
            expected_version=expected_version,
        )  # fmt: skip
    except ApplicationError:
        done = _already_submitted(form, commune, start, submit_key)  # the other tap got there first
        if done is not None:
            return Saved(submission=done)
        raise
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=saved.submission.pk).order_by("pk").first()
        assert submission is not None
        if submission.status not in EDITABLE_STATES:
            if submission.submit_key == submit_key:
                return Saved(submission=submission)
            _refuse_closed(submission)
        version = submission.form_version
        checked = engine.check_values(
            version.fields, version.rules, submission.values, complete=True,
            establishment_ok=_establishment_check(commune.pk),
        )  # fmt: skip
        if checked.errors:
            raise ApplicationError(
                ErrorCode.INVALID,
                _("The report was not submitted: correct the fields marked. Your entries are saved as a draft."),
                extra={"errors": checked.errors, "notice": saved.notice, "version": submission.version},
            )
        now = timezone.now()
        submission.values = checked.values
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = now
        submission.submit_key = submit_key
        if submission.first_submitted_at is None:
            submission.first_submitted_at = now
            due = periods.due_date(form.period_type, start, form.due_days)
            submission.on_time = timezone.localdate(now) <= due + datetime.timedelta(days=form.grace_days)
            _bump(submission, received=1, on_time=int(submission.on_time))
        submission.version += 1
        attribute(submission, user=user, reason=_("Submitted"))
        submission.save()
        _review(submission, ReviewAction.SUBMIT, user, "")
    return Saved(submission=submission, notice=saved.notice)


def _already_submitted(
    form: ReportForm, commune: AdminUnit, start: datetime.date, submit_key: str
) -> Submission | None:
    existing = Submission.objects.filter(form=form, commune=commune, period_start=start).first()
    if existing is not None and existing.submit_key == submit_key and existing.status not in EDITABLE_STATES:
        return existing
    return None


def _review(submission: Submission, action: str, user: Any, comment: str) -> Review:
    review = Review(submission=submission, action=action, actor=user, comment=comment)
    attribute(review, user=user)
    review.save()
    return review


def _for_review(user: Any, submission_id: int, expected_version: int | None) -> Submission:
    submission = Submission.objects.select_for_update().filter(pk=submission_id).order_by("pk").first()
    if submission is None or not in_scope(user, submission):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if not can_review(user, submission):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Reports are reviewed by the province."))
    if expected_version is not None and submission.version != expected_version:
        raise ApplicationError(
            ErrorCode.STALE_VERSION, _("This report changed after you opened it. Reload it and try again.")
        )
    return submission


def _move(submission: Submission, status: str, user: Any, action: str, comment: str = "") -> Submission:
    submission.status = status
    submission.version += 1
    label = str(ReviewAction(action).label)
    attribute(submission, user=user, reason=f"{label}: {comment}" if comment else label)
    submission.save()
    _review(submission, action, user, comment)
    return submission


@transaction.atomic
def report_return(*, user: Any, submission_id: int, comment: str, expected_version: int | None = None) -> Submission:
    """Send a submitted or accepted report back to the collaborator with what to correct."""
    submission = _for_review(user, submission_id, expected_version)
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ApplicationError(ErrorCode.CONFLICT, _("Only a submitted or accepted report can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise _invalid(_("Say what the collaborator should correct."), "comment")
    return _move(submission, SubmissionStatus.RETURNED, user, ReviewAction.RETURN, comment)


@transaction.atomic
def report_accept(*, user: Any, submission_id: int, expected_version: int | None = None) -> Submission:
    submission = _for_review(user, submission_id, expected_version)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ApplicationError(ErrorCode.CONFLICT, _("Only a submitted report can be accepted."))
    return _move(submission, SubmissionStatus.ACCEPTED, user, ReviewAction.ACCEPT)


@transaction.atomic
def report_approve(*, user: Any, submission_id: int, expected_version: int | None = None) -> Submission:
    """The province's approver approves an accepted (or submitted) report: its period is locked."""
    submission = _for_review(user, submission_id, expected_version)
    if not can_approve(user, submission):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Reports are approved by the province's approver."))
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ApplicationError(ErrorCode.CONFLICT, _("Only a submitted or accepted report can be approved."))
    _bump(submission, approved=1)
    return _move(submission, SubmissionStatus.APPROVED, user, ReviewAction.APPROVE)


@transaction.atomic
def report_reopen(*, user: Any, submission_id: int, reason: str, expected_version: int | None = None) -> Submission:
    """Unlock an approved report so the collaborator can correct it (approver only; the reason is kept)."""
    submission = _for_review(user, submission_id, expected_version)
    if not can_approve(user, submission):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Only the province's approver can reopen a period."))
    if submission.status != SubmissionStatus.APPROVED:
        raise ApplicationError(ErrorCode.CONFLICT, _("Only an approved report can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise _invalid(_("Give the reason for reopening."), "reason")
    _bump(submission, approved=-1)
    return _move(submission, SubmissionStatus.RETURNED, user, ReviewAction.REOPEN, reason)


# ---- running totals -------------------------------------------------------------------------------------------------


def _bump(submission: Submission, **counts: int) -> None:
    """Add to the form's running totals of the submission's province and period (in the caller's transaction)."""
    key: dict[str, Any] = {
        "form_id": submission.form_id,
        "province_id": submission.province_id,
        "period_start": submission.period_start,
    }
    ReportingTotal.objects.get_or_create(**key)
    ReportingTotal.objects.filter(**key).update(**{name: F(name) + n for name, n in counts.items()})


@transaction.atomic
def reporting_totals_rebuild() -> int:
    """Recompute every running total from the submissions (after a bulk load or a repair); returns the rows."""
    ReportingTotal.objects.all().delete()
    rows = (
        Submission.objects.filter(first_submitted_at__isnull=False)
        .values_list("form_id", "province_id", "period_start")
        .annotate(
            received=Count("id"),
            on_time=Count("id", filter=Q(on_time=True)),
            approved=Count("id", filter=Q(status=SubmissionStatus.APPROVED)),
        )
        .order_by()
    )
    totals = [
        ReportingTotal(form_id=f, province_id=p, period_start=d, received=r, on_time=o, approved=a)
        for f, p, d, r, o, a in rows
    ]
    ReportingTotal.objects.bulk_create(totals, batch_size=5_000)
    return len(totals)
