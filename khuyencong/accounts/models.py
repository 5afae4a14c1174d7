"""Users, their organisations, roles and geographic scopes."""

import datetime
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from khuyencong.core.history import AuditedManager, AuditedQuerySet
from khuyencong.core.scoping import COMMUNES, COUNTRY, ESTABLISHMENTS, PROVINCE, Scope
from khuyencong.core.text import fold

from .choices import TWO_FACTOR_ROLES, OrganisationKind, Role, ScopeLevel, TokenAccess, TwoFactorEventKind


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

    def create_superuser(self, username: str, email: str | None = None, password: str | None = None, **extra: Any):
        """`createsuperuser` makes a system administrator of the whole country (the default role's province scope
        without a province would break the scope constraint)."""
        extra.setdefault("role", Role.SYSTEM_ADMIN)
        extra.setdefault("scope_level", ScopeLevel.COUNTRY)
        return super().create_superuser(username, email, password, **extra)


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
    #: The person's name as they write it, family name first ("Lê Thị Mai"): Vietnamese names are not a first name
    #: followed by a last name.
    full_name = models.CharField(
        _("full name"), max_length=150, blank=True, help_text=_("As it is written, family name first: Lê Thị Mai.")
    )
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

    def get_full_name(self) -> str:
        """The full name as written, or (an account made without it) the family and middle names, then the given
        name: "Lê Thị Mai", never "Mai Lê Thị"."""
        return " ".join(self.full_name.split()) or " ".join(f"{self.last_name} {self.first_name}".split())

    def get_short_name(self) -> str:
        """The given name, the last word of the full name ("Mai")."""
        words = self.get_full_name().split()
        return words[-1] if words else self.username

    @property
    def requires_two_factor(self) -> bool:
        """Approvers and administrators by role, and every superuser or staff account (they reach /admin/)."""
        return self.role in TWO_FACTOR_ROLES or self.is_superuser or self.is_staff

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


class ApiToken(models.Model):
    """A user's key to the API (`Authorization: Token <key>`). Only the key's SHA-256 hash is stored; the key itself
    is shown once, when the token is made. `verified` says the token was issued from a two-factor-verified session
    (and, for a write token, confirmed with a fresh code): only such tokens serve an account that needs two-factor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    access = models.CharField(_("access"), max_length=8, choices=TokenAccess.choices, default=TokenAccess.READ)
    verified = models.BooleanField(_("issued with two-factor verification"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = AuditedManager()
    # The hash is never copied into the history; the use stamp changes every minute and is not a change of the token.
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(access__in=TokenAccess.values), name="apitoken_access_valid"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="apitoken_expires_later"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def state(self, now: datetime.datetime | None = None) -> str:
        """ "revoked", "expired" or "active"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"

    @property
    def is_active(self) -> bool:
        return self.state() == "active"


class TwoFactorEvent(models.Model):
    """A change of a user's second factor: an app set up or replaced by the user, or removed by an administrator's
    reset (with the reason). django-otp's devices keep no history; these rows are it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="two_factor_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when done from the server's command line."),
    )
    kind = models.CharField(_("event"), max_length=12, choices=TwoFactorEventKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)

    objects = AuditedManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("two-factor event")
        verbose_name_plural = _("two-factor events")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=TwoFactorEventKind.RESET) | ~Q(reason=""), name="twofactorevent_reset_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"
