"""``{{ day|clinic_date }}``: a date (or an ISO date string from stored JSON) in the language's
one date format (``DATE_FORMAT`` in myeloma_site/formats/), e.g. "ma 5 januari 2026".

Registered as a template builtin (settings.TEMPLATES), so every template can use it. Python code
writes ``clinic_date(day)`` for dates that reach a screen inside a sentence.
"""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def clinic_date(value: object) -> str:
    """The day in the active language's format; "" for nothing; anything unreadable as is."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return formats.date_format(value)
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


@register.filter
def clinic_dates_in_text(value: object) -> str:
    """Domain texts (myeloma_core reasons, English, also in the API) write days in ISO; on a
    screen each becomes the language's date, as ``clinician_text`` takes rule codes out."""
    if value is None:
        return ""
    return _ISO_DAY.sub(lambda match: clinic_date(match.group(1)), str(value))
