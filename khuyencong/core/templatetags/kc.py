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
def keep_last_words(value: Any) -> str:
    """The last two words of a heading kept on one line (`core.text.keep_last_words`)."""
    from khuyencong.core.text import keep_last_words as keep

    return keep(str(value or ""))


@register.filter
def vn_words(value: Any) -> str:
    return amount_in_words(int(value))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]` in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def filter_select(field: Any) -> str:
    """A filter's <select>, written in Python: the template loop over a few hundred options cost more than the
    database query of the page. The empty choice reads "<label>: tất cả"."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    current = field.value()
    current = "" if current is None else str(current)
    everything = gettext("all")
    options = []
    for value, label in field.field.choices:
        value = str(getattr(value, "value", value))
        text = f"{field.label}: {everything}" if value == "" else label
        selected = " selected" if value == current else ""
        options.append(f'<option value="{conditional_escape(value)}"{selected}>{conditional_escape(text)}</option>')
    return format_html(
        '<select name="{}" id="{}" class="form-select" aria-label="{}">{}</select>',
        field.html_name,
        field.id_for_label,
        field.label,
        mark_safe("".join(options)),  # noqa: S308 - every part escaped above
    )
