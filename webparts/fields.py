"""Form fields shared by every app's forms (staging, treatment, dosing wizard, follow-up).

One place for numbers typed by clinicians: a decimal comma and a decimal point are both
accepted in every language ("6,1" and "6.1" are the same value in English and in Dutch), and
the error says what to type, in the field's own words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_decimal_mark(value: str) -> str:
    """ "6,1" → "6.1"; spaces dropped. A string with both marks is left for the locale to read."""
    text = value.strip().replace(" ", "").replace("\N{NO-BREAK SPACE}", "")
    if "," in text and "." not in text and text.count(",") == 1:
        return text.replace(",", ".")
    return text


class DecimalNumberField(forms.FloatField):
    """A FloatField that reads a decimal comma or point in any language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = normalise_decimal_mark(value)
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code != "invalid":
                raise
            # The label is read now: some forms set it after the field is built.
            raise ValidationError(
                _("Enter %(label)s as a number, like 6.1 or 6,1."),
                code="invalid",
                params={"label": self.label or _("this value")},
            ) from error
