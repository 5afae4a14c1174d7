import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.formatting import (
    MoneyUnit,
    format_money,
    format_number,
    format_percent,
    format_ratio,
    parse_number,
    percent_of,
    ratio_of,
    round_half_up,
)


def test_numbers_use_vietnamese_marks():
    assert format_number(1234567) == "1.234.567"
    assert format_number(1920) == "1.920"
    assert format_number(Decimal("1234.5"), 2) == "1.234,50"
    assert format_number(-1234) == "-1.234"
    assert format_number(0) == "0"
    assert format_number(1234567, lang="en") == "1,234,567"


def test_money_in_each_unit():
    assert format_money(1_234_567) == "1.234.567 đ"
    assert format_money(481_407_000_000, MoneyUnit.BILLION, 3) == "481,407 tỷ đồng"
    assert format_money(2_300_000_000_000, "ty", 0) == "2.300 tỷ đồng"
    assert format_money(12_345_678, "trieu", 2) == "12,35 triệu đồng"
    assert format_money(12_345_678, "trieu", 2, with_unit=False) == "12,35"
    assert format_money(None) == ""
    with pytest.raises(TypeError):
        format_money(1.5)  # type: ignore[arg-type]


def test_rates_round_half_up_from_unrounded_integers():
    # The published leverage: 2.300 tỷ of counterpart against 481,407 tỷ of state funds → 4,78.
    leverage = ratio_of(2_300_000_000_000, 481_407_000_000)
    assert leverage is not None and format_ratio(leverage) == "4,78"
    assert format_percent(percent_of(4715, 10000)) == "47,15 %"
    assert format_percent(Decimal("47.145")) == "47,15 %"  # half up, not half even
    assert format_percent(Decimal("47.144")) == "47,14 %"
    assert format_percent(Decimal("12.25"), 1) == "12,3 %"
    assert format_percent(percent_of(1, 0)) == "–"
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert round_half_up(Decimal("-2.5"), 0) == Decimal("-3")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_read_back(value):
    assert parse_number(format_number(value)) == value


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_decimals_read_back(value):
    assert parse_number(format_number(value, 2)) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2,3,4"])
def test_parse_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_vietnamese_dates_are_typed_and_shown_day_first():
    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = DateForm({"day": "03/04/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 4, 3)
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ y }}").render(
            Context({"d": datetime.date(2026, 4, 3), "y": 2026})
        )
        assert rendered == "03/04/2026 2026"  # years never print as "2.026"
        assert not DateForm({"day": "31/02/2026"}).is_valid()


def test_template_filters():
    with translation.override("vi"):
        out = Template(
            "{% load kc %}{{ a|vn_money }}|{{ a|vn_money:'trieu' }}|{{ p|vn_percent }}|{{ n|vn_number }}"
        ).render(Context({"a": 1_234_567_890, "p": Decimal("47.146"), "n": 3321}))
    assert out == "1.234.567.890 đ|1.234,57 triệu đồng|47,15 %|3.321"


@given(st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=6))
def test_largest_remainder_shares_total_exactly_100(values):
    from decimal import Decimal

    from khuyencong.core.formatting import shares_largest_remainder

    shares = shares_largest_remainder(values, 1)
    if sum(values) == 0:
        assert shares is None
        return
    assert shares is not None and sum(shares) == 100
    for value, share in zip(values, shares, strict=True):
        exact = Decimal(value) * 100 / sum(values)
        assert abs(share - exact) < Decimal("0.1")


def test_largest_remainder_golden():
    from decimal import Decimal

    from khuyencong.core.formatting import shares_largest_remainder

    # 1/3 each: 33,3 + 33,3 + 33,4 — the first largest remainder (ties to the earlier value) gets the unit.
    assert shares_largest_remainder([1, 1, 1]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3")]
    assert shares_largest_remainder([481_407_000_000, 2_300_000_000_000, 0]) == [
        Decimal("17.3"),
        Decimal("82.7"),
        Decimal("0.0"),
    ]


def test_a_number_of_any_size_is_shown_and_a_huge_amount_refused_with_a_message():
    """Found by the API contract suite: a 29-digit amount made the refusal itself fail (decimal precision) → 500."""
    from khuyencong.core.exceptions import ApplicationError
    from khuyencong.core.parsing import parse_money

    assert format_number(10**40) == "10" + ".000" * 13
    assert format_money(72_768_742_257_770_414_729_890_627_584).endswith(" đ")
    with translation.override("vi"), pytest.raises(ApplicationError) as refused:
        parse_money("72768742257770414729890627584", field="total_vnd")
    assert refused.value.field == "total_vnd"
    assert "72.768.742.257.770.414.729.890.627.584" in str(refused.value.message)
