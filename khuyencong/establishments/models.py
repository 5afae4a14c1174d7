"""The registry of rural industrial establishments (cơ sở công nghiệp nông thôn), their yearly figures, craft
villages, likely duplicates, users' saved filters, and import/export jobs."""

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager

from .choices import DuplicateStatus, Gender, LegalForm, Source, Status, VillageKind


class CraftVillage(models.Model):
    """A craft village (làng nghề) recognised by the provincial People's Committee."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=VillageKind.choices, default=VillageKind.CRAFT_VILLAGE)
    craft = models.CharField(_("craft"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    recognition_decision = models.CharField(_("recognition decision"), max_length=100, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"
    scope_commune_field = "commune"

    class Meta:
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")
        ordering = ["name_folded"]

    def __str__(self) -> str:
        return self.name


class Establishment(models.Model):
    """A rural industrial establishment. Its place is kept twice: the commune recorded at the time (which may be a
    unit from before 1/7/2025) and the current commune it belongs to today (used for scope and statistics)."""

    name = models.CharField(_("name"), max_length=255)
    legal_form = models.CharField(_("legal form"), max_length=16, choices=LegalForm.choices)
    tax_code = models.CharField(
        _("tax code / registration number"),
        max_length=30,
        null=True,
        blank=True,
        help_text=_("Enterprises and cooperatives: 10 digits, or 10 digits-3 digits for a branch."),
    )
    owner_name = models.CharField(_("owner or legal representative"), max_length=255, blank=True)
    owner_gender = models.CharField(_("owner's gender"), max_length=8, choices=Gender.choices, blank=True)
    owner_ethnic_minority = models.BooleanField(_("owner belongs to an ethnic minority"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune_recorded = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("commune as recorded"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune at the time of the record; may be a unit from before 01/07/2025."),
    )
    # The composite indexes below start with these fields, so their own single-column indexes would be redundant.
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("current commune"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        db_index=False,
        verbose_name=_("craft village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="establishments",
    )
    main_industry = models.ForeignKey(
        "policy.Industry",
        db_index=False,
        verbose_name=_("main industry (VSIC)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_industries = models.ManyToManyField(
        "policy.Industry", verbose_name=_("other industries (VSIC)"), blank=True, related_name="+"
    )
    eligible_group = models.ForeignKey(
        "policy.EligibleIndustryGroup",
        verbose_name=_("khuyến công industry group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    main_products = models.TextField(_("main products"), blank=True)
    employees_total = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    employees_female = models.PositiveIntegerField(_("female employees"), null=True, blank=True)
    employees_ethnic_minority = models.PositiveIntegerField(_("ethnic-minority employees"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=14, choices=Source.choices, default=Source.REGISTRATION)
    import_key = models.CharField(
        _("import id"), max_length=64, null=True, blank=True, help_text=_("The row's id in the file it came from.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(8), MaxValueValidator(24)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(102), MaxValueValidator(118)],
    )
    # Derived keys: sort in Vietnamese order and search without diacritics (see core.text.fold).
    name_folded = models.CharField(max_length=255, editable=False)
    owner_folded = models.CharField(max_length=255, editable=False, blank=True)
    phone_digits = models.CharField(max_length=30, editable=False, blank=True)
    search_folded = models.TextField(editable=False, default="")
    # Optimistic locking: a save carries the version it started from; a stale one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditedManager()
    history = HistoricalRecords(
        excluded_fields=["search_folded", "name_folded", "owner_folded", "phone_digits", "updated_at"],
        # History is read per establishment (by id), never by place or industry: no indexes on those columns.
        no_db_index=["commune_recorded", "commune", "province", "craft_village", "main_industry", "eligible_group"],
    )

    scope_province_field = "province"
    scope_commune_field = "commune"
    scope_establishment_field = "pk"

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["name_folded", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=Q(tax_code__isnull=False), name="establishment_unique_tax_code"
            ),
            models.UniqueConstraint(
                fields=["import_key"], condition=Q(import_key__isnull=False), name="establishment_unique_import_key"
            ),
            models.CheckConstraint(
                condition=Q(employees_female__isnull=True)
                | Q(employees_total__isnull=True)
                | Q(employees_female__lte=models.F("employees_total")),
                name="establishment_female_within_total",
            ),
            models.CheckConstraint(
                condition=Q(employees_ethnic_minority__isnull=True)
                | Q(employees_total__isnull=True)
                | Q(employees_ethnic_minority__lte=models.F("employees_total")),
                name="establishment_minority_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["name_folded", "id"], name="est_name"),
            models.Index(fields=["province", "name_folded", "id"], name="est_province_name"),
            # The list's common filters inside a province: count and first page from the index alone.
            models.Index(fields=["province", "legal_form", "status", "name_folded"], name="est_province_form"),
            models.Index(fields=["province", "status", "name_folded"], name="est_province_status"),
            models.Index(fields=["commune", "name_folded", "id"], name="est_commune_name"),
            models.Index(fields=["main_industry", "name_folded"], name="est_industry_name"),
            models.Index(fields=["legal_form", "name_folded"], name="est_form_name"),
            models.Index(fields=["status", "name_folded"], name="est_status_name"),
            models.Index(fields=["craft_village"], name="est_village"),
            models.Index(fields=["employees_total"], name="est_employees"),
            models.Index(fields=["phone_digits"], name="est_phone"),
            models.Index(fields=["province", "owner_folded"], name="est_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    # Labels of the list and the API: get_FOO_display() rebuilds a dict of every choice at each call.
    @property
    def legal_form_label(self) -> Any:
        try:
            return LegalForm(self.legal_form).label
        except ValueError:
            return self.legal_form

    @property
    def status_label(self) -> Any:
        try:
            return Status(self.status).label
        except ValueError:
            return self.status


class EstablishmentYear(models.Model):
    """An establishment's figures for one year: the base of "before and after support" comparisons."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="years", verbose_name=_("establishment")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    revenue_vnd = models.BigIntegerField(_("revenue (VND)"), null=True, blank=True)
    production_value_vnd = models.BigIntegerField(_("production value (VND)"), null=True, blank=True)
    export_value_vnd = models.BigIntegerField(_("export value (VND)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    capacity = models.CharField(_("capacity"), max_length=255, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "establishment__province"
    scope_commune_field = "establishment__commune"
    scope_establishment_field = "establishment"

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["establishment", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "year"], name="establishmentyear_unique"),
            models.CheckConstraint(
                condition=Q(revenue_vnd__gte=0) | Q(revenue_vnd__isnull=True), name="establishmentyear_revenue_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} – {self.year}"


class DuplicateFlag(models.Model):
    """Two establishments that look like the same one, with a score, for a person to confirm or dismiss."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="duplicate_flags", verbose_name=_("establishment")
    )
    other = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="+", verbose_name=_("possible duplicate")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.CharField(_("reasons"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    objects = AuditedManager()
    history = HistoricalRecords()

    # A pair is someone's to decide only when both records are theirs: a pair across two provinces goes to the
    # ministry, and neither province sees the other's record through it.
    scope_province_field = ("establishment__province", "other__province")
    scope_commune_field = ("establishment__commune", "other__commune")

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "other"], name="duplicateflag_unique_pair"),
            models.CheckConstraint(condition=~Q(establishment=models.F("other")), name="duplicateflag_two_records"),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} ≈ {self.other} ({self.score})"


class Representative(models.Model):
    """An account that represents an establishment (its owner or manager, role `establishment_rep`): that user
    sees this establishment, its figures and the support it received, and nothing else. Linked by an officer of
    the establishment's area."""

    establishment = models.ForeignKey(
        Establishment, verbose_name=_("establishment"), on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="represented"
    )
    added_at = models.DateTimeField(_("linked"), default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "establishment__province"
    scope_commune_field = "establishment__commune"
    scope_establishment_field = "establishment"

    class Meta:
        verbose_name = _("representative account")
        verbose_name_plural = _("representative accounts")
        ordering = ["establishment", "user__username"]
        constraints = [models.UniqueConstraint(fields=["establishment", "user"], name="representative_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.establishment}"


class SavedFilter(models.Model):
    """A user's named set of list filters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=2000)

    objects = AuditedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name")]

    def __str__(self) -> str:
        return self.name


def _job_path(instance: "ExportJob | ImportBatch", filename: str) -> str:
    return f"jobs/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ExportJob(models.Model):
    """An export run in the background (large lists), with its progress and the file when done."""

    class JobStatus(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=2000, blank=True)
    file_format = models.CharField(max_length=4)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_job_path, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Job bookkeeping, not a domain record: its progress counter is written many times a second. The changes an
    # export or import makes to establishments are in their own history.
    objects = models.Manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_format} {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.JobStatus.DONE else int(self.done * 100 / self.total) if self.total else 0


class ImportBatch(models.Model):
    """One uploaded file: its dry-run report, then its commit."""

    class BatchStatus(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        COMMITTING = "committing", _("Saving")
        COMMITTED = "committed", _("Saved")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_job_path)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(max_length=12, choices=BatchStatus.choices, default=BatchStatus.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    report = models.JSONField(default=list)
    error = models.TextField(blank=True)
    #: how the file was read, when the user should know (e.g. a CSV read as Windows-1258)
    notice = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: the last sign of life of the check or the save; a batch left "checking" or "saving" long after it is given up
    progress_at = models.DateTimeField(default=timezone.now)
    #: the background task that checks or saves it, when there is one
    task_id = models.CharField(max_length=64, blank=True)
    #: {row number: "update" | "skip" | "new"} for the rows whose tax code belongs to another-looking establishment
    decisions = models.JSONField(default=dict, blank=True)

    objects = models.Manager()  # job bookkeeping, like ExportJob

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
