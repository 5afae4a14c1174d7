"""Khuyến công projects (đề án): content, beneficiaries, budget, targets and results, the decisions and transitions of
their lifecycle, attached documents, monthly progress reports, adjustments, and each province's local workflow."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager
from khuyencong.policy.models import Fund

from .choices import (
    AdjustmentScale,
    AdjustmentStatus,
    BudgetSource,
    DecisionKind,
    DocumentKind,
    Kind,
    LocalApprover,
    SelectionMethod,
    Status,
)


def _non_negative(*fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}), name=f"%(class)s_{name}_not_negative"
        )
        for name in fields
    ]


class LocalWorkflow(models.Model):
    """How a province runs its local-fund (KCĐP) projects: who approves them and which steps apply (TT 46/2012
    Art. 8.3b leaves the procedure to the province)."""

    province = models.OneToOneField(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    approver = models.CharField(
        _("approver of the local plan"),
        max_length=12,
        choices=LocalApprover.choices,
        default=LocalApprover.PROVINCIAL_CHAIRMAN,
    )
    base_appraisal = models.BooleanField(
        _("base-level appraisal by the Department"),
        default=True,
        help_text=_("Without it, the Department passes a submitted project straight to the plan step."),
    )
    contract_step = models.BooleanField(
        _("contract step"), default=True, help_text=_("Without it, an assigned project starts without a contract.")
    )
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"

    class Meta:
        verbose_name = _("local project workflow")
        verbose_name_plural = _("local project workflows")

    def __str__(self) -> str:
        return str(self.province)


class Project(models.Model):
    """A đề án khuyến công (or a task). Its place is the province (scope) and, when it has one, the commune."""

    code = models.CharField(_("code"), max_length=40, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=500)
    fund = models.CharField(_("fund"), max_length=4, choices=Fund.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NORMAL)
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    end_year = models.PositiveSmallIntegerField(
        _("last year"), help_text=_("The same as the plan year for a one-year project.")
    )
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("commune (location)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    contents = models.ManyToManyField(
        "policy.ActivityContent", verbose_name=_("khuyến công contents"), blank=True, related_name="+"
    )
    implementing_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("implementing organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    coordinating_orgs = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("coordinating organisations"), blank=True, related_name="+"
    )
    selection_method = models.CharField(
        _("selection method"), max_length=8, choices=SelectionMethod.choices, default=SelectionMethod.REVIEW
    )
    objectives = models.TextField(_("objectives"), blank=True)
    scale = models.TextField(_("scale and outstanding features"), blank=True)
    expected_effects = models.TextField(_("expected effects"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    #: The state an adjustment request returns to when it is decided.
    resume_status = models.CharField(max_length=20, choices=Status.choices, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    name_folded = models.CharField(max_length=500, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = AuditedManager()
    history = HistoricalRecords(m2m_fields=[contents, coordinating_orgs])

    scope_province_field = "province"
    scope_commune_field = "commune"

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-plan_year", "code"]
        indexes = [
            models.Index(fields=["province", "plan_year"], name="project_province_year"),
            models.Index(fields=["status", "plan_year"], name="project_status_year"),
            # what waits for whom (`workflow.waiting_for_q`): every branch names a status, a fund and maybe who
            # implements the project
            models.Index(fields=["status", "fund", "implementing_org"], name="project_status_fund_org"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("plan_year")), name="project_years_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}" if self.code else self.name

    @property
    def years_label(self) -> str:
        return str(self.plan_year) if self.end_year == self.plan_year else f"{self.plan_year}–{self.end_year}"


class Beneficiary(models.Model):
    """An establishment supported by the project, with its own support and counterpart amounts, and the figures
    of the post-support evaluation (before, one and two years after)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="beneficiaries", verbose_name=_("project")
    )
    establishment = models.ForeignKey(
        "establishments.Establishment", verbose_name=_("establishment"), on_delete=models.PROTECT, related_name="+"
    )
    support_item = models.ForeignKey(
        "policy.SupportItem",
        verbose_name=_("support item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    eligible_cost_vnd = models.BigIntegerField(_("eligible cost (VND)"), default=0)
    support_vnd = models.BigIntegerField(_("support (VND)"), default=0)
    counterpart_vnd = models.BigIntegerField(_("counterpart capital (VND)"), default=0)
    priority = models.BooleanField(_("priority case"), default=False)
    revenue_before_vnd = models.BigIntegerField(_("revenue before support (VND)"), null=True, blank=True)
    employees_before = models.PositiveIntegerField(_("employees before support"), null=True, blank=True)
    revenue_year1_vnd = models.BigIntegerField(_("revenue one year after (VND)"), null=True, blank=True)
    employees_year1 = models.PositiveIntegerField(_("employees one year after"), null=True, blank=True)
    revenue_year2_vnd = models.BigIntegerField(_("revenue two years after (VND)"), null=True, blank=True)
    employees_year2 = models.PositiveIntegerField(_("employees two years after"), null=True, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"
    scope_commune_field = "project__commune"

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "establishment"], name="beneficiary_unique"),
            *_non_negative(
                "eligible_cost_vnd",
                "support_vnd",
                "counterpart_vnd",
                "revenue_before_vnd",
                "revenue_year1_vnd",
                "revenue_year2_vnd",
            ),
        ]

    def __str__(self) -> str:
        return str(self.establishment)


class BudgetLine(models.Model):
    """One line of the budget estimate (Mẫu 1): an item and a source, planned, approved and settled."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    item = models.CharField(_("item"), max_length=255)
    source = models.CharField(_("source"), max_length=12, choices=BudgetSource.choices)
    planned_vnd = models.BigIntegerField(_("planned (VND)"), default=0)
    approved_vnd = models.BigIntegerField(_("approved (VND)"), null=True, blank=True)
    settled_vnd = models.BigIntegerField(_("settled (VND)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "position", "pk"]
        constraints = [*_non_negative("planned_vnd", "approved_vnd", "settled_vnd")]

    def __str__(self) -> str:
        return self.item


class Target(models.Model):
    """A target of the project for one indicator, and what was achieved."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets", verbose_name=_("project"))
    indicator = models.ForeignKey(
        "policy.Indicator", verbose_name=_("indicator"), to_field="code", db_column="indicator",
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    planned = models.PositiveIntegerField(_("planned"), default=0)
    achieved = models.PositiveIntegerField(_("achieved"), null=True, blank=True)
    achieved_on = models.DateField(
        _("achieved on"), null=True, blank=True, help_text=_("The day the value was achieved or accepted.")
    )

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["project", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "indicator"], name="target_unique")]
        # "As of" a date reads the values achieved in the date's own month from the targets themselves.
        indexes = [models.Index(fields=["achieved_on"], name="target_achieved_on")]

    def __str__(self) -> str:
        return str(self.indicator_id)


def document_path(instance: "Document", filename: str) -> str:
    return f"projects/{instance.project_id}/{timezone.now():%Y%m}/{instance.sha256[:16]}-{filename}"


class Document(models.Model):
    """A file attached to a project at one stage, checked by its content when uploaded."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 checksum"))
    stage = models.CharField(_("stage"), max_length=20, choices=Status.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["project", "-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Decision(models.Model):
    """A decision (or contract, or minutes) taken on the project: number, date and signer, attached to the
    transition it backs."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices)
    number = models.CharField(_("number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signer"), max_length=255)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    document = models.ForeignKey(
        Document, verbose_name=_("file"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["project", "signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class Transition(models.Model):
    """One step of the lifecycle: who moved the project from which state to which, when, why, on what decision,
    and whether it was late against the programme calendar."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("project")
    )
    name = models.CharField(_("step"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason or note"), blank=True)
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["project", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_status} → {self.to_status}"


class ProgressReport(models.Model):
    """The implementing unit's monthly progress report (the Mẫu 3b idea), confirmed by the Department."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("project")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    work_done = models.TextField(_("work done"))
    percent_done = models.PositiveSmallIntegerField(_("share of the work done (%)"), default=0)
    spent_khuyen_cong_vnd = models.BigIntegerField(_("spent from khuyến công funds (VND)"), default=0)
    spent_counterpart_vnd = models.BigIntegerField(_("spent from counterpart capital (VND)"), default=0)
    spent_other_vnd = models.BigIntegerField(_("spent from other sources (VND)"), default=0)
    issues = models.TextField(_("issues and proposals"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    late = models.BooleanField(_("late"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progressreport_unique"),
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="progressreport_percent_le_100"),
            *_non_negative("spent_khuyen_cong_vnd", "spent_counterpart_vnd", "spent_other_vnd"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%m/%Y}"


class Adjustment(models.Model):
    """A requested change to a project under way (điều chỉnh): what changes, before and after, and the decision."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("project")
    )
    scale = models.CharField(_("scale"), max_length=6, choices=AdjustmentScale.choices)
    changes = models.JSONField(_("changes"), default=dict, help_text=_("{field: {before, after}}"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("decision")
    )

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["project", "-requested_at"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_scale_display()}"

    def change_list(self) -> list[dict[str, Any]]:
        return [{"field": name, **values} for name, values in self.changes.items()]


# ---- running figures (derived; written in the same transaction as every change to a project) ------------------------


class FigureGroup(models.Model):
    """The projects of one province, plan year and fund, whose running figures below are recomputed together (the
    row is locked while they are, so two writers never interleave)."""

    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    plan_year = models.PositiveSmallIntegerField()
    fund = models.CharField(max_length=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "plan_year", "fund"], name="figuregroup_unique")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.plan_year} {self.fund}"


class _GroupTotal(models.Model):
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    plan_year = models.PositiveSmallIntegerField()
    fund = models.CharField(max_length=4)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.province_id} {self.plan_year} {self.fund}"


class StatusTotal(_GroupTotal):
    """Projects by status, and the revenue of their beneficiaries before support and one year after (where both are
    recorded)."""

    status = models.CharField(max_length=20)
    projects = models.PositiveIntegerField(default=0)
    revenue_before_vnd = models.BigIntegerField(default=0)
    revenue_after_vnd = models.BigIntegerField(default=0)
    revenue_evaluated = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["plan_year", "fund"], name="statustotal_year")]


class ContentTotal(_GroupTotal):
    """Projects by khuyến công content (a project with two contents counts under both)."""

    content = models.ForeignKey("policy.ActivityContent", on_delete=models.PROTECT, related_name="+")
    projects = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["plan_year", "fund"], name="contenttotal_year")]


class TargetTotal(_GroupTotal):
    """Targets planned and achieved by indicator, by the projects' main content (its id, 0 for none) and by the month
    the values were achieved (empty for targets not achieved yet), so outputs can be read "as of" a date."""

    indicator = models.CharField(max_length=40)
    content_key = models.PositiveIntegerField(default=0)
    month = models.DateField(null=True)
    planned = models.BigIntegerField(default=0)
    achieved = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["plan_year", "fund"], name="targettotal_year")]


class SupportedEstablishment(_GroupTotal):
    """The establishments a group's supporting projects benefit (counted distinct over any range of groups). An
    establishment merge re-points these rows like any other relation; a duplicate left by it counts once."""

    establishment = models.ForeignKey("establishments.Establishment", on_delete=models.CASCADE, related_name="+")

    class Meta:
        # In establishment order, so a distinct count over many years reads the index without sorting.
        indexes = [
            models.Index(fields=["establishment", "plan_year", "fund", "province"], name="supported_establishment")
        ]
