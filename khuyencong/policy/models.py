"""Khuyến công policy as dated data: the industry classification (VSIC 2018, manufacturing and processing), the
eligible-industry groups, the legal documents, the activity contents, support ceilings, area classes, beneficiary
rules, the programme calendar and the advance rules. Every rule cites its legal document and has validity dates; a
value nobody has verified is flagged, and one nobody knows is left empty."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager, AuditedQuerySet


class EligibleIndustryGroup(models.Model):
    """A group of industries eligible for khuyến công support (ND 45/2012 Art. 5.1, widened by ND 235/2025)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    uncertain = models.BooleanField(_("to be verified"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("eligible industry group")
        verbose_name_plural = _("eligible industry groups")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """An industry of the Vietnamese standard industrial classification (VSIC 2018, QĐ 27/2018/QĐ-TTg)."""

    code = models.CharField(_("VSIC code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent industry"),
    )
    eligible_group = models.ForeignKey(
        EligibleIndustryGroup,
        verbose_name=_("eligible-industry group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="industries",
        help_text=_("The group suggested for an establishment whose main industry this is."),
    )
    name_folded = models.CharField(max_length=255, editable=False)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(level__gte=2, level__lte=5), name="industry_level_range")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


# ---- legal documents and the rules that cite them --------------------------------------------------------------------


class Fund(models.TextChoices):
    KCQG = "kcqg", _("National fund (KCQG)")
    KCDP = "kcdp", _("Local fund (KCĐP)")


class LegalDocument(models.Model):
    """A legal text the rules cite: its number, dates and what it amends or replaces."""

    class Kind(models.TextChoices):
        LAW = "luat", _("Law")
        DECREE = "nghi_dinh", _("Decree")
        PM_DECISION = "qd_ttg", _("Prime Minister's decision")
        MINISTRY_DECISION = "qd_bct", _("Ministry of Industry and Trade decision")
        CIRCULAR = "thong_tu", _("Circular")
        JOINT_CIRCULAR = "ttlt", _("Joint circular")
        DIRECTIVE = "chi_thi", _("Directive")
        RESOLUTION = "nghi_quyet", _("Resolution")
        PROVINCIAL_DECISION = "qd_ubnd", _("Provincial People's Committee decision")
        OTHER = "khac", _("Other")

    number = models.CharField(_("number"), max_length=60, unique=True, help_text=_("e.g. 45/2012/NĐ-CP"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issuer"), max_length=200)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    amends = models.ManyToManyField(
        "self", verbose_name=_("amends"), symmetrical=False, blank=True, related_name="amended_by"
    )
    replaces = models.ManyToManyField(
        "self", verbose_name=_("replaces"), symmetrical=False, blank=True, related_name="replaced_by"
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    uncertain = models.BooleanField(_("to be verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False, m2m_fields=[amends, replaces])

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["-signed_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="legal_document_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class DatedQuerySet(AuditedQuerySet):
    def valid_on(self, date: datetime.date) -> "DatedQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=date)
        )


class DatedManager(AuditedManager.from_queryset(DatedQuerySet)):  # type: ignore[misc]
    """Audited (no update() outside the history helpers), with `valid_on(date)`."""


class Dated(models.Model):
    """Validity dates (inclusive; empty means open), a legal basis and a "to be verified" flag."""

    legal_document = models.ForeignKey(
        LegalDocument, verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="+"
    )
    provision = models.CharField(_("article, clause"), max_length=120, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    uncertain = models.BooleanField(_("to be verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = DatedManager()

    class Meta:
        abstract = True

    def period(self) -> tuple[datetime.date | None, datetime.date | None, bool]:
        """(start, end, start is only the signing date): the rule's own dates, else its legal document's; when the
        document's effective date is not recorded, its signing date stands in for it (and says so)."""
        document = self.legal_document
        start = self.valid_from or document.effective_from
        approximate = start is None and document.signed_on is not None
        return start or document.signed_on, self.valid_to or document.effective_to, approximate

    def basis(self) -> str:
        """The legal basis as a sentence cites it: "Thông tư 28/2018/TT-BTC, Điều 6"."""
        text = f"{self.legal_document.get_kind_display()} {self.legal_document.number}"
        return f"{text}, {self.provision}" if self.provision else text


class ActivityContent(Dated):
    """A khuyến công activity content (ND 45/2012 Art. 4; the 2025 wording is a new version with its own dates)."""

    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("activity content")
        verbose_name_plural = _("activity contents")
        ordering = ["code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="content_code_version")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class AreaClass(models.TextChoices):
    NORMAL = "normal", _("Normal area")
    DIFFICULT = "difficult", _("Difficult area")
    ESPECIALLY_DIFFICULT = "especially_difficult", _("Especially difficult area")
    PRIORITY = "priority", _("Priority area")


class SupportUnit(models.TextChoices):
    MODEL = "model", _("per model")
    ESTABLISHMENT = "establishment", _("per establishment")
    ENTERPRISE = "enterprise", _("per enterprise")
    BRAND = "brand", _("per brand")
    CLUSTER = "cluster", _("per cluster")
    INDUSTRIAL_CLUSTER = "ccn", _("per industrial cluster (CCN)")
    ROUND = "round", _("per round")
    PRODUCT = "product", _("per product")
    ASSOCIATION = "association", _("per association")
    PROJECT = "project", _("per project")


class SupportItem(models.Model):
    """An item of the support-level tables (TTLT 26/2014 Art. 6.2 lettering: a, b1, c…), under one content."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=500)
    content_code = models.CharField(
        _("activity content"), max_length=12, help_text=_("Code of the activity content it belongs to (e.g. 4.3).")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("support item")
        verbose_name_plural = _("support items")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SupportRule(Dated):
    """A support ceiling: at most `max_percent` of the eligible cost and at most `max_amount_vnd` per unit, times the
    priority multiplier for priority areas and industries. An empty value is not known (never guessed)."""

    fund = models.CharField(_("fund"), max_length=4, choices=Fund.choices)
    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a local fund: the province whose rule this is."),
    )
    item = models.ForeignKey(
        SupportItem, verbose_name=_("support item"), on_delete=models.PROTECT, related_name="rules"
    )
    area_class = models.CharField(_("area class"), max_length=24, choices=AreaClass.choices, default=AreaClass.NORMAL)
    max_percent = models.DecimalField(
        _("maximum percent of the cost"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_amount_vnd = models.BigIntegerField(
        _("maximum amount (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=16, choices=SupportUnit.choices, default=SupportUnit.PROJECT)
    priority_multiplier = models.DecimalField(
        _("priority multiplier"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("support rule")
        verbose_name_plural = _("support rules")
        ordering = ["item__sort_order", "fund", "valid_from"]
        indexes = [models.Index(fields=["item", "fund", "valid_from"], name="support_rule_lookup")]

    def __str__(self) -> str:
        return f"{self.item.code} · {self.get_fund_display()} · {self.basis()}"


class AreaClassification(Dated):
    """A commune (or a former district) classed as a difficult, priority… area from a date, by a legal text."""

    class Kind(models.TextChoices):
        DIFFICULT = "difficult", _("Difficult socio-economic conditions")
        ESPECIALLY_DIFFICULT = "especially_difficult", _("Especially difficult socio-economic conditions")
        HIGHLAND = "highland", _("Highland")
        BORDER = "border", _("Land border")
        ISLAND = "island", _("Island")
        ETHNIC_MINORITY = "ethnic_minority", _("Ethnic-minority area")
        POOR_DISTRICT = "poor_district", _("Poor district")
        NEW_RURAL = "ntm_commune", _("New rural development commune")

    unit = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("class"), max_length=24, choices=Kind.choices)

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("area classification")
        verbose_name_plural = _("area classifications")
        ordering = ["unit__code", "kind", "valid_from"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class BeneficiaryRule(Dated):
    """Who and where may be supported in a period: the legal forms admitted and the location rule's version."""

    class Location(models.TextChoices):
        RULE_2012 = (
            "2012",
            _(
                "Districts, towns, communes, and wards of grade-2 or grade-3 cities (or of grade-1 cities converted "
                "from a commune within five years)"
            ),
        )
        RULE_2025 = (
            "2025",
            _(
                "Communes, wards and special zones of provinces; communes and special zones of centrally-run cities; "
                "recognised craft villages"
            ),
        )

    location_rule = models.CharField(_("location rule"), max_length=4, choices=Location.choices)
    legal_forms = models.JSONField(_("legal forms admitted"), default=list)

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("beneficiary rule")
        verbose_name_plural = _("beneficiary rules")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.get_location_rule_display()} ({self.basis()})"


class CalendarDeadline(Dated):
    """A date of the programme calendar: day and month, in the plan year shifted by `year_offset`."""

    class Step(models.TextChoices):
        SUBMIT_TO_DEPARTMENT = "submit_department", _("Submit the project to the Department of Industry and Trade")
        REGISTER_WITH_MINISTRY = "register_ministry", _("Register the projects with the ministry's agency")
        PROGRESS_REPORT = "progress_report", _("Monthly progress report")
        SETTLEMENT = "settlement", _("Liquidation and settlement")

    fund = models.CharField(_("fund"), max_length=4, choices=Fund.choices)
    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step = models.CharField(_("step"), max_length=24, choices=Step.choices)
    day = models.PositiveSmallIntegerField(_("day"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    month = models.PositiveSmallIntegerField(
        _("month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Empty for a monthly deadline."),
    )
    year_offset = models.SmallIntegerField(
        _("year relative to the plan year"), default=0, validators=[MinValueValidator(-2), MaxValueValidator(2)]
    )

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("calendar deadline")
        verbose_name_plural = _("calendar deadlines")
        ordering = ["fund", "step", "valid_from"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.day:02d}/{self.month:02d}" if self.month else self.get_step_display()

    def date_for(self, plan_year: int) -> datetime.date | None:
        """The deadline of the plan year (None for a monthly deadline)."""
        if not self.month:
            return None
        return datetime.date(plan_year + self.year_offset, self.month, self.day)


class AdvanceRule(Dated):
    """How much of the khuyến công support may be advanced, and when (TT 36/2013 Art. 13 in its time)."""

    fund = models.CharField(_("fund"), max_length=4, choices=Fund.choices)
    items = models.ManyToManyField(
        SupportItem,
        verbose_name=_("support items"),
        blank=True,
        help_text=_("Empty: every item without a rule of its own."),
    )
    max_percent = models.DecimalField(
        _("maximum advance (percent of the support)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    condition = models.CharField(_("condition"), max_length=300, blank=True)

    history = HistoricalRecords(user_db_constraint=False, m2m_fields=[items])

    class Meta:
        verbose_name = _("advance rule")
        verbose_name_plural = _("advance rules")
        ordering = ["fund", "valid_from", "max_percent"]

    def __str__(self) -> str:
        return f"{self.get_fund_display()} ≤ {self.max_percent} % ({self.basis()})"


class EnterpriseSizeLimit(Dated):
    """The most employees an enterprise of a size may have in industry and construction (ND 80/2021/NĐ-CP Art. 5:
    average employees with social insurance in the year). The registry import warns, and keeps the row, when a
    record's legal form says a size its employees exceed."""

    legal_form = models.CharField(
        _("legal form"), max_length=20, help_text=_("The establishment's legal form code, e.g. dn_nho.")
    )
    max_employees = models.PositiveIntegerField(_("most employees"))

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("enterprise size limit")
        verbose_name_plural = _("enterprise size limits")
        ordering = ["legal_form", "valid_from"]

    def __str__(self) -> str:
        return f"{self.legal_form} ≤ {self.max_employees} ({self.basis()})"


class IndicatorUnit(models.TextChoices):
    PERSON = "person", _("people")
    CLASS = "class", _("classes or courses")
    MODEL = "model", _("models")
    MACHINE = "machine", _("machines")
    LINE = "line", _("technology lines")
    SYSTEM = "system", _("systems")
    FAIR = "fair", _("fairs or exhibitions")
    BOOTH = "booth", _("booths")
    SHOWROOM = "showroom", _("showrooms")
    BRAND = "brand", _("brands or trademarks")
    ENTERPRISE = "enterprise", _("enterprises")
    CLUSTER = "cluster", _("industrial clusters")
    PROGRAMME = "programme", _("programmes")
    ARTICLE = "article", _("articles")
    ISSUE = "issue", _("issues")
    PAGE = "page", _("web pages or sections")
    ENGAGEMENT = "engagement", _("engagements")
    ASSESSMENT = "assessment", _("assessments")
    ESTABLISHMENT = "establishment", _("establishments")
    JOB = "job", _("jobs")
    PERCENT = "percent", _("percent")
    VND = "vnd", _("đồng")


class Indicator(Dated):
    """What a project, a programme or a report counts (an output or an outcome), with its unit and the activity
    contents and support items it belongs to. A computed indicator is not entered on a project: the figures derive
    it (establishments supported from the beneficiaries, revenue change from their revenue, funds from the money)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=IndicatorUnit.choices)
    group = models.CharField(
        _("group"), max_length=120, blank=True, help_text=_("Indicators shown together, e.g. the courses by topic.")
    )
    content_codes = models.JSONField(
        _("activity contents"),
        default=list,
        blank=True,
        help_text=_('Codes of the contents it belongs to (e.g. ["4.1"]); empty: every content.'),
    )
    support_items = models.ManyToManyField(
        SupportItem, verbose_name=_("support items"), blank=True, related_name="indicators"
    )
    computed = models.BooleanField(
        _("computed"), default=False, help_text=_("Derived by the figures, not entered on a project.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(user_db_constraint=False, m2m_fields=[support_items])

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def belongs_to(self, content_codes: set[str]) -> bool:
        """Whether a project of these contents may count it (an indicator of every content always may)."""
        return not self.content_codes or bool(set(self.content_codes) & content_codes)
