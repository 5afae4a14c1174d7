"""Amounts of money as the services accept them: a whole number of đồng (never a float), not negative, and not
beyond what any khuyến công amount could be (a larger figure is a typing mistake)."""

from typing import Any

from django.utils.translation import gettext as _

from .exceptions import ApplicationError, ErrorCode
from .formatting import format_money

#: The largest amount any one line may hold: 10.000 tỷ đồng.
MAX_AMOUNT_VND = 10**13


def check_amount(value: Any, field: str, *, label: str = "", positive: bool = False) -> int:
    """`value` as an amount of đồng, or an `ApplicationError` naming `label` (when given) at `field`."""

    def refuse(message: str) -> ApplicationError:
        return ApplicationError(ErrorCode.INVALID, message, field=field)

    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse(
            _("%(label)s must be a whole number of đồng.") % {"label": label}
            if label
            else _("An amount is a whole number of đồng.")
        )
    if value < 0 or (positive and value == 0):
        if positive:
            raise refuse(_("The amount must be more than 0."))
        raise refuse(
            _("%(label)s cannot be negative.") % {"label": label} if label else _("An amount cannot be negative.")
        )
    if value > MAX_AMOUNT_VND:
        raise refuse(
            _("%(label)s (%(value)s) is larger than any khuyến công amount; check the number of digits.")
            % {"label": label, "value": format_money(value)}
            if label
            else _("%(value)s is larger than any khuyến công amount; check the number of digits.")
            % {"value": format_money(value)}
        )
    return value
