"""The lifecycle of a đề án as an explicit state machine (domain.md §5.3).

`STEPS` is the table of allowed transitions: for each step, the states it leaves from, the state it leads to, the
funds it applies to, who may take it, whether it needs a decision (number, date, signer) or a reason, and the
programme-calendar deadline it is measured against. A national-fund (KCQG) project goes through the Department and
the ministry; a local-fund (KCĐP) project runs on the same engine with its province's configured steps
(`LocalWorkflow`: approver, base appraisal, contract) and no ministry steps.

`can(user, project, name)` (and the `can_<verb>` functions) answer whether a user may take a step now;
`project_transition()` (and the `project_<verb>` services) take it: permission, scope, state and version checks,
the step's own checks, one `Transition` row with actor, time, reason, decision and lateness, and the project's
history, all in one transaction.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from khuyencong.accounts.choices import OrganisationKind, Role
from khuyencong.accounts.models import Organisation
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.history import attribute
from khuyencong.core.scoping import in_scope
from khuyencong.policy.models import CalendarDeadline, Fund
from khuyencong.policy.selectors import calendar_deadline

from .choices import AdjustmentStatus, DecisionKind, DocumentKind, Status
from .figures import figures_refresh
from .models import Adjustment, Decision, LocalWorkflow, Project, Transition

KCQG, KCDP = Fund.KCQG.value, Fund.KCDP.value
BOTH = frozenset({KCQG, KCDP})


class Actor(StrEnum):
    """Who acts in the lifecycle, derived from a user's role, organisation and scope."""

    IMPLEMENTER = "implementer"  # the implementing unit (provincial centre, enterprise, service organisation)
    DEPARTMENT = "department"  # Sở Công Thương: receives, appraises, accepts; manages local projects
    AGENCY = "agency"  # the ministry's khuyến công agency (Cục)
    MINISTER = "minister"  # the ministry's approver (plan approval, major adjustments, suspension)
    PROVINCE_APPROVER = "province_approver"  # the provincial chairman or the Department's director (local fund)


def actors_of(user: Any, project: Project | None) -> frozenset[Actor]:
    """The parts `user` can play on `project`, or in general without one (scope is checked separately)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    organisation = getattr(user, "organisation", None)
    kind = getattr(organisation, "kind", None)
    found: set[Actor] = set()
    if user.role == Role.PROVINCIAL_OFFICER:
        found.add(Actor.IMPLEMENTER)
        if kind == OrganisationKind.DEPARTMENT:
            found.add(Actor.DEPARTMENT)
    elif user.role == Role.PROVINCIAL_APPROVER:
        found |= {Actor.DEPARTMENT, Actor.PROVINCE_APPROVER}
    elif user.role == Role.MINISTRY_OFFICER:
        found.add(Actor.AGENCY)
        # Regional centres and the agency implement national projects of their own.
        if project is not None and project.implementing_org_id and project.implementing_org.province_id is None:
            found.add(Actor.IMPLEMENTER)
    elif user.role == Role.MINISTRY_APPROVER:
        found |= {Actor.AGENCY, Actor.MINISTER}
    return frozenset(found)


def local_workflow(project: Project) -> LocalWorkflow | None:
    """The province's configuration of local-fund steps (None for a national project, or defaults)."""
    if project.fund != KCDP:
        return None
    cached = getattr(project, "_local_workflow", None)
    if cached is None:
        cached = LocalWorkflow.objects.filter(province_id=project.province_id).first() or LocalWorkflow(
            province_id=project.province_id
        )
        project._local_workflow = cached  # type: ignore[attr-defined]
    return cached


def _appraised(project: Project) -> bool:
    config = local_workflow(project)
    return config is None or config.base_appraisal


def _contracted(project: Project) -> bool:
    config = local_workflow(project)
    return config is None or config.contract_step


def _not_appraised(project: Project) -> bool:
    return not _appraised(project)


def _not_contracted(project: Project) -> bool:
    return not _contracted(project)


def _pending_adjustment(project: Project) -> Adjustment | None:
    return project.adjustments.filter(status=AdjustmentStatus.PENDING).order_by("-requested_at").first()


def _adjustment_deciders(project: Project) -> frozenset[Actor]:
    """Minor adjustments: the Department (or the agency for a national project); major ones: the approver."""
    adjustment = _pending_adjustment(project)
    major = adjustment is not None and adjustment.scale == "major"
    if project.fund == KCQG:
        return frozenset({Actor.MINISTER}) if major else frozenset({Actor.AGENCY, Actor.DEPARTMENT})
    return frozenset({Actor.PROVINCE_APPROVER}) if major else frozenset({Actor.DEPARTMENT})


@dataclass(frozen=True)
class Step:
    name: str
    label: str | Promise
    sources: frozenset[str]
    #: The state reached; None: the state the project was in before an adjustment or a suspension.
    target: str | None
    actors: frozenset[Actor] | Callable[[Project], frozenset[Actor]]
    funds: frozenset[str] = BOTH
    decision: str | None = None
    reason_required: bool = False
    deadline: str | None = None
    #: The calendar year the deadline is counted from: the plan year or the project's last year.
    deadline_year: str = "plan_year"
    when: Callable[[Project], bool] | None = None
    style: str = "primary"

    def allowed_actors(self, project: Project) -> frozenset[Actor]:
        return self.actors(project) if callable(self.actors) else self.actors

    def applies(self, project: Project) -> bool:
        return project.fund in self.funds and (self.when is None or self.when(project))


S = Status
IM, D, A, M, P = Actor.IMPLEMENTER, Actor.DEPARTMENT, Actor.AGENCY, Actor.MINISTER, Actor.PROVINCE_APPROVER
UNDER_WAY = frozenset({S.ASSIGNED, S.CONTRACTED, S.IN_PROGRESS})

STEPS: tuple[Step, ...] = (
    Step("submit", gettext_lazy("Submit to the Department"), frozenset({S.DRAFT}), S.SUBMITTED, frozenset({IM}),
         deadline=CalendarDeadline.Step.SUBMIT_TO_DEPARTMENT),
    Step("receive", gettext_lazy("Start the base-level appraisal"), frozenset({S.SUBMITTED}), S.BASE_APPRAISAL,
         frozenset({D}), when=_appraised),
    Step("return", gettext_lazy("Return for revision"), frozenset({S.SUBMITTED, S.BASE_APPRAISAL}), S.DRAFT,
         frozenset({D}), reason_required=True, style="warning"),
    Step("pass_appraisal", gettext_lazy("Pass the appraisal"), frozenset({S.BASE_APPRAISAL}), S.BASE_APPROVED,
         frozenset({D}), decision=DecisionKind.APPRAISAL, when=_appraised, style="success"),
    Step("pass_appraisal", gettext_lazy("Accept for the plan"), frozenset({S.SUBMITTED}), S.BASE_APPROVED,
         frozenset({D}), funds=frozenset({KCDP}), when=_not_appraised, style="success"),
    Step("reject", gettext_lazy("Reject"), frozenset({S.BASE_APPRAISAL}), S.REJECTED, frozenset({D}),
         reason_required=True, style="danger"),
    Step("reject", gettext_lazy("Reject"), frozenset({S.MINISTRY_APPRAISAL}), S.REJECTED, frozenset({A}),
         funds=frozenset({KCQG}), reason_required=True, style="danger"),
    Step("reject", gettext_lazy("Reject"), frozenset({S.BASE_APPROVED}), S.REJECTED, frozenset({P}),
         funds=frozenset({KCDP}), reason_required=True, style="danger"),
    Step("register", gettext_lazy("Register with the ministry"), frozenset({S.BASE_APPROVED}), S.REGISTERED,
         frozenset({D}), funds=frozenset({KCQG}), deadline=CalendarDeadline.Step.REGISTER_WITH_MINISTRY),
    Step("ministry_receive", gettext_lazy("Start the ministry-level appraisal"), frozenset({S.REGISTERED}),
         S.MINISTRY_APPRAISAL, frozenset({A}), funds=frozenset({KCQG})),
    Step("include_in_plan", gettext_lazy("Approve into the plan"), frozenset({S.MINISTRY_APPRAISAL}), S.IN_PLAN,
         frozenset({M}), funds=frozenset({KCQG}), decision=DecisionKind.PLAN_APPROVAL, style="success"),
    Step("include_in_plan", gettext_lazy("Approve into the plan"), frozenset({S.BASE_APPROVED}), S.IN_PLAN,
         frozenset({P}), funds=frozenset({KCDP}), decision=DecisionKind.PLAN_APPROVAL, style="success"),
    Step("assign", gettext_lazy("Assign the plan"), frozenset({S.IN_PLAN}), S.ASSIGNED, frozenset({A}),
         funds=frozenset({KCQG}), decision=DecisionKind.ASSIGNMENT),
    Step("assign", gettext_lazy("Assign the plan"), frozenset({S.IN_PLAN}), S.ASSIGNED, frozenset({D}),
         funds=frozenset({KCDP}), decision=DecisionKind.ASSIGNMENT),
    Step("sign_contract", gettext_lazy("Record the signed contract"), frozenset({S.ASSIGNED}), S.CONTRACTED,
         frozenset({A}), funds=frozenset({KCQG}), decision=DecisionKind.CONTRACT),
    Step("sign_contract", gettext_lazy("Record the signed contract"), frozenset({S.ASSIGNED}), S.CONTRACTED,
         frozenset({D}), funds=frozenset({KCDP}), decision=DecisionKind.CONTRACT, when=_contracted),
    Step("start", gettext_lazy("Start the work"), frozenset({S.CONTRACTED}), S.IN_PROGRESS, frozenset({IM})),
    Step("start", gettext_lazy("Start the work"), frozenset({S.ASSIGNED}), S.IN_PROGRESS, frozenset({IM}),
         funds=frozenset({KCDP}), when=_not_contracted),
    Step("request_adjustment", gettext_lazy("Request an adjustment"), UNDER_WAY, S.ADJUSTMENT_PENDING,
         frozenset({IM}), reason_required=True, style="secondary"),
    Step("approve_adjustment", gettext_lazy("Approve the adjustment"), frozenset({S.ADJUSTMENT_PENDING}), None,
         _adjustment_deciders, decision=DecisionKind.ADJUSTMENT, style="success"),
    Step("deny_adjustment", gettext_lazy("Deny the adjustment"), frozenset({S.ADJUSTMENT_PENDING}), None,
         _adjustment_deciders, reason_required=True, style="warning"),
    Step("suspend", gettext_lazy("Suspend"), UNDER_WAY, S.SUSPENDED, frozenset({M}), funds=frozenset({KCQG}),
         decision=DecisionKind.SUSPENSION, reason_required=True, style="danger"),
    Step("suspend", gettext_lazy("Suspend"), UNDER_WAY, S.SUSPENDED, frozenset({P}), funds=frozenset({KCDP}),
         decision=DecisionKind.SUSPENSION, reason_required=True, style="danger"),
    Step("resume", gettext_lazy("Resume"), frozenset({S.SUSPENDED}), None, frozenset({M}), funds=frozenset({KCQG}),
         reason_required=True),
    Step("resume", gettext_lazy("Resume"), frozenset({S.SUSPENDED}), None, frozenset({P}), funds=frozenset({KCDP}),
         reason_required=True),
    Step("stop", gettext_lazy("Stop the project"), frozenset({S.SUSPENDED}), S.STOPPED, frozenset({M}),
         funds=frozenset({KCQG}), decision=DecisionKind.SUSPENSION, reason_required=True, style="danger"),
    Step("stop", gettext_lazy("Stop the project"), frozenset({S.SUSPENDED}), S.STOPPED, frozenset({P}),
         funds=frozenset({KCDP}), decision=DecisionKind.SUSPENSION, reason_required=True, style="danger"),
    Step("accept", gettext_lazy("Record the acceptance"), frozenset({S.IN_PROGRESS}), S.ACCEPTED,
         frozenset({D, A}), funds=frozenset({KCQG}), decision=DecisionKind.ACCEPTANCE, style="success"),
    Step("accept", gettext_lazy("Record the acceptance"), frozenset({S.IN_PROGRESS}), S.ACCEPTED, frozenset({D}),
         funds=frozenset({KCDP}), decision=DecisionKind.ACCEPTANCE, style="success"),
    Step("settle", gettext_lazy("Approve the settlement"), frozenset({S.ACCEPTED}), S.SETTLED, frozenset({A}),
         funds=frozenset({KCQG}), decision=DecisionKind.SETTLEMENT, deadline=CalendarDeadline.Step.SETTLEMENT,
         deadline_year="end_year", style="success"),
    Step("settle", gettext_lazy("Approve the settlement"), frozenset({S.ACCEPTED}), S.SETTLED, frozenset({D}),
         funds=frozenset({KCDP}), decision=DecisionKind.SETTLEMENT, deadline=CalendarDeadline.Step.SETTLEMENT,
         deadline_year="end_year", style="success"),
    Step("evaluate", gettext_lazy("Close the post-support evaluation"), frozenset({S.SETTLED}), S.EVALUATED,
         frozenset({D, IM})),
)  # fmt: skip

STEP_NAMES: tuple[str, ...] = tuple(dict.fromkeys(step.name for step in STEPS))

_DOC = DocumentKind
#: The documents each step rests on (domain.md §5): the step page lists them, attached or not, and takes the file
#: of its decision (a contract for the contract step, the minutes for the acceptance …) right there.
STEP_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "submit": (_DOC.REQUEST_LETTER, _DOC.PROJECT_DOCUMENT, _DOC.ESTIMATE),
    "pass_appraisal": (_DOC.APPRAISAL_SHEET,),
    "include_in_plan": (_DOC.DECISION,),
    "assign": (_DOC.DECISION,),
    "sign_contract": (_DOC.CONTRACT,),
    "accept": (_DOC.ACCEPTANCE_MINUTES,),
    "settle": (_DOC.SETTLEMENT_DOSSIER, _DOC.DECISION),
    "approve_adjustment": (_DOC.DECISION,),
    "suspend": (_DOC.DECISION,),
    "stop": (_DOC.DECISION,),
}
#: The kind of document a step's decision is filed as.
DECISION_DOCUMENT: dict[str, str] = {
    DecisionKind.APPRAISAL: _DOC.APPRAISAL_SHEET,
    DecisionKind.PLAN_APPROVAL: _DOC.DECISION,
    DecisionKind.ASSIGNMENT: _DOC.DECISION,
    DecisionKind.CONTRACT: _DOC.CONTRACT,
    DecisionKind.ACCEPTANCE: _DOC.ACCEPTANCE_MINUTES,
    DecisionKind.SETTLEMENT: _DOC.DECISION,
    DecisionKind.ADJUSTMENT: _DOC.DECISION,
    DecisionKind.SUSPENSION: _DOC.DECISION,
}
#: The state whose calendar deadline is pending, for the "overdue" filter: (state, step whose deadline applies).
AWAITING_DEADLINE: dict[str, str] = {
    S.DRAFT: CalendarDeadline.Step.SUBMIT_TO_DEPARTMENT,
    S.BASE_APPROVED: CalendarDeadline.Step.REGISTER_WITH_MINISTRY,
    S.ACCEPTED: CalendarDeadline.Step.SETTLEMENT,
}


def step_for(project: Project, name: str) -> Step | None:
    """The step called `name` that applies to `project` in its current state (None if none does)."""
    for step in STEPS:
        if step.name == name and project.status in step.sources and step.applies(project):
            return step
    return None


def available_steps(user: Any, project: Project) -> list[Step]:
    """The steps `user` may take on `project` now (for the buttons and the API)."""
    return [
        step
        for step in STEPS
        if project.status in step.sources and step.applies(project) and _allowed(user, project, step)
    ]


def _allowed(user: Any, project: Project, step: Step) -> bool:
    return bool(actors_of(user, project) & step.allowed_actors(project)) and in_scope(user, project)


def can(user: Any, project: Project, name: str) -> bool:
    step = step_for(project, name)
    return step is not None and _allowed(user, project, step)


# ---- what comes next, and whose turn it is ---------------------------------------------------------------------------

#: Steps a project may take but does not wait for: refusals, returns, adjustments asked or denied, suspensions.
OPTIONAL_STEPS = frozenset({"return", "reject", "request_adjustment", "deny_adjustment", "suspend", "stop"})

ACTOR_LABELS: dict[Actor, Promise] = {
    Actor.IMPLEMENTER: gettext_lazy("The implementing unit"),
    Actor.DEPARTMENT: gettext_lazy("The Department of Industry and Trade"),
    Actor.AGENCY: gettext_lazy("The ministry's khuyến công agency"),
    Actor.MINISTER: gettext_lazy("The ministry's leadership"),
    Actor.PROVINCE_APPROVER: gettext_lazy("The province's approver"),
}
ACTOR_ORDER = (Actor.IMPLEMENTER, Actor.DEPARTMENT, Actor.PROVINCE_APPROVER, Actor.AGENCY, Actor.MINISTER)


def next_step(project: Project) -> Step | None:
    """The step the project is waiting for in its state (None once it is closed): the first step of the table that
    leaves from the state and applies to the project, leaving aside those it may take but does not wait for."""
    for step in STEPS:
        if step.name not in OPTIONAL_STEPS and project.status in step.sources and step.applies(project):
            return step
    return None


def next_step_text(project: Project) -> str:
    """“Next step: the Department of Industry and Trade records the signed contract”, for everyone who sees the
    project, whether or not they can take it ("" once the project is closed)."""
    step = next_step(project)
    if step is None:
        return ""
    actors = step.allowed_actors(project)
    who = _(" or ").join(str(ACTOR_LABELS[a]) for a in ACTOR_ORDER if a in actors)
    label = str(step.label)
    if (get_language() or "vi").startswith("vi"):  # a verb after its subject: “Sở Công Thương ghi nhận …”
        label = label[:1].lower() + label[1:]
    return _("Next step: %(who)s — %(step)s") % {"who": who, "step": label}


def _when_q(when: Callable[[Project], bool] | None, fund: str) -> Q | None:
    """The condition of a step's `when` as a query on projects of `fund` (the provinces' local workflows); None
    when it always holds (no condition, or a national project, which has no local workflow)."""
    if when is None or fund != KCDP:
        return None
    skip_appraisal = LocalWorkflow.objects.filter(base_appraisal=False).values("province_id")
    skip_contract = LocalWorkflow.objects.filter(contract_step=False).values("province_id")
    conditions = {
        _appraised: ~Q(province_id__in=skip_appraisal),
        _not_appraised: Q(province_id__in=skip_appraisal),
        _contracted: ~Q(province_id__in=skip_contract),
        _not_contracted: Q(province_id__in=skip_contract),
    }
    if when not in conditions:  # a new kind of condition must be written here too (the tests walk every state)
        raise NotImplementedError(f"no query for the step condition {when!r}")
    return conditions[when]


def _actors_q(step: Step, fund: str) -> list[tuple[frozenset[Actor], Q]]:
    """Who may take `step` on projects of `fund`, as (actors, the projects for which they are the ones)."""
    if not callable(step.actors):
        return [(step.actors, Q())]
    if step.actors is not _adjustment_deciders:
        raise NotImplementedError(f"no query for the actors {step.actors!r}")
    major = Exists(Adjustment.objects.filter(project=OuterRef("pk"), status=AdjustmentStatus.PENDING, scale="major"))
    if fund == KCQG:
        return [(frozenset({Actor.MINISTER}), Q(major)), (frozenset({Actor.AGENCY, Actor.DEPARTMENT}), ~Q(major))]
    return [(frozenset({Actor.PROVINCE_APPROVER}), Q(major)), (frozenset({Actor.DEPARTMENT}), ~Q(major))]


def waiting_for_q(user: Any) -> Q:
    """The projects whose next step (`next_step`) the user's role may take, as one query (scope applied by the
    caller's selector): exactly the projects for which `next_step(p)` is allowed to the user."""
    general = actors_of(user, None)
    # A ministry officer implements the national projects of the agency and the regional centres (`actors_of`).
    # On the project's own column (the national organisations are few), so that the index of (status, fund,
    # implementing organisation) answers it without joining every project to its organisation: 3× faster for the
    # ministry at national scale (bench/results/inbox-home-*.json).
    national_implementer = Q(implementing_org_id__in=Organisation.objects.filter(province__isnull=True).values("pk"))
    implementer_elsewhere = getattr(user, "role", None) == Role.MINISTRY_OFFICER
    found: Q | None = None
    for fund in (KCQG, KCDP):
        for status in Status.values:
            earlier: list[Q] = []  # conditions under which an earlier row of the table is the next step
            for step in STEPS:
                if step.name in OPTIONAL_STEPS or status not in step.sources or fund not in step.funds:
                    continue
                condition = _when_q(step.when, fund)
                reached = Q(status=status, fund=fund)
                if condition is not None:
                    reached &= condition
                for before in earlier:
                    reached &= ~before
                for actors, which in _actors_q(step, fund):
                    if actors & general:
                        part = reached & which
                    elif implementer_elsewhere and Actor.IMPLEMENTER in actors:
                        part = reached & which & national_implementer
                    else:
                        continue
                    found = part if found is None else found | part
                if condition is None:
                    break  # the later rows of this state are never the next step
                earlier.append(condition)
    return found if found is not None else Q(pk__in=[])


def deadline_of(project: Project, step: Step, on: datetime.date) -> datetime.date | None:
    if not step.deadline:
        return None
    year = project.end_year if step.deadline_year == "end_year" else project.plan_year
    found = calendar_deadline(
        fund=project.fund,
        step=step.deadline,
        year=year,
        on=on,
        province=project.province if project.fund == KCDP else None,
    )
    return found[0] if found else None


def pending_deadline(project: Project, on: datetime.date) -> tuple[str, datetime.date] | None:
    """The calendar deadline the project's current state is waiting on: (step label, date)."""
    step_code = AWAITING_DEADLINE.get(project.status)
    if not step_code or (step_code == CalendarDeadline.Step.REGISTER_WITH_MINISTRY and project.fund != KCQG):
        return None
    year = project.end_year if step_code == CalendarDeadline.Step.SETTLEMENT else project.plan_year
    found = calendar_deadline(
        fund=project.fund, step=step_code, year=year, on=on, province=project.province if project.fund == KCDP else None
    )
    if not found:
        return None
    return str(CalendarDeadline.Step(step_code).label), found[0]


@dataclass
class DecisionData:
    number: str
    signed_on: datetime.date
    signer: str
    issuer: str = ""
    document_id: int | None = None


@dataclass
class StepInput:
    """What the person taking a step supplies."""

    reason: str = ""
    decision: DecisionData | None = None
    expected_version: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# Hooks run inside the transaction, before the state changes; they validate (raising ApplicationError) and write the
# step's own records. Registered by the services module, which knows the project's content; the app's ready()
# imports it, and `project_transition` refuses to run a step while they are missing, so no entry point (a script
# that imports only this module, a management command) can take a step without its checks.
BEFORE_HOOKS: dict[str, Callable[..., None]] = {}
AFTER_HOOKS: dict[str, Callable[..., None]] = {}
#: Steps that must not be taken without their after-hook: the plans app records a settlement's money.
REQUIRED_AFTER_HOOKS = frozenset({"settle"})


def _refuse_step(project: Project, name: str) -> ApplicationError:
    names = {step.name for step in STEPS}
    if name not in names:
        return ApplicationError(ErrorCode.INVALID, _("Unknown step “%(step)s”.") % {"step": name})
    return ApplicationError(
        ErrorCode.CONFLICT,
        _("This step is not possible while the project is “%(status)s”.") % {"status": project.get_status_display()},
        extra={"status": project.status},
    )


def _decision(project: Project, kind: str, data: DecisionData | None, user: Any) -> Decision:
    if data is None or not (data.number or "").strip() or not data.signed_on or not (data.signer or "").strip():
        raise ApplicationError(
            ErrorCode.INVALID,
            _("This step needs its decision: number, date signed and signer."),
            field="decision_number",
        )
    if data.signed_on > timezone.localdate():
        raise ApplicationError(
            ErrorCode.INVALID_DATE, _("A decision cannot be dated in the future."), field="decision_signed_on"
        )
    document = None
    if data.document_id:
        document = project.documents.filter(pk=data.document_id).first()
        if document is None:
            raise ApplicationError(
                ErrorCode.INVALID, _("The file chosen is not attached to this project."), field="decision_document"
            )
    decision = Decision(
        project=project,
        kind=kind,
        number=" ".join(data.number.split()),
        signed_on=data.signed_on,
        signer=data.signer.strip(),
        issuer=(data.issuer or "").strip(),
        document=document,
    )
    attribute(decision, user=user)
    decision.save()
    return decision


@transaction.atomic
def project_transition(*, user: Any, project_id: int, name: str, data: StepInput | None = None) -> Transition:
    """Take the step `name` on the project: refused with a Vietnamese reason (nothing written) when the step is not
    possible in the project's state, the user may not take it or the project is outside their area, the project
    changed since the user opened it, or the step's own checks fail."""
    data = data or StepInput()
    if not BEFORE_HOOKS or not AFTER_HOOKS or not AFTER_HOOKS.keys() >= REQUIRED_AFTER_HOOKS:  # apps' ready()
        raise ApplicationError(ErrorCode.CONFLICT, _("The checks of the steps are not loaded; nothing was changed."))
    project = (
        Project.objects.select_for_update().select_related("implementing_org", "province").filter(pk=project_id).first()
    )
    if project is None or not in_scope(user, project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if data.expected_version is not None and project.version != data.expected_version:
        raise ApplicationError(
            ErrorCode.STALE_VERSION,
            _("Someone else changed this project after you opened it. Reload the page and try again."),
        )
    step = step_for(project, name)
    if step is None:
        raise _refuse_step(project, name)
    if not _allowed(user, project, step):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Your role does not allow the step “%(step)s” on this project.") % {"step": step.label},
        )
    reason = (data.reason or "").strip()
    if step.reason_required and not reason:
        raise ApplicationError(ErrorCode.INVALID, _("Give the reason for this step."), field="reason")
    before = BEFORE_HOOKS.get(step.name)
    if before is not None:
        before(project=project, user=user, data=data, step=step)
    decision = _decision(project, step.decision, data.decision, user) if step.decision else None
    today = timezone.localdate()
    deadline = deadline_of(project, step, today)
    from_status = project.status
    target = step.target or project.resume_status or Status.IN_PROGRESS
    if step.target == Status.ADJUSTMENT_PENDING or step.target == Status.SUSPENDED:
        project.resume_status = from_status
    elif step.target is None:
        project.resume_status = ""
    project.status = target
    project.status_changed_at = timezone.now()
    project.version += 1
    attribute(project, user=user, reason=f"{step.label}: {reason}" if reason else str(step.label))
    project.save()
    transition = Transition(
        project=project,
        name=step.name,
        from_status=from_status,
        to_status=target,
        actor=user,
        reason=reason,
        decision=decision,
        deadline=deadline,
        late=bool(deadline and today > deadline),
    )
    attribute(transition, user=user)
    transition.save()
    after = AFTER_HOOKS.get(step.name)
    if after is not None:
        after(project=project, user=user, data=data, step=step, transition=transition)
    figures_refresh(project)
    return transition


# ---- one predicate and one service per step --------------------------------------------------------------------------


def _named(name: str) -> tuple[Callable[[Any, Project], bool], Callable[..., Transition]]:
    def predicate(user: Any, project: Project) -> bool:
        return can(user, project, name)

    def service(*, user: Any, project_id: int, data: StepInput | None = None) -> Transition:
        return project_transition(user=user, project_id=project_id, name=name, data=data)

    predicate.__name__, service.__name__ = f"can_{name}", f"project_{name}"
    predicate.__doc__ = f"Whether the user may take the step “{name}” on the project now."
    service.__doc__ = f"Take the step “{name}” (see `project_transition`)."
    return predicate, service


can_submit, project_submit = _named("submit")
can_receive, project_receive = _named("receive")
can_return, project_return = _named("return")
can_pass_appraisal, project_pass_appraisal = _named("pass_appraisal")
can_reject, project_reject = _named("reject")
can_register, project_register = _named("register")
can_ministry_receive, project_ministry_receive = _named("ministry_receive")
can_include_in_plan, project_include_in_plan = _named("include_in_plan")
can_assign, project_assign = _named("assign")
can_sign_contract, project_sign_contract = _named("sign_contract")
can_start, project_start = _named("start")
can_request_adjustment, project_request_adjustment = _named("request_adjustment")
can_approve_adjustment, project_approve_adjustment = _named("approve_adjustment")
can_deny_adjustment, project_deny_adjustment = _named("deny_adjustment")
can_suspend, project_suspend = _named("suspend")
can_resume, project_resume = _named("resume")
can_stop, project_stop = _named("stop")
can_accept, project_accept = _named("accept")
can_settle, project_settle = _named("settle")
can_evaluate, project_evaluate = _named("evaluate")
