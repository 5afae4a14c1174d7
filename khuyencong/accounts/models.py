"""Users, their organisations, roles and geographic scopes."""

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager, AuditedQuerySet
from khuyencong.core.scoping import COMMUNES, COUNTRY, ESTABLISHMENTS, PROVINCE, Scope
from khuyencong.core.text import fold

from .choices import TWO_FACTOR_ROLES, OrganisationKind, Role, ScopeLevel


class Organisation(models.Model):
    """An organisation users work for: the ministry's agency, a Sở Công Thương, a khuyến công centre, a commune
    People's Committee, a service organisation or an establishment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province", "valid_to__isnull": True},
        help_text=_("Empty for national organisations."),
    )
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "commune", "valid_to__isnull": True},
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    objects = AuditedManager()
    history = HistoricalRecords()

    # How the geographic scope finds this object's place (see accounts.scoping).
    scope_province_field = "province"
    scope_commune_field = "commune"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_folded"]
        constraints = [
            models.UniqueConstraint(fields=["name", "province"], name="organisation_unique_name_province"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = fold(self.name)  # a derived search key, not business logic
        super().save(*args, **kwargs)


class AuditedUserManager(UserManager.from_queryset(AuditedQuerySet)):  # type: ignore[misc]
    """Django's user manager whose querysets refuse writes that would escape the history."""


class User(AbstractUser):
    """A person who logs in. One role, one organisation, one geographic scope."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.PROVINCIAL_OFFICER)
    scope_level = models.CharField(_("scope"), max_length=16, choices=ScopeLevel.choices, default=ScopeLevel.PROVINCE)
    scope_province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("province in scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province", "valid_to__isnull": True},
    )
    scope_communes = models.ManyToManyField(
        "geography.AdminUnit",
        verbose_name=_("communes in scope"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": "commune", "valid_to__isnull": True},
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects: ClassVar[AuditedUserManager] = AuditedUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope_level="province") | Q(scope_province__isnull=False),
                name="user_province_scope_has_province",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def requires_two_factor(self) -> bool:
        return self.role in TWO_FACTOR_ROLES

    def get_scope(self) -> Scope:
        """The part of the country this user may reach (use core.scoping.user_scope, which caches it)."""
        if self.is_superuser or self.scope_level == ScopeLevel.COUNTRY:
            return Scope(level=COUNTRY, label=str(_("Whole country")))
        if self.scope_level == ScopeLevel.PROVINCE:
            if self.scope_province is None:
                return Scope(level="none")
            province = self.scope_province
            return Scope(level=PROVINCE, province_ids=frozenset({province.pk}), label=province.full_name)
        if self.scope_level == ScopeLevel.ESTABLISHMENTS:
            # The establishments this account represents (`establishments.Representative`, linked by an officer of
            # their province); read through the reverse relation so that this app does not import the registry.
            represented = list(
                self.represented.order_by("establishment__name_folded").values_list(
                    "establishment_id", "establishment__name"
                )
            )
            if not represented:
                return Scope(level="none")
            label = ", ".join(name for _id, name in represented[:3])
            if len(represented) > 3:
                more = len(represented) - 3
                label += " " + ngettext("and %(n)d more establishment", "and %(n)d more establishments", more) % {
                    "n": more
                }
            return Scope(
                level=ESTABLISHMENTS, establishment_ids=frozenset(pk for pk, _name in represented), label=label
            )
        communes = list(self.scope_communes.order_by("code"))
        if not communes:
            return Scope(level="none")
        label = ", ".join(c.full_name for c in communes[:3])
        if len(communes) > 3:
            more = len(communes) - 3
            label += " " + ngettext("and %(n)d more commune", "and %(n)d more communes", more) % {"n": more}
        return Scope(
            level=COMMUNES,
            province_ids=frozenset(c.province_id for c in communes if c.province_id),
            commune_ids=frozenset(c.pk for c in communes),
            label=label,
        )
