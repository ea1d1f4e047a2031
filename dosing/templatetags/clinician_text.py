"""``{{ text|clinician_text }}``: rule codes out of text on clinician screens (API keeps them),
and the ISO days of domain texts in the language's one date format (webparts/dates.py)."""

from __future__ import annotations

from django import template

from myeloma_core.clinician_text import without_rule_codes
from webparts.dates import clinic_dates_in_text

register = template.Library()


@register.filter
def clinician_text(value: object) -> str:
    return clinic_dates_in_text(without_rule_codes(str(value))) if value is not None else ""
