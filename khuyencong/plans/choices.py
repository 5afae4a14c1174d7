from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("National programme")
    PROVINCIAL = "provincial", _("Provincial programme")


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

#: What a user records as a money event: a settlement is recorded by the settle step, from its approved amounts.
ENTERED_KINDS_BY_SOURCE = {
    source: tuple(kind for kind in kinds if kind != MoneyKind.SETTLEMENT) for source, kinds in KINDS_BY_SOURCE.items()
}
