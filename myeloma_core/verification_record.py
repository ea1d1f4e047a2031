"""Who checked a verified content item against its source, and when (issue 12).

Every item of rule content that says ``verification: verified`` names its verification record
beside it, like OpenPrescribing's ``checked_by``/``date_reviewed``: ``checked_by`` says what it
was checked against (a person, or the verification record of the domain reference, e.g. "Source
check against domain reference §14.2 [SEED] X5") and ``date_reviewed`` the day of the check. A
verified item without both is refused for every kind of content; the top-level item's record is
its version's ``checked_by``/``date_reviewed``. An item that nobody could check is
``pending`` — never verified by default.

Pure functions: the governed-content workflow and the shipped-content loader apply
``unrecorded_verified`` to whole documents; the domain readers keep the record of each item
(``record_from``) so that it is shown beside the item's source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHECKED_BY_MAX_LENGTH",
    "RECORD_KEYS",
    "VerificationRecord",
    "record_from",
    "record_to_dict",
    "unrecorded_verified",
]

RECORD_KEYS = ("checked_by", "date_reviewed")
CHECKED_BY_MAX_LENGTH = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class VerificationRecord:
    """What a verified item was checked against, and on which day."""

    checked_by: str
    date_reviewed: dt.date


def _checked_by(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    return text if len(text) <= CHECKED_BY_MAX_LENGTH else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def record_from(data: Mapping[str, Any]) -> VerificationRecord | None:
    """The record ``data`` names (``None`` when either key is missing or not valid)."""
    checked_by = _checked_by(data.get("checked_by"))
    reviewed = _date(data.get("date_reviewed"))
    if checked_by is None or reviewed is None:
        return None
    return VerificationRecord(checked_by=checked_by, date_reviewed=reviewed)


def record_to_dict(record: VerificationRecord | None) -> dict[str, Any]:
    """The record's keys for a content document (none when there is no record)."""
    if record is None:
        return {}
    return {"checked_by": record.checked_by, "date_reviewed": record.date_reviewed.isoformat()}


def _items(value: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(value, Mapping):
        yield path, value
        for key, item in value.items():
            yield from _items(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _items(item, f"{path}.{index}" if path else str(index))


def unrecorded_verified(document: Any) -> tuple[str, ...]:
    """One problem per item marked verified that does not name ``checked_by`` (text of at most
    200 characters) and ``date_reviewed`` (a date, YYYY-MM-DD); empty when every one does."""
    problems = []
    for path, item in _items(document, ""):
        if item.get("verification") != "verified" or record_from(item) is not None:
            continue
        where = path or "the content's top level"
        problems.append(
            f"{where}: marked verified, so it must name checked_by (what or who it was checked "
            "against, at most 200 characters) and date_reviewed (YYYY-MM-DD) — or be marked "
            "pending with a verification_note"
        )
    return tuple(problems)
