"""“Việc cần làm”: what is waiting for the signed-in user, from every part of the system, for the home page and
`/api/v1/me/tasks/`. Reads only the other apps' selectors and predicates, each already scoped to the user:

- projects whose next step is the user's to take (with the step and how long they have waited);
- the programme calendar's deadlines coming up (90 days) or passed (45 days) with the projects of the user's area
  still waiting on them;
- monthly progress reports to confirm (the Department; the agency for national projects);
- collaborators' reports to accept or approve, and those overdue in the province;
- the user's imports to save, and the imports, exports and report files finished in the last 7 days;
- possible duplicate establishments to decide;
- the headline figures of the user's area for this year: planned, disbursed, progress.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from khuyencong.accounts.choices import Role
from khuyencong.collaborators import selectors as collaborator_selectors
from khuyencong.collaborators.choices import SubmissionStatus
from khuyencong.core.formatting import format_date, format_money, format_percent
from khuyencong.core.scoping import user_scope
from khuyencong.establishments import selectors as establishment_selectors
from khuyencong.plans import selectors as plan_selectors
from khuyencong.policy.models import CalendarDeadline, Fund
from khuyencong.policy.selectors import calendar_deadline
from khuyencong.projects import selectors as project_selectors
from khuyencong.projects import workflow
from khuyencong.projects.workflow import AWAITING_DEADLINE

from . import official
from .models import ReportJob

#: How many rows of each list the inbox shows (the link opens the whole list).
SHOWN = 10
RECENT_DAYS = 7
DEADLINES_AHEAD, DEADLINES_BEHIND = 90, 45
#: Roles with a work inbox (a collaborator's home is their reports; a representative's, their establishments).
STAFF_ROLES = frozenset(
    {Role.SYSTEM_ADMIN, Role.MINISTRY_OFFICER, Role.MINISTRY_APPROVER, Role.PROVINCIAL_OFFICER,
     Role.PROVINCIAL_APPROVER, Role.AUDITOR}
)  # fmt: skip


@dataclass
class WaitingProject:
    project: Any
    step: str
    since: datetime.datetime
    days: int


@dataclass
class Deadline:
    label: str
    fund: str
    year: int
    date: datetime.date
    days_left: int
    projects: int
    url: str

    @property
    def passed(self) -> bool:
        return self.days_left < 0


@dataclass
class Job:
    kind: str
    name: str
    status: str
    status_label: str
    at: datetime.datetime
    url: str


@dataclass
class Inbox:
    waiting: list[WaitingProject] = field(default_factory=list)
    waiting_count: int = 0
    waiting_url: str = ""
    deadlines: list[Deadline] = field(default_factory=list)
    progress_reports: list[Any] = field(default_factory=list)
    progress_count: int = 0
    reports_to_review: int = 0
    reports_to_approve: int = 0
    reports_overdue: int = 0
    reports_url: str = ""
    jobs: list[Job] = field(default_factory=list)
    duplicates: list[Any] = field(default_factory=list)
    duplicate_count: int = 0
    headline: Any = None
    headline_year: int = 0

    @property
    def empty(self) -> bool:
        return not (
            self.waiting_count or any(d.projects for d in self.deadlines) or self.progress_count
            or self.reports_to_review or self.reports_to_approve or self.reports_overdue or self.jobs
            or self.duplicate_count
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """The inbox for the API: every figure and link, dates in ISO format, amounts in đồng."""
        headline = None
        if self.headline is not None:
            f = self.headline.figures
            headline = {
                "year": self.headline_year,
                "planned_vnd": f.planned_vnd,
                "disbursed_vnd": f.disbursed_vnd,
                "progress_pct": None if self.headline.progress_pct is None else str(self.headline.progress_pct),
                "display": {
                    "planned": format_money(f.planned_vnd),
                    "disbursed": format_money(f.disbursed_vnd),
                    "progress": format_percent(self.headline.progress_pct, 2),
                },
            }
        return {
            "projects_waiting": {
                "count": self.waiting_count,
                "url": self.waiting_url,
                "items": [
                    {
                        "id": w.project.pk,
                        "code": w.project.code,
                        "name": w.project.name,
                        "status": w.project.status,
                        "step": w.step,
                        "waiting_since": w.since.isoformat(),
                        "days_waiting": w.days,
                        "url": reverse("projects:detail", args=[w.project.pk]),
                    }
                    for w in self.waiting
                ],
            },
            "deadlines": [
                {
                    "label": d.label,
                    "fund": d.fund,
                    "plan_year": d.year,
                    "date": d.date.isoformat(),
                    "days_left": d.days_left,
                    "projects_waiting": d.projects,
                    "url": d.url,
                }
                for d in self.deadlines
            ],
            "progress_reports_to_confirm": {
                "count": self.progress_count,
                "items": [
                    {
                        "id": r.pk,
                        "project": r.project.code,
                        "month": r.month.isoformat(),
                        "url": reverse("projects:detail_tab", args=[r.project_id, "progress"]),
                    }
                    for r in self.progress_reports
                ],
            },
            "collaborator_reports": {
                "to_review": self.reports_to_review,
                "to_approve": self.reports_to_approve,
                "overdue": self.reports_overdue,
                "url": self.reports_url,
            },
            "jobs": [
                {"kind": j.kind, "name": j.name, "status": j.status, "at": j.at.isoformat(), "url": j.url}
                for j in self.jobs
            ],
            "duplicates_to_decide": {
                "count": self.duplicate_count,
                "items": [
                    {
                        "id": flag.pk,
                        "establishment": flag.establishment.name,
                        "other": flag.other.name,
                        "score": flag.score,
                        "url": reverse("establishments:detail_tab", args=[flag.establishment_id, "duplicates"]),
                    }
                    for flag in self.duplicates
                ],
            },
            "headline": headline,
        }


def _waiting(user: Any, inbox: Inbox, now: datetime.datetime) -> None:
    waiting = project_selectors.projects_waiting(user=user)
    inbox.waiting_count = waiting.count()
    inbox.waiting_url = reverse("projects:list") + "?" + urlencode({"waiting": "true"})
    for project in waiting[:SHOWN]:
        step = workflow.next_step(project)
        since = project.status_changed_at or project.created_at
        inbox.waiting.append(
            WaitingProject(project=project, step=str(step.label) if step else "", since=since, days=(now - since).days)
        )


def _deadlines(user: Any, inbox: Inbox, today: datetime.date) -> None:
    """The calendar's dated deadlines near today, with the projects of the user's area still waiting on each."""
    scope = user_scope(user)
    funds: list[tuple[str, Any]] = [(Fund.KCQG.value, None)]
    if scope.level == "province" and len(scope.province_ids) == 1:
        from khuyencong.geography.models import AdminUnit

        funds.append((Fund.KCDP.value, AdminUnit.objects.filter(pk=next(iter(scope.province_ids))).first()))
    statuses: dict[str, list[str]] = {}
    for status, step in AWAITING_DEADLINE.items():
        statuses.setdefault(step, []).append(status)
    projects = project_selectors.project_queryset(user=user)
    for fund, province in funds:
        for step in CalendarDeadline.Step.values:
            if step == CalendarDeadline.Step.PROGRESS_REPORT or step not in statuses:
                continue
            if step == CalendarDeadline.Step.REGISTER_WITH_MINISTRY and fund != Fund.KCQG:
                continue
            for year in range(today.year - 1, today.year + 3):
                found = calendar_deadline(fund=fund, step=step, year=year, on=today, province=province)
                if not found:
                    continue
                date = found[0]
                days_left = (date - today).days
                if not -DEADLINES_BEHIND <= days_left <= DEADLINES_AHEAD:
                    continue
                year_field = "end_year" if step == CalendarDeadline.Step.SETTLEMENT else "plan_year"
                count = projects.filter(fund=fund, status__in=statuses[step], **{year_field: year}).count()
                if days_left < 0 and not count:
                    continue  # a passed deadline with nothing left waiting on it
                params: dict[str, str | int] = {"fund": fund}
                if year_field == "plan_year":
                    params["year"] = year
                if len(statuses[step]) == 1:
                    params["status"] = statuses[step][0]
                inbox.deadlines.append(
                    Deadline(
                        label=str(CalendarDeadline.Step(step).label),
                        fund=fund,
                        year=year,
                        date=date,
                        days_left=days_left,
                        projects=count,
                        url=reverse("projects:list") + "?" + urlencode(params),
                    )
                )
    inbox.deadlines.sort(key=lambda d: d.date)


def _progress_reports(user: Any, inbox: Inbox) -> None:
    reports = project_selectors.progress_reports_to_confirm(user=user)
    inbox.progress_count = reports.count()
    inbox.progress_reports = list(reports[:SHOWN])


def _collaborator_reports(user: Any, inbox: Inbox) -> None:
    if user_scope(user).level != "province" or user.role not in (Role.PROVINCIAL_OFFICER, Role.PROVINCIAL_APPROVER):
        return
    queue = collaborator_selectors.review_queue(user=user)
    inbox.reports_to_review = queue.filter(status=SubmissionStatus.SUBMITTED).count()
    if user.role == Role.PROVINCIAL_APPROVER:
        inbox.reports_to_approve = queue.filter(status=SubmissionStatus.ACCEPTED).count()
    inbox.reports_overdue = collaborator_selectors.overdue_in_province(user=user)
    inbox.reports_url = reverse("collaborators:my_reports")


def _jobs(user: Any, inbox: Inbox, now: datetime.datetime) -> None:
    since = now - datetime.timedelta(days=RECENT_DAYS)
    for batch in establishment_selectors.imports_of(user=user, since=since):
        inbox.jobs.append(
            Job(
                kind=_("Import"),
                name=batch.file_name,
                status=batch.status,
                status_label=(
                    _("Checked: review and save it")
                    if batch.status == batch.BatchStatus.CHECKED
                    else str(batch.get_status_display())
                ),  # fmt: skip
                at=batch.progress_at,
                url=reverse("establishments:import_batch", args=[batch.pk]),
            )
        )
    for job in establishment_selectors.exports_of(user=user, since=since):
        inbox.jobs.append(
            Job(
                kind=_("Export"),
                name=_("Establishments (.%(format)s)") % {"format": job.file_format},
                status=job.status,
                status_label=str(job.get_status_display()),
                at=job.created_at,
                url=reverse("establishments:export_job", args=[job.pk]),
            )
        )
    for report in ReportJob.objects.filter(
        user=user, created_at__gte=since, status__in=[ReportJob.JobStatus.DONE, ReportJob.JobStatus.FAILED]
    )[:SHOWN]:
        inbox.jobs.append(
            Job(
                kind=_("Report file"),
                name=(report.params or {}).get("file_title")
                or f"{official.KINDS.get(report.kind, report.kind)} (.{report.file_format})",
                status=report.status,
                status_label=str(report.get_status_display()),
                at=report.created_at,
                url=reverse("reports:job", args=[report.pk]),
            )
        )
    inbox.jobs.sort(key=lambda j: j.at, reverse=True)
    del inbox.jobs[SHOWN:]


def _duplicates(user: Any, inbox: Inbox) -> None:
    flags = establishment_selectors.duplicate_flags_to_decide(user=user)
    inbox.duplicate_count = flags.count()
    inbox.duplicates = list(flags[:SHOWN])


def _headline(user: Any, inbox: Inbox, today: datetime.date) -> None:
    scope = user_scope(user)
    if scope.level not in ("country", "province"):
        return
    inbox.headline_year = today.year
    inbox.headline = plan_selectors.plan_vs_actual(
        user=user, query=plan_selectors.Query(as_of=today, year_from=today.year, year_to=today.year)
    )


def inbox_for(*, user: Any) -> Inbox:
    """Everything waiting for `user` in their area (empty for roles without a work inbox)."""
    inbox = Inbox()
    if not getattr(user, "is_authenticated", False) or (user.role not in STAFF_ROLES and not user.is_superuser):
        return inbox
    now = timezone.now()
    today = timezone.localdate()
    _waiting(user, inbox, now)
    _deadlines(user, inbox, today)
    _progress_reports(user, inbox)
    _collaborator_reports(user, inbox)
    _jobs(user, inbox, now)
    _duplicates(user, inbox)
    _headline(user, inbox, today)
    return inbox


def deadline_text(deadline: Deadline) -> str:
    """“20/05/2027 · còn 12 ngày” / “đã quá 3 ngày”."""
    date = format_date(deadline.date)
    if deadline.days_left > 0:
        return _("%(date)s · %(days)s days left") % {"date": date, "days": deadline.days_left}
    if deadline.days_left == 0:
        return _("%(date)s · today") % {"date": date}
    return _("%(date)s · %(days)s days ago") % {"date": date, "days": -deadline.days_left}
