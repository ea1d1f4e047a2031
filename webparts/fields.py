"""Form fields shared by every app's forms (staging, treatment, dosing wizard, follow-up).

One place for numbers typed by clinicians: a decimal comma and a decimal point are both
accepted in every language ("6,1" and "6.1" are the same value in English and in Dutch), and
the error says what to type, in the field's own words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
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
                params={"label": in_sentence(str(self.label or _("this value")))},
            ) from error


def _shown(number: int | float) -> str:
    """A limit in the user's language: "2,000" in English, "2.000" in Dutch."""
    return number_format(number, use_l10n=True, force_grouping=True)


def in_sentence(label: str) -> str:
    """ "Serum creatinine" → "serum creatinine" inside a sentence; "LDH", "ECOG …" stay."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


_DEFAULT_MESSAGES: dict[type[forms.Field], dict[str, Any]] = {}


def _default_messages(field_class: type[forms.Field]) -> dict[str, Any]:
    """Django's own messages of a field class (what ``Field.__init__`` starts from), cached."""
    if field_class not in _DEFAULT_MESSAGES:
        defaults: dict[str, Any] = {}
        for klass in reversed(field_class.__mro__):
            defaults.update(getattr(klass, "default_error_messages", {}))
        _DEFAULT_MESSAGES[field_class] = defaults
    return _DEFAULT_MESSAGES[field_class]


def field_errors_in_words(form: forms.Form) -> None:
    """Give every field of ``form`` messages that name it and say how to fix it (GOV.UK).

    Django's defaults ("Enter a whole number.", "This field is required.") name no field, so in
    an error summary they would not say which one is wrong. A message a form set itself stays.
    Called from ``__init__``, so the labels are read in the request's language.
    """
    for field in form.fields.values():
        label = in_sentence(str(field.label or _("this value")))
        defaults = _default_messages(type(field))
        is_choice = isinstance(field, forms.ChoiceField)
        is_whole = isinstance(field, forms.IntegerField)
        words = {
            "required": (_("Choose %(label)s.") if is_choice else _("Enter %(label)s."))
            % {"label": label},
            "invalid_choice": _("Choose %(label)s from the list.") % {"label": label},
            "invalid_list": _("Choose %(label)s from the list.") % {"label": label},
            "min_value": _("Enter %(label)s of %%(limit_value)s or more.") % {"label": label},
            "max_value": _("Enter %(label)s of %%(limit_value)s or less.") % {"label": label},
        }
        low, high = getattr(field, "min_value", None), getattr(field, "max_value", None)
        if low is not None and high is not None:
            words["min_value"] = words["max_value"] = _(
                "Enter %(label)s between %(low)s and %(high)s."
            ) % {"label": label, "low": _shown(low), "high": _shown(high)}
        if is_whole:
            words["invalid"] = _("Enter %(label)s as a whole number, like 2.") % {"label": label}
        elif isinstance(field, forms.FloatField) and not isinstance(field, DecimalNumberField):
            words["invalid"] = _("Enter %(label)s as a number, like 6.1.") % {"label": label}
        elif isinstance(field, forms.DateField):
            words["invalid"] = _("Enter %(label)s as a real date.") % {"label": label}
        for code, message in words.items():
            set_by_form = code in field.error_messages and (
                code not in defaults or field.error_messages[code] != defaults[code]
            )
            if not set_by_form:
                field.error_messages[code] = message
