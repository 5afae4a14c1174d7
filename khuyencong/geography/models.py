"""Administrative units with their history: the 63/696/10,051 units before 1/7/2025 and the 34/3,321 after it,
the succession between them, dated changes of a unit's type, and regions as dated memberships."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager

from .choices import TYPE_PREFIX, RegionKind, UnitLevel, UnitType

REORGANISATION_DATE = datetime.date(2025, 7, 1)


class AdminUnit(models.Model):
    """One administrative unit as it existed over a period. Pre-2025 and current units are separate rows even when
    they share a code or a name; `AdminUnitSuccession` links them."""

    code = models.CharField(_("official code"), max_length=5, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(_("full name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    unit_type = models.CharField(_("type"), max_length=16, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The province-level unit this unit belongs to (itself for a province): scoping is then one indexed filter.
    province = models.ForeignKey(
        "self", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Empty: before our records."))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: still in force."))
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    path_folded = models.CharField(max_length=400, editable=False, help_text="Folded names of the unit and parents.")

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="adminunit_unique_code_period"),
            models.UniqueConstraint(
                fields=["level", "code"], condition=Q(valid_from__isnull=True), name="adminunit_unique_code_open_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_period",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "valid_to"], name="adminunit_level_current"),
            models.Index(fields=["province", "level"], name="adminunit_province_level"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def is_valid_on(self, date: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_to is None or date <= self.valid_to)

    @property
    def type_prefix(self) -> str:
        return TYPE_PREFIX[UnitType(self.unit_type)]


class AdminUnitTypePeriod(models.Model):
    """A unit's type and full name over a period, where they changed during the unit's life (Huế became a
    centrally-run city on 1/1/2025; Đồng Nai, Quảng Ninh and Bắc Ninh in 2026). Outside these periods the unit's own
    `unit_type` applies."""

    unit = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="type_periods", verbose_name=_("administrative unit")
    )
    unit_type = models.CharField(_("type"), max_length=16, choices=UnitType.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    uncertain = models.BooleanField(
        _("to be verified"),
        default=False,
        help_text=_("The date or legal basis has not been checked against the text."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("unit type period")
        verbose_name_plural = _("unit type periods")
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.valid_from or '…'} – {self.valid_to or '…'})"


class AdminUnitSuccession(models.Model):
    """Old unit → new unit on a date. A commune split between several new communes has several rows; the one
    marked primary is used when a single current unit is needed."""

    predecessor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("predecessor unit")
    )
    successor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="predecessions", verbose_name=_("successor unit")
    )
    effective_on = models.DateField(_("effective on"))
    is_primary = models.BooleanField(_("primary successor"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["predecessor", "-is_primary", "successor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(is_primary=True), name="succession_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Region(models.Model):
    """A region grouping provinces: the six socio-economic regions or the three khuyến công regions used for the
    typical-product selection."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    name = models.CharField(_("name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["kind", "sort_order"]

    def __str__(self) -> str:
        return self.name


class RegionMembership(models.Model):
    """A province in a region over a period, with the basis of the assignment."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("region"))
    province = models.ForeignKey(
        AdminUnit,
        on_delete=models.CASCADE,
        related_name="region_memberships",
        limit_choices_to={"level": "province"},
        verbose_name=_("province"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    uncertain = models.BooleanField(_("to be verified"), default=False)

    objects = AuditedManager()
    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = _("region membership")
        verbose_name_plural = _("region memberships")
        ordering = ["region", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "province", "valid_from"], name="regionmembership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.province} ∈ {self.region}"
