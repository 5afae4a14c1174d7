from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MINISTRY_AGENCY = "ministry_agency", _("Ministry khuyến công agency")
    REGIONAL_CENTRE = "regional_centre", _("Regional khuyến công centre")
    PROVINCIAL_PEOPLES_COMMITTEE = "ubnd_tinh", _("Provincial People's Committee")
    DEPARTMENT = "so_cong_thuong", _("Department of Industry and Trade")
    PROVINCIAL_CENTRE = "provincial_centre", _("Provincial khuyến công centre")
    COMMUNE_PEOPLES_COMMITTEE = "ubnd_xa", _("Commune People's Committee")
    SERVICE_PROVIDER = "service_provider", _("Khuyến công service organisation")
    ESTABLISHMENT = "establishment", _("Establishment")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    MINISTRY_APPROVER = "ministry_approver", _("Ministry approver")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    PROVINCIAL_APPROVER = "provincial_approver", _("Provincial approver")
    COLLABORATOR = "collaborator", _("Collaborator")
    ESTABLISHMENT_REP = "establishment_rep", _("Establishment representative")
    AUDITOR = "auditor", _("Read-only auditor")


class ScopeLevel(models.TextChoices):
    COUNTRY = "country", _("Whole country")
    PROVINCE = "province", _("One province")
    COMMUNES = "communes", _("A set of communes")
    ESTABLISHMENTS = "establishments", _("Their own establishments")


# Which scope levels each role may hold.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    Role.SYSTEM_ADMIN: (ScopeLevel.COUNTRY,),
    Role.MINISTRY_OFFICER: (ScopeLevel.COUNTRY,),
    Role.MINISTRY_APPROVER: (ScopeLevel.COUNTRY,),
    Role.PROVINCIAL_OFFICER: (ScopeLevel.PROVINCE,),
    Role.PROVINCIAL_APPROVER: (ScopeLevel.PROVINCE,),
    Role.COLLABORATOR: (ScopeLevel.COMMUNES,),
    Role.ESTABLISHMENT_REP: (ScopeLevel.ESTABLISHMENTS,),
    Role.AUDITOR: (ScopeLevel.COUNTRY, ScopeLevel.PROVINCE),
}

# Roles that must use TOTP two-factor authentication; so must every superuser and staff account whatever its role
# (User.requires_two_factor).
TWO_FACTOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.MINISTRY_APPROVER, Role.PROVINCIAL_APPROVER})
READ_ONLY_ROLES = frozenset({Role.AUDITOR})


class TokenAccess(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class TwoFactorEventKind(models.TextChoices):
    SET_UP = "set_up", _("Authenticator app set up")
    REPLACED = "replaced", _("Authenticator app replaced")
    RESET = "reset", _("Reset by an administrator")


# API tokens: how long they may live (days), the default, and how many live tokens one account may hold.
TOKEN_MIN_DAYS = 1
TOKEN_MAX_DAYS = 365
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_LIVE = 20
