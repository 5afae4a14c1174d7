"""Khuyến công policy as dated data. So far: the industry classification (VSIC 2018, manufacturing and processing)
and the khuyến công eligible-industry groups; legal documents, contents and support rules come next."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager


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
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
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
