"""A patient reference must be pseudonymous: refuse what looks like a name or a date of birth.

The plan stores a clinic reference only (architecture: no directly identifying data). People
type what they have at hand; this catches the two common slips — a name ("Anna de Vries",
"de Vries, A.") and a date of birth ("12-03-1951", "1951-03-12", "120351") — before saving.
"""

from __future__ import annotations

import datetime as dt
import re

_DATE_WITH_SEPARATORS = re.compile(r"\b\d{1,4}[-./ ]\d{1,2}[-./ ]\d{2,4}\b")
_DIGITS = re.compile(r"(?<!\d)(\d{6}|\d{8})(?!\d)")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*[.'’-]?[^\W\d_'’.-]*\.?$")


def _is_calendar_date(digits: str) -> bool:
    """ddmmyy or ddmmyyyy (or yyyymmdd) that is a real date: likely a birth date."""
    candidates = []
    if len(digits) == 6:
        candidates.append((int(digits[4:]) + 1900, int(digits[2:4]), int(digits[:2])))
    else:
        candidates.append((int(digits[4:]), int(digits[2:4]), int(digits[:2])))
        candidates.append((int(digits[:4]), int(digits[4:6]), int(digits[6:])))
    for year, month, day in candidates:
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        if 1900 <= year <= 2100:
            return True
    return False


def reference_looks_identifying(reference: str) -> str | None:
    """``"name"``, ``"date"`` or None for a reference that looks pseudonymous."""
    text = reference.strip()
    if _DATE_WITH_SEPARATORS.search(text) or any(
        _is_calendar_date(m.group(1)) for m in _DIGITS.finditer(text)
    ):
        return "date"
    words = [word for word in re.split(r"[\s,]+", text) if word]
    if len(words) >= 2 and all(_NAME_WORD.match(word) for word in words):
        return "name"
    return None
