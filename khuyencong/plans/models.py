"""Programmes with their targets, annual plans in versions (approval and every adjustment, each tied to its
decision) with allocations and the projects included, money events on projects, and the running totals that keep
plan-versus-actual figures current in the same transaction as each event."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager
from khuyencong.policy.models import Fund
from khuyencong.projects.choices import BudgetSource

from .choices import MoneyKind, ProgrammeLevel, VersionKind


class Programme(models.Model):
    """A khuyến công programme: national (approved by the Prime Minister, since ND 235 by the Minister) or provincial
    (approved by the provincial chairman), usually five years."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=500)
    level = models.CharField(_("level"), max_length=10, choices=ProgrammeLevel.choices)
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    legal_document = models.ForeignKey(
        "policy.LegalDocument", verbose_name=_("approving decision"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision_number = models.CharField(
        _("decision number"), max_length=60, blank=True, help_text=_("A provincial programme's approving decision.")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    total_vnd = models.BigIntegerField(_("total funds (VND)"), null=True, blank=True)
    uncertain = models.BooleanField(_("to be verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "level", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="programme_years"),
            models.CheckConstraint(
                condition=Q(level="national", province__isnull=True) | Q(level="provincial", province__isnull=False),
                name="programme_level_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"


class ProgrammeTarget(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programme")
    )
    indicator = models.ForeignKey(
        "policy.Indicator", verbose_name=_("indicator"), to_field="code", db_column="indicator",
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("For a national target split by province: the province's share."),
    )  # fmt: skip
    fund = models.CharField(_("fund"), max_length=4, choices=Fund.choices, blank=True)
    value = models.BigIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "programme__province"

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        ordering = ["programme", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator", "fund"],
                condition=Q(province__isnull=True),
                name="programmetarget_unique",
            ),
            models.UniqueConstraint(
                fields=["programme", "indicator", "fund", "province"],
                condition=Q(province__isnull=False),
                name="programmetarget_unique_province",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="programmetarget_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class AnnualPlan(models.Model):
    """The plan of a fund for a year and an owner: the ministry (KCQG, province empty) or a province (KCĐP)."""

    fund = models.CharField(_("fund"), max_length=4, choices=Fund.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=500)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "fund", "province__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year"], condition=Q(province__isnull=True), name="annualplan_unique_national"
            ),
            models.UniqueConstraint(
                fields=["fund", "year", "province"], condition=Q(province__isnull=False), name="annualplan_unique_local"
            ),
            models.CheckConstraint(
                condition=Q(fund="kcqg", province__isnull=True) | Q(fund="kcdp", province__isnull=False),
                name="annualplan_fund_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """The approval of a plan or one of its adjustments: a decision (number, date, signer), in force from a date."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=VersionKind.choices)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signer"), max_length=255)
    effective_on = models.DateField(_("in force from"))
    total_vnd = models.BigIntegerField(_("total of the plan (VND)"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "plan__province"

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique"),
            models.CheckConstraint(condition=Q(total_vnd__gte=0), name="planversion_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.number} ({self.decision_number})"


class Allocation(models.Model):
    """Part of a plan version's funds for a province and/or a khuyến công content."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("plan version")
    )
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    content = models.ForeignKey(
        "policy.ActivityContent", verbose_name=_("content"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    amount_vnd = models.BigIntegerField(_("amount (VND)"))

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["version", "province", "content"]
        constraints = [
            # One row per (province, content) of a version, empty values included (four partial constraints: a
            # plain unique constraint lets NULLs repeat).
            models.UniqueConstraint(
                fields=["version", "province", "content"],
                name="allocation_unique_both",
                condition=Q(province__isnull=False, content__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["version", "province"],
                name="allocation_unique_province",
                condition=Q(province__isnull=False, content__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["version", "content"],
                name="allocation_unique_content",
                condition=Q(province__isnull=True, content__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["version"],
                name="allocation_unique_total",
                condition=Q(province__isnull=True, content__isnull=True),
            ),
            models.CheckConstraint(condition=Q(amount_vnd__gte=0), name="allocation_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.province or '—'} / {self.content or '—'}: {self.amount_vnd}"


class PlanItem(models.Model):
    """A project included in a plan version, with the khuyến công funds approved for it."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan version")
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("project")
    )
    approved_vnd = models.BigIntegerField(_("approved khuyến công funds (VND)"))

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "project__province"

    class Meta:
        verbose_name = _("project in a plan")
        verbose_name_plural = _("projects in a plan")
        ordering = ["version", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "project"], name="planitem_unique"),
            models.CheckConstraint(condition=Q(approved_vnd__gte=0), name="planitem_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.approved_vnd}"


class MoneyEvent(models.Model):
    """An advance, payment, refund, settlement or commitment of money on a project, by source. Where the project is
    (fund, province, plan year, main content) is copied on the event so totals never need the project."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="money_events", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MoneyKind.choices)
    source = models.CharField(_("source"), max_length=12, choices=BudgetSource.choices)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    occurred_on = models.DateField(_("date"))
    reference = models.CharField(_("voucher or document"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    fund = models.CharField(max_length=4, choices=Fund.choices, editable=False)
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", editable=False)
    plan_year = models.PositiveSmallIntegerField(editable=False)
    content = models.ForeignKey(
        "policy.ActivityContent", null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"

    class Meta:
        verbose_name = _("money event")
        verbose_name_plural = _("money events")
        ordering = ["project", "occurred_on", "pk"]
        indexes = [models.Index(fields=["occurred_on", "fund", "province"], name="moneyevent_date_fund_prov")]
        constraints = [models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="moneyevent_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_vnd} ({self.occurred_on:%d/%m/%Y})"


class MoneyTotal(models.Model):
    """Running totals of money events by fund, province, plan year, content, month, source and kind, written in
    the same transaction as each event (so they are never stale). Not a domain record: derived, and rebuilt from
    the events by `totals_rebuild()`."""

    fund = models.CharField(max_length=4)
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    plan_year = models.PositiveSmallIntegerField()
    #: The event's content id, 0 when the project has none (a key, so never NULL).
    content_key = models.PositiveIntegerField(default=0)
    month = models.DateField()
    source = models.CharField(max_length=12)
    kind = models.CharField(max_length=12)
    amount_vnd = models.BigIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "province", "plan_year", "content_key", "month", "source", "kind"],
                name="moneytotal_unique",
            )
        ]
        indexes = [models.Index(fields=["month", "fund"], name="moneytotal_month_fund")]

    def __str__(self) -> str:
        return f"{self.fund} {self.province_id} {self.plan_year} {self.month:%m/%Y} {self.source} {self.kind}"


class MoneyYearTotal(models.Model):
    """The same running totals by calendar year of the events (a year's figures are read from here, the current
    year's months from `MoneyTotal`): a few rows per province and plan year, so a 20-year national figure sums
    thousands of rows, not hundreds of thousands. Written in the same transaction as each event."""

    fund = models.CharField(max_length=4)
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    plan_year = models.PositiveSmallIntegerField()
    content_key = models.PositiveIntegerField(default=0)
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=12)
    kind = models.CharField(max_length=12)
    amount_vnd = models.BigIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "province", "plan_year", "content_key", "year", "source", "kind"],
                name="moneyyeartotal_unique",
            )
        ]
        indexes = [models.Index(fields=["year", "plan_year"], name="moneyyeartotal_year")]

    def __str__(self) -> str:
        return f"{self.fund} {self.province_id} {self.plan_year} {self.year} {self.source} {self.kind}"


class PlanItemTotal(models.Model):
    """The approved funds of a plan version's projects by province and main content, kept in the same transaction
    as the plan's items (derived; rebuilt by `totals_rebuild()`)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="item_totals")
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    content_key = models.PositiveIntegerField(default=0)
    amount_vnd = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "province", "content_key"], name="planitemtotal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.province_id} {self.content_key}: {self.amount_vnd}"
