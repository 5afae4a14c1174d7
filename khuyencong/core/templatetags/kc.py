"""Template filters for Vietnamese display: {{ n|vn_number }}, {{ amount|vn_money:"trieu" }}, {{ pct|vn_percent }}."""

from typing import Any

from django import template
from django.utils.translation import get_language

from khuyencong.core import formatting
from khuyencong.core.numwords import amount_in_words

register = template.Library()


def _lang() -> str:
    return (get_language() or "vi")[:2]


@register.filter
def vn_number(value: Any, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    try:
        return formatting.format_number(value, int(decimals), lang=_lang())
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


@register.filter
def vn_money(value: Any, unit: str = "dong") -> str:
    if value is None or value == "":
        return ""
    return formatting.format_money(int(value), unit, lang=_lang())


@register.filter
def vn_percent(value: Any, decimals: int = 2) -> str:
    return formatting.format_percent(value, int(decimals), lang=_lang())


@register.filter
def vn_words(value: Any) -> str:
    return amount_in_words(int(value))
