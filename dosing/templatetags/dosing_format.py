"""One dose format on every clinician screen: "700 mg", "2.4 mg", "1.25 mg".

The number keeps the precision it was computed to but never shows trailing zeros ("700.0" and
"2.40" are gone), uses the language's decimal mark, and no thousands separator (a separator in a
dose is a classic misreading risk). A space separates number and unit.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


def plain_number(value: Any) -> str:
    """``value`` without trailing zeros, in the active language's decimal mark; "" if unset."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f")
    places = len(text.partition(".")[2])
    return number_format(Decimal(text), decimal_pos=places, use_l10n=True, force_grouping=False)


@register.filter
def dose(value: Any, unit: str = "") -> str:
    """A dose dict (``{"value": 700.0, "unit": "mg"}``) or a number (+ unit argument)."""
    if isinstance(value, dict):
        value, unit = value.get("value"), value.get("unit", unit)
    number = plain_number(value)
    return f"{number}\N{NO-BREAK SPACE}{unit}" if number and unit else number
