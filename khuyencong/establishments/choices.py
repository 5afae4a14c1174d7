from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    MICRO_ENTERPRISE = "dn_sieu_nho", _("Micro enterprise")
    SMALL_ENTERPRISE = "dn_nho", _("Small enterprise")
    MEDIUM_ENTERPRISE = "dn_vua", _("Medium enterprise")
    COOPERATIVE = "htx", _("Cooperative")
    COOPERATIVE_UNION = "lien_hiep_htx", _("Union of cooperatives")
    COOPERATIVE_GROUP = "to_hop_tac", _("Cooperative group")
    HOUSEHOLD_BUSINESS = "ho_kinh_doanh", _("Household business")


# Legal forms whose registration number is an enterprise tax code (10 digits, or 10 + "-" + 3 for a branch).
TAX_CODE_FORMS = frozenset(
    {
        LegalForm.MICRO_ENTERPRISE,
        LegalForm.SMALL_ENTERPRISE,
        LegalForm.MEDIUM_ENTERPRISE,
        LegalForm.COOPERATIVE,
        LegalForm.COOPERATIVE_UNION,
    }
)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "", _("Not recorded")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Source(models.TextChoices):
    SURVEY = "survey", _("Survey")
    COLLABORATOR = "collaborator", _("Collaborator")
    REGISTRATION = "registration", _("Registration")
    IMPORT = "import", _("Import")


class SizeBand(models.TextChoices):
    """Bands of the number of employees (filters and statistics; not the legal SME definition)."""

    UNDER_10 = "lt10", _("Under 10 employees")
    FROM_10 = "10-49", _("10–49 employees")
    FROM_50 = "50-199", _("50–199 employees")
    FROM_200 = "200+", _("200 employees or more")
    UNKNOWN = "unknown", _("Employees not recorded")


SIZE_BAND_RANGES = {
    SizeBand.UNDER_10: (0, 9),
    SizeBand.FROM_10: (10, 49),
    SizeBand.FROM_50: (50, 199),
    SizeBand.FROM_200: (200, None),
}


class VillageKind(models.TextChoices):
    CRAFT_VILLAGE = "lang_nghe", _("Craft village")
    TRADITIONAL = "lang_nghe_truyen_thong", _("Traditional craft village")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CONFIRMED = "confirmed", _("Confirmed duplicate")
    DISMISSED = "dismissed", _("Not a duplicate")
