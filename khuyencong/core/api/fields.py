"""Serializer fields whose numbers are read by `core.parsing`, the one parser of numbers from outside: the API
accepts what the forms accept (JSON numbers, or text such as "1.250.000.000") and refuses the same junk ("²",
"Infinity", 400 digits, 1e9) with the same Vietnamese message at the field."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.parsing import (
    MAX_DB_INT,
    MAX_YEAR,
    MIN_YEAR,
    parse_decimal,
    parse_id,
    parse_integer,
    parse_money,
    parse_year,
)

__all__ = ["DateField", "DecimalField", "IdField", "IntegerField", "MoneyField", "YearField"]


def _invalid(error: ApplicationError) -> serializers.ValidationError:
    return serializers.ValidationError(str(error.message), code="invalid")


class IntegerField(serializers.IntegerField):
    """A whole number, by default 0 ≤ n ≤ the database's largest integer (documented as such in the schema)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_DB_INT)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        try:
            value = parse_integer(data, required=True, minimum=self.min_value, maximum=self.max_value)
        except ApplicationError as error:
            raise _invalid(error) from error
        assert value is not None
        return value


class IdField(serializers.IntegerField):
    """The id of a record (1 ≤ id ≤ the database's largest integer). Where the record must lie in the caller's scope,
    use `core.api.scoped` instead, which also looks it up."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_DB_INT)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        try:
            value = parse_id(data, required=True)
        except ApplicationError as error:
            raise _invalid(error) from error
        assert value is not None
        return value


class YearField(serializers.IntegerField):
    """A calendar year between 1990 and 2100 unless narrowed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        try:
            value = parse_year(
                data, required=True, minimum=self.min_value or MIN_YEAR, maximum=self.max_value or MAX_YEAR
            )
        except ApplicationError as error:
            raise _invalid(error) from error
        assert value is not None
        return value


class MoneyField(serializers.IntegerField):
    """An amount of đồng: whole, not negative, at most `core.money.MAX_AMOUNT_VND`."""

    def __init__(self, **kwargs: Any) -> None:
        from khuyencong.core.money import MAX_AMOUNT_VND

        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT_VND)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        try:
            value = parse_money(data, required=True)
        except ApplicationError as error:
            raise _invalid(error) from error
        assert value is not None
        return value


class DecimalField(serializers.DecimalField):
    """A decimal number (a JSON number, or text such as "11,94"), read by `core.parsing.parse_decimal`: ASCII digits
    only, no exponent, NaN or infinity, within the field's range and decimal places."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            value = parse_decimal(
                data,
                required=True,
                minimum=None if self.min_value is None else Decimal(str(self.min_value)),
                maximum=None if self.max_value is None else Decimal(str(self.max_value)),
                places=self.decimal_places,
            )
        except ApplicationError as error:
            raise _invalid(error) from error
        assert value is not None
        return self.quantize(self.validate_precision(value))


class DateField(serializers.DateField):
    """A date (ISO or dd/mm/yyyy) between 01/01/1900 and 31/12/2100."""

    def to_internal_value(self, value: Any) -> Any:
        from khuyencong.core.parsing import check_date

        date = super().to_internal_value(value)
        try:
            return check_date(date)
        except ApplicationError as error:
            raise _invalid(error) from error
