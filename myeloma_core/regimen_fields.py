"""Typed values read from a content document, each error located by its path (regimen content).

:class:`ContentMapping` refuses unknown keys (typos must not pass silently); the ``read_*``
functions check one value's type and range and raise :class:`RegimenContentError` naming the path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from myeloma_core.regimen import NumberRange, RegimenContentError
from myeloma_core.verification_record import VerificationRecord, record_from
from myeloma_core.vocabulary import Verification

_DAY_RANGE_RE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")


class ContentMapping:
    """A mapping read at ``path``; unknown keys are an error (typos must not pass silently)."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise RegimenContentError(path, f"expected a mapping, got {type_name(data)}")
        for key in data:
            if not isinstance(key, str):
                raise RegimenContentError(path, f"keys must be strings, got {key!r}")
        self.data: Mapping[str, Any] = data
        self.path = path
        self._seen: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def req(self, key: str) -> Any:
        self._seen.add(key)
        if key not in self.data or self.data[key] is None:
            raise RegimenContentError(self.at(key), "is required")
        return self.data[key]

    def opt(self, key: str) -> Any:
        self._seen.add(key)
        return self.data.get(key)

    def optional(self, key: str, read: Callable[[Any, str], _T]) -> _T | None:
        """``read`` the value of ``key`` at its path, once; ``None`` when absent or null."""
        raw = self.opt(key)
        return None if raw is None else read(raw, self.at(key))

    def done(self) -> None:
        unknown = sorted(set(self.data) - self._seen)
        if unknown:
            raise RegimenContentError(self.path, f"unknown key(s): {', '.join(unknown)}")


def type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def read_text(value: Any, path: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise RegimenContentError(path, f"expected text, got {type_name(value)}")
    if not allow_empty and not value.strip():
        raise RegimenContentError(path, "must not be empty")
    return value.strip()


def read_opt_text(obj: ContentMapping, key: str) -> str:
    value = obj.opt(key)
    return "" if value is None else read_text(value, obj.at(key), allow_empty=True)


def read_int(
    value: Any, path: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RegimenContentError(path, f"expected a whole number, got {type_name(value)}")
    if minimum is not None and value < minimum:
        raise RegimenContentError(path, f"must be ≥ {minimum} (got {value})")
    if maximum is not None and value > maximum:
        raise RegimenContentError(path, f"must be ≤ {maximum} (got {value})")
    return value


def read_number(
    value: Any, path: str, *, positive: bool = True, minimum: float | None = None
) -> float:
    """A finite number; integers stay ``int`` so that 500 round-trips as 500, not 500.0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RegimenContentError(path, f"expected a number, got {type_name(value)}")
    if not math.isfinite(value):
        raise RegimenContentError(path, "must be a finite number")
    if positive and value <= 0:
        raise RegimenContentError(path, f"must be > 0 (got {value})")
    if minimum is not None and value < minimum:
        raise RegimenContentError(path, f"must be ≥ {minimum} (got {value})")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise RegimenContentError(path, f"expected true or false, got {type_name(value)}")
    return value


def read_enum(enum: type[_E], value: Any, path: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(f'"{m.value}"' for m in enum)
        raise RegimenContentError(path, f"must be one of {allowed} (got {value!r})") from None


def read_list(value: Any, path: str, *, allow_empty: bool = False) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise RegimenContentError(path, f"expected a list, got {type_name(value)}")
    if not allow_empty and not value:
        raise RegimenContentError(path, "must not be empty")
    return list(value)


def read_items(value: Any, path: str, *, allow_empty: bool = False) -> Iterator[tuple[str, Any]]:
    for index, item in enumerate(read_list(value, path, allow_empty=allow_empty)):
        yield f"{path}[{index}]", item


def read_range(value: Any, path: str) -> NumberRange:
    items = read_list(value, path)
    if len(items) != 2:
        raise RegimenContentError(path, "expected [first, last] (last may be null)")
    first = read_int(items[0], f"{path}[0]", minimum=1)
    last = None if items[1] is None else read_int(items[1], f"{path}[1]", minimum=1)
    if last is not None and last < first:
        raise RegimenContentError(path, f"last ({last}) is before first ({first})")
    return NumberRange(first=first, last=last)


def read_days(value: Any, path: str) -> tuple[int, ...]:
    days: list[int] = []
    for item_path, item in read_items(value, path):
        if isinstance(item, str):
            match = _DAY_RANGE_RE.match(item)
            if match is None:
                raise RegimenContentError(item_path, f'expected a day or a range "1-21" ({item!r})')
            low, high = int(match.group(1)), int(match.group(2))
            if low < 1 or high <= low:
                raise RegimenContentError(item_path, f"invalid day range {item!r}")
            days.extend(range(low, high + 1))
        else:
            days.append(read_int(item, item_path, minimum=1))
    if len(set(days)) != len(days):
        duplicates = sorted({d for d in days if days.count(d) > 1})
        raise RegimenContentError(path, f"day(s) listed twice: {duplicates}")
    return tuple(sorted(days))


def read_record(obj: ContentMapping) -> VerificationRecord | None:
    """The item's verification record (``checked_by``, ``date_reviewed``), if it names one.

    Whether a verified item must name it is the workflow's and the loader's check
    (``unrecorded_verified``); here the keys are read so that the record stays with the item.
    """
    raw_checked_by = obj.opt("checked_by")
    raw_date = obj.opt("date_reviewed")
    if raw_checked_by is None and raw_date is None:
        return None
    record = record_from(obj.data)
    if record is None:
        raise RegimenContentError(
            obj.at("checked_by"),
            "a verification record needs both checked_by (text of at most 200 characters) and "
            "date_reviewed (YYYY-MM-DD)",
        )
    return record


def read_verification(obj: ContentMapping) -> tuple[Verification, str]:
    verification = read_enum(Verification, obj.req("verification"), obj.at("verification"))
    note = read_opt_text(obj, "verification_note")
    if verification is Verification.PENDING and not note:
        raise RegimenContentError(
            obj.at("verification_note"), "is required when verification is pending (say what)"
        )
    return verification, note
