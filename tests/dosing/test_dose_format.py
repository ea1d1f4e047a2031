"""One dose format: no trailing zeros, the language's decimal mark, a space before the unit."""

from __future__ import annotations

from django.utils import translation

from dosing.templatetags.dosing_format import dose

NBSP = "\N{NO-BREAK SPACE}"


def test_trailing_zeros_never_show() -> None:
    assert dose({"value": 700.0, "unit": "mg"}) == f"700{NBSP}mg"
    assert dose({"value": "2.40", "unit": "mg"}) == f"2.4{NBSP}mg"
    assert dose({"value": 1.25, "unit": "mg"}) == f"1.25{NBSP}mg"
    assert dose(1200, "mg") == f"1200{NBSP}mg"  # no thousands separator in a dose


def test_decimal_mark_follows_the_language() -> None:
    with translation.override("nl"):
        assert dose({"value": 2.4, "unit": "mg"}) == f"2,4{NBSP}mg"


def test_no_value_is_empty_not_zero() -> None:
    assert dose(None, "mg") == ""
