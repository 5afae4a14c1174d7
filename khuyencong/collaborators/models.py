"""Collaborators (cộng tác viên khuyến công) and the communes they cover; report forms as data, in versions; the
submissions of each form for a commune and a period, with their review; survey campaigns and their responses."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager

from .choices import CollaboratorStatus, PeriodType, ReviewAction, SubmissionStatus


class Collaborator(models.Model):
    """A khuyến công collaborator appointed by decision, with the communes they cover and, when they log in, their
    user (collaborator role, scoped to those communes)."""

    full_name = models.CharField(_("full name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("managing organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborator",
    )
    decision_number = models.CharField(_("appointing decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    decision_signer = models.CharField(_("signed by"), max_length=200)
    remuneration = models.CharField(
        _("remuneration basis"), max_length=300, blank=True, help_text=_("The provincial decision that sets the pay.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CollaboratorStatus.choices, default=CollaboratorStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"

    class Meta:
        verbose_name = _("collaborator")
        verbose_name_plural = _("collaborators")
        ordering = ["province", "name_folded"]

    def __str__(self) -> str:
        return self.full_name


class Coverage(models.Model):
    """A commune a collaborator covers, from a date and (when it ended) to a date."""

    collaborator = models.ForeignKey(
        Collaborator, on_delete=models.CASCADE, related_name="coverages", verbose_name=_("collaborator")
    )
    commune = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "collaborator__province"
    scope_commune_field = "commune"

    class Meta:
        verbose_name = _("commune covered")
        verbose_name_plural = _("communes covered")
        ordering = ["collaborator", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="coverage_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["commune", "valid_from"], name="coverage_commune")]

    def __str__(self) -> str:
        return f"{self.collaborator_id} → {self.commune_id}"


class ReportForm(models.Model):
    """A periodic report (or survey) form: what it is called, how often it is due and when."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    period_type = models.CharField(_("period"), max_length=12, choices=PeriodType.choices)
    due_days = models.PositiveSmallIntegerField(
        _("due (days after the period)"), default=10, help_text=_("The report is due this many days after the period.")
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"), default=5, help_text=_("A report received within these days after the due date is on time.")
    )
    is_periodic = models.BooleanField(
        _("periodic report"), default=True, help_text=_("Expected from every covered commune (a survey form is not).")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FormVersion(models.Model):
    """One version of a form's fields and rules (see `engine.py` for their shape). A published version is never
    changed: a change is a new version, and open drafts are reconciled with it."""

    form = models.ForeignKey(
        ReportForm, on_delete=models.CASCADE, related_name="versions", verbose_name=_("report form")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    fields = models.JSONField(_("fields"), default=list)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="formversion_unique")]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"


class Submission(models.Model):
    """A form's report for one commune and period: a draft saved as it is typed, then submitted, returned with a
    comment or accepted, and approved by the province (which locks it until an approver reopens it)."""

    form = models.ForeignKey(
        ReportForm, verbose_name=_("report form"), on_delete=models.PROTECT, related_name="submissions"
    )
    form_version = models.ForeignKey(
        FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period"))
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    values = models.JSONField(_("values"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    saved_at = models.DateTimeField(_("last saved"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    first_submitted_at = models.DateTimeField(_("first received"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True)
    submit_key = models.CharField(_("submission key"), max_length=64, blank=True, editable=False)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"
    scope_commune_field = "commune"

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "commune"]
        constraints = [
            models.UniqueConstraint(fields=["form", "commune", "period_start"], name="submission_unique"),
        ]
        indexes = [
            models.Index(fields=["form", "period_start", "province"], name="submission_period"),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.commune_id} {self.period_start:%m/%Y}"

    @property
    def period_label(self) -> str:
        """The period in the words of the collaborator's pages: "Quý 3/2026", "Năm 2026"."""
        from .periods import period_label

        return period_label(self.form.period_type, self.period_start)

    @property
    def is_locked(self) -> bool:
        return self.status == SubmissionStatus.APPROVED


class Review(models.Model):
    """One step of a report's review: submitted, returned (with the comment), accepted, approved, reopened (with
    the reason)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("report")
    )
    action = models.CharField(_("step"), max_length=10, choices=ReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("done by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "submission__province"

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.action}"


class Reminder(models.Model):
    """A reminder sent about an overdue report (one per commune, form and period and day), so the daily command
    never sends the same one twice."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    collaborator = models.ForeignKey(Collaborator, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField(default=timezone.localdate)
    by_email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form", "commune", "period_start", "collaborator", "sent_on"], name="reminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.commune_id} {self.period_start} {self.sent_on}"


class ReportingTotal(models.Model):
    """Reports received, received on time and approved per form, province and period, written in the same
    transaction as the submission and the approval (derived: rebuilt from the submissions by
    `services.reporting_totals_rebuild()`), so national completeness reads a few thousand rows."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    received = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "province", "period_start"], name="reportingtotal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.province_id} {self.period_start}: {self.received}"


class SurveyCampaign(models.Model):
    """A survey of establishments: a (non-periodic) form, the communes surveyed, the dates it is open and the year
    its figures are for; the collaborators covering those communes answer it."""

    title = models.CharField(_("title"), max_length=300)
    form = models.ForeignKey(ReportForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="campaigns")
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    communes = models.ManyToManyField("geography.AdminUnit", verbose_name=_("communes"), related_name="+")
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    year = models.PositiveSmallIntegerField(_("year of the figures"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = AuditedManager()
    history = HistoricalRecords(m2m_fields=[communes])

    scope_province_field = "province"

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-opens_on", "title"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: Any) -> bool:
        return self.opens_on <= on <= self.closes_on


class SurveyResponse(models.Model):
    """One establishment's answers in a campaign: tied to an establishment of the registry, or proposing a new one;
    accepted by the province (which writes the registry through its own services) or rejected with a reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    campaign = models.ForeignKey(
        SurveyCampaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    commune = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "geography.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    collaborator = models.ForeignKey(
        Collaborator, on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("collaborator")
    )
    establishment = models.ForeignKey(
        "establishments.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed = models.JSONField(_("proposed establishment"), default=dict, blank=True)
    values = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note of the province"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    scope_province_field = "province"
    scope_commune_field = "commune"

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["campaign", "commune", "pk"]
        constraints = [
            # One response per establishment of the registry in a survey, unless the province rejected it (the
            # service says so in words; this holds whatever reaches the database, two phones at once included).
            models.UniqueConstraint(
                fields=["campaign", "establishment"],
                condition=Q(establishment__isnull=False) & ~Q(status="rejected"),
                name="survey_one_live_response",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.establishment_id or self.proposed.get('name', '')}"

    @classmethod
    def before_establishment_merge(cls, rows: list["SurveyResponse"], survivor: Any, *, user: Any) -> None:
        """Called by the registry's merge before `rows` (the merged-away establishment's responses) are re-pointed
        to `survivor`: a response of a survey in which the survivor already has one is set aside (rejected, with
        the reason), so that the two records of one establishment can be merged and each survey keeps one."""
        from django.utils.translation import gettext

        from khuyencong.core.history import attribute

        for row in rows:
            if row.status == cls.Status.REJECTED:
                continue
            kept = (
                cls.objects.filter(campaign_id=row.campaign_id, establishment=survivor)
                .exclude(status=cls.Status.REJECTED)
                .values_list("pk", flat=True)
                .first()
            )
            if kept is None:
                continue
            row.status = cls.Status.REJECTED
            note = gettext("Set aside when its establishment was merged into #%(survivor)s (response #%(kept)s kept).")
            row.note = (row.note + "\n" if row.note else "") + note % {"survivor": survivor.pk, "kept": kept}
            attribute(row, user=user, reason=gettext("Merge"))
            row.save(update_fields=["status", "note"])
