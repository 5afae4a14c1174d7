"""The one parser of numbers from outside: what users type is read the same everywhere, junk never gets through."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from khuyencong.core.api.fields import IdField as ApiIdField
from khuyencong.core.api.fields import MoneyField as ApiMoneyField
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.formatting import format_money, format_number
from khuyencong.core.forms import IntegerField, MoneyField, YearField
from khuyencong.core.money import MAX_AMOUNT_VND
from khuyencong.core.parsing import (
    MAX_DB_INT,
    parse_date,
    parse_decimal,
    parse_id,
    parse_integer,
    parse_money,
    parse_year,
    query_id,
)

JUNK = [
    "²",
    "١٢",
    "１２",
    "Infinity",
    "-Infinity",
    "NaN",
    "1e9",
    "0x10",
    "9" * 400,
    "' OR 1=1 --",
    "\x00",
    "😀",
    "x" * 10_000,
]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.250.000.000", 1_250_000_000),
        ("1 250 000 000", 1_250_000_000),
        ("1\u00a0250\u00a0000", 1_250_000),
        ("1,250,000", 1_250_000),  # English grouping, unambiguous
        ("1920", 1920),
        ("  12 ", 12),
        (1920, 1920),
        ("0", 0),
    ],
)
def test_whole_numbers_as_users_type_them(text, number):
    assert parse_integer(text) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("-3,25", Decimal("-3.25")),
    ],
)
def test_decimals_vietnamese_first(text, number):
    assert parse_decimal(text) == number


@pytest.mark.parametrize("text", ["1,5", "1.5", "1.2,3,4", "1,2,3", "1..2", "1.25.000"])
def test_a_whole_number_field_never_guesses(text):
    """ "1.5" is not fifteen and "1.25.000" is not a grouping: refused, not misread."""
    with pytest.raises(ApplicationError) as caught:
        parse_integer(text, field="employees")
    assert caught.value.code == ErrorCode.INVALID and caught.value.field == "employees"


@pytest.mark.parametrize("value", JUNK)
@pytest.mark.parametrize("parse", [parse_integer, parse_id, parse_year, parse_money, parse_decimal, parse_date])
def test_junk_is_a_vietnamese_field_error(parse, value):
    with pytest.raises(ApplicationError) as caught:
        parse(value, field="x")
    assert caught.value.code == ErrorCode.INVALID and caught.value.field == "x"
    message = str(caught.value.message)
    assert len(message) < 200 and "\x00" not in message
    assert any(word in message for word in ("không", "phải", "quá", "tối đa", "hợp lệ")), message


def test_money_and_ids_and_years():
    assert parse_money("1.250.000.000 đ") == parse_money("1.250.000.000 đồng") == parse_money(1_250_000_000)
    assert parse_money("") is None and parse_money(None) is None
    with pytest.raises(ApplicationError):
        parse_money("", required=True)
    with pytest.raises(ApplicationError):
        parse_money("-1")
    with pytest.raises(ApplicationError):
        parse_money(MAX_AMOUNT_VND + 1)
    with pytest.raises(ApplicationError):
        parse_money("1.250,5")  # half a đồng
    assert parse_id("9223372036854775807") == MAX_DB_INT
    for bad in ("9223372036854775808", "0", "-1", "+5", "1.000", True, 1.5):
        with pytest.raises(ApplicationError):
            parse_id(bad)
    assert parse_year("2026") == 2026
    for bad in ("2.026", "1899", "20260", "ab"):
        with pytest.raises(ApplicationError):
            parse_year(bad)
    assert query_id({"province": "68"}, "province") == 68 and query_id({}, "province") is None
    assert parse_date("03/04/2026").isoformat() == "2026-04-03"


@given(st.integers(min_value=0, max_value=MAX_DB_INT))
def test_every_integer_reads_back_from_its_vietnamese_display(value):
    assert parse_integer(format_number(value)) == value


@given(st.integers(min_value=0, max_value=MAX_AMOUNT_VND))
def test_every_amount_reads_back_from_its_display(value):
    assert parse_money(format_money(value)) == value


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_every_decimal_reads_back(value):
    assert parse_decimal(format_number(value, 2)) == value


@given(st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=6))
def test_digits_other_than_ascii_are_never_numbers(text):
    if text.isascii():
        return
    with pytest.raises(ApplicationError):
        parse_integer(text)


def test_the_form_and_serializer_fields_use_the_parser():
    class Form(forms.Form):
        employees = IntegerField(label="Số lao động", required=False)
        amount_vnd = MoneyField(label="Số tiền (đ)")
        year = YearField(label="Năm", required=False)

    form = Form({"employees": "1.920", "amount_vnd": "1.250.000.000", "year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"employees": 1920, "amount_vnd": 1_250_000_000, "year": 2026}
    form = Form({"employees": "²", "amount_vnd": "Infinity", "year": "2.026"})
    assert not form.is_valid()
    assert set(form.errors) == {"employees", "amount_vnd", "year"}
    assert "không phải là số" in form.errors["employees"][0]

    class Body(serializers.Serializer):
        establishment = ApiIdField()
        amount_vnd = ApiMoneyField()

    body = Body(data={"establishment": "²", "amount_vnd": "9" * 400})
    assert not body.is_valid()
    assert set(body.errors) == {"establishment", "amount_vnd"}
    assert Body(data={"establishment": 5, "amount_vnd": "1.000.000"}).is_valid()
