"""``{{ text|clinician_text }}``: rule codes out of text on clinician screens (API keeps them)."""

from __future__ import annotations

from django import template

from myeloma_core.clinician_text import without_rule_codes

register = template.Library()


@register.filter
def clinician_text(value: object) -> str:
    return without_rule_codes(str(value)) if value is not None else ""
