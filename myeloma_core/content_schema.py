"""The building blocks of the content schemas (pydantic v2) and their errors in plain words.

Content documents (regimens, guidelines, prices, …) are validated by pydantic models built from
these blocks: strict types (``"5"`` is not a number, ``1`` is not ``true``), unknown keys refused
(a typo must not pass silently), ranges as constraints, frozen models. Why pydantic rather than
msgspec or jsonschema: it is already a dependency (django-ninja, ``fhir.resources``), its errors
carry the location of the offending value, and its models are typed for mypy, so the step from a
model to the domain's frozen dataclasses is checked.

:func:`content_problem` turns the first error of a :class:`pydantic.ValidationError` into a path
(``components[1].schedule[0].cycles``) and a message naming the problem and the accepted range,
as the hand-written validator did; it never echoes a long value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from myeloma_core.regimen import NumberRange
from myeloma_core.verification_record import CHECKED_BY_MAX_LENGTH, VerificationRecord
from myeloma_core.vocabulary import Verification

__all__ = [
    "ContentModel",
    "Cycles",
    "Days",
    "Lenient",
    "OptionalText",
    "PositiveNumber",
    "ReviewedModel",
    "Text",
    "VerifiedModel",
    "WholeNumber",
    "content_problem",
    "echo",
    "located",
    "pending_note_check",
    "problem",
]

_DAY_RANGE_RE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")
_SUB_PATH_RE = re.compile(r"\[\d+\]|[^.\[\]]+")
_ECHO_LIMIT = 40


class ContentModel(BaseModel):
    """A mapping of a content document: strict types, no unknown keys, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def problem(message: str) -> PydanticCustomError:
    """An error of a validator at the value it validates."""
    return PydanticCustomError("content", message)


def located(sub_path: str, message: str) -> PydanticCustomError:
    """An error of a model validator at one of the model's own fields (``sub_path``)."""
    return PydanticCustomError("content", message, {"sub_path": sub_path})


def _whole_if_integral(value: float) -> float:
    """500.0 is kept as 500 so that a document round-trips as it was written."""
    return int(value) if value.is_integer() else value


def _whole_number(value: Any, sub_path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise located(sub_path, f"expected a whole number, got {_type_name(value)}")
    if value < 1:
        raise located(sub_path, f"must be ≥ 1 (got {value})")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise PydanticCustomError("content", f"expected a list, got {_type_name(value)}")
    return value


def _number_range(value: Any) -> NumberRange:
    items = _list(value)
    if len(items) != 2:
        raise PydanticCustomError("content", "expected [first, last] (last may be null)")
    first = _whole_number(items[0], "[0]")
    last = None if items[1] is None else _whole_number(items[1], "[1]")
    if last is not None and last < first:
        raise PydanticCustomError("content", f"last ({last}) is before first ({first})")
    return NumberRange(first=first, last=last)


def _days(value: Any) -> tuple[int, ...]:
    """Single days (``8``) and inclusive ranges of days written ``"1-21"``; sorted, each once."""
    items = _list(value)
    if not items:
        raise PydanticCustomError("content", "must not be empty")
    days: list[int] = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            match = _DAY_RANGE_RE.match(item)
            if match is None:
                raise located(f"[{index}]", f'expected a day or a range "1-21" ({echo(item)})')
            low, high = int(match.group(1)), int(match.group(2))
            if low < 1 or high <= low:
                raise located(f"[{index}]", f"invalid day range {echo(item)}")
            days.extend(range(low, high + 1))
        else:
            days.append(_whole_number(item, f"[{index}]"))
    duplicates = sorted({d for d in days if days.count(d) > 1})
    if duplicates:
        raise PydanticCustomError("content", f"day(s) listed twice: {duplicates}")
    return tuple(sorted(days))


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text that must not be empty (surrounding blanks are dropped)."""
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True)]
WholeNumber = Annotated[int, Field(ge=1)]
PositiveNumber = Annotated[
    float, Field(gt=0, allow_inf_nan=False), AfterValidator(_whole_if_integral)
]
"""A finite number above 0; whole numbers stay ``int``."""
Cycles = Annotated[NumberRange, PlainValidator(_number_range)]
"""``[first, last]``, inclusive and 1-based; ``last: null`` is open-ended."""
Days = Annotated[tuple[int, ...], PlainValidator(_days)]
"""Days of a cycle: single days and ranges ``"1-21"``."""
Lenient = Strict(False)
"""For enums: content holds their string values."""


def _review_date(value: Any) -> dt.date:
    """A date, or its ISO text (JSON has no date type); never a number read as a timestamp."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise problem(f"expected a date (YYYY-MM-DD), got {echo(value)}")


ReviewDate = Annotated[dt.date, PlainValidator(_review_date)]
CheckedBy = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=CHECKED_BY_MAX_LENGTH)
]


class ReviewedModel(ContentModel):
    """An item with its verification status (domain reference §0.1, §20) and its verification
    record: what or who it was checked against (``checked_by``) and when (``date_reviewed``),
    both or neither (that a verified item needs them is the loader's and the workflow's rule,
    ``myeloma_core.verification_record.unrecorded_verified``)."""

    verification: Annotated[Verification, Lenient]
    checked_by: CheckedBy | None = None
    date_reviewed: ReviewDate | None = None

    @model_validator(mode="after")
    def _record_whole(self) -> Self:
        if (self.checked_by is None) != (self.date_reviewed is None):
            missing = "checked_by" if self.checked_by is None else "date_reviewed"
            raise located(
                missing,
                "a verification record needs both checked_by (text of at most"
                f" {CHECKED_BY_MAX_LENGTH} characters) and date_reviewed (YYYY-MM-DD)",
            )
        return self

    @property
    def record(self) -> VerificationRecord | None:
        if self.checked_by is None or self.date_reviewed is None:
            return None
        return VerificationRecord(checked_by=self.checked_by, date_reviewed=self.date_reviewed)


class VerifiedModel(ReviewedModel):
    """A reviewed item whose pending status must say what is pending."""

    verification_note: OptionalText | None = None

    @model_validator(mode="after")
    def _pending_says_what(self) -> Self:
        pending_note_check(self.verification, self.verification_note)
        return self


def pending_note_check(verification: Verification, note: str | None) -> None:
    """Content pending verification must say what is pending (§20: shown beside the value)."""
    if verification is Verification.PENDING and not note:
        raise located("verification_note", "is required when verification is pending (say what)")


# --------------------------------------------------------------------------------------------------
# Errors in plain words
# --------------------------------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def echo(value: Any) -> str:
    """``repr`` of a value, shortened: an error never echoes a long (or expanded) value."""
    text = repr(value)
    return text if len(text) <= _ECHO_LIMIT else f"{text[: _ECHO_LIMIT - 1]}…"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else echo(value)


def _path(loc: Sequence[int | str]) -> str:
    """``("components", 1, "<mapping>", "cycles")`` → ``components[1].cycles`` (tags dropped)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]":  # the key of a mapping is the offending value: its path is enough
            continue
        elif part.startswith("["):
            path += part
        elif not part.startswith("<"):
            path = f"{path}.{part}" if path else part
    return path


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _message(error: ErrorDetails) -> str:
    kind, value, ctx = error["type"], error["input"], error.get("ctx") or {}
    if kind == "missing" or (kind in _EXPECTED and value is None):
        return "is required"
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        return "must be a finite number (this one is too large)"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_type_name(value)}"
    if kind == "string_too_short" or (kind == "too_short" and not value):
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters (got {len(value)})"
    bounds = {
        "greater_than": ">",
        "greater_than_equal": "≥",
        "less_than": "<",
        "less_than_equal": "≤",
    }
    if kind in bounds:
        limit = next(iter(ctx.values()))
        return f"must be {bounds[kind]} {_number(limit)} (got {_number(value)})"
    if kind == "finite_number":
        return "must be a finite number"
    if kind == "enum":
        allowed = str(ctx["expected"]).replace(" or ", ", ").replace("'", '"')
        return f"must be one of {allowed} (got {echo(value)})"
    return str(error["msg"])


def content_problem(error: ValidationError) -> tuple[str, str]:
    """The path and the message of the first problem (unknown keys of one mapping together)."""
    problems = error.errors(include_url=False)
    first = problems[0]
    loc = tuple(first["loc"])
    if first["type"] == "invalid_key":  # a key that is not text (YAML reads `1:` as a number)
        return _path(loc[:-1]), f"keys must be text, got {echo(first['input'])}"
    if first["type"] == "extra_forbidden":
        parent = loc[:-1]
        unknown = sorted(
            str(p["loc"][-1])
            for p in problems
            if p["type"] == "extra_forbidden" and tuple(p["loc"][:-1]) == parent
        )
        return _path(parent), f"unknown key(s): {', '.join(unknown)}"
    sub_path = (first.get("ctx") or {}).get("sub_path")
    if sub_path:
        loc = (*loc, *_SUB_PATH_RE.findall(str(sub_path)))
    return _path(loc), _message(first)
