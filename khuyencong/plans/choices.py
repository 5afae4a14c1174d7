from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("National programme")
    PROVINCIAL = "provincial", _("Provincial programme")


class ProgrammeIndicator(models.TextChoices):
    """What a programme sets targets for (domain.md §1.3)."""

    MODELS = "models", _("Demonstration models")
    MACHINES = "machines", _("Machines and equipment")
    TECHNOLOGY_LINES = "technology_lines", _("Technology lines")
    POLLUTION_SYSTEMS = "pollution_systems", _("Pollution treatment systems upgraded")
    FAIRS_DOMESTIC = "fairs_domestic", _("Fairs at home")
    FAIRS_ABROAD = "fairs_abroad", _("Fairs abroad")
    TRAINEES = "trainees", _("Rural workers trained")
    ESTABLISHMENTS_SUPPORTED = "establishments_supported", _("Establishments supported")
    FUNDS_VND = "funds_vnd", _("Funds (VND)")


class VersionKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    ADJUSTMENT = "adjustment", _("Adjustment (điều chỉnh)")


class MoneyKind(models.TextChoices):
    """A money event on a project. Khuyến công funds are advanced, paid, refunded and settled; counterpart and
    other sources are committed and settled."""

    ADVANCE = "advance", _("Advance (tạm ứng)")
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund to the budget")
    SETTLEMENT = "settlement", _("Settlement (quyết toán)")
    COMMITMENT = "commitment", _("Commitment")


#: Which kinds apply to which source.
KINDS_BY_SOURCE = {
    "khuyen_cong": (MoneyKind.ADVANCE, MoneyKind.PAYMENT, MoneyKind.REFUND, MoneyKind.SETTLEMENT),
    "counterpart": (MoneyKind.COMMITMENT, MoneyKind.SETTLEMENT),
    "other": (MoneyKind.COMMITMENT, MoneyKind.SETTLEMENT),
}
