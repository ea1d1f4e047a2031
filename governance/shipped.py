"""Shipped content files (content/<kind>/*.yaml): the document and who reviewed it.

``checked_by`` and ``date_reviewed`` are top-level keys of every content document; they belong
to the workflow, so they are taken out before the domain reads the rest. Every item marked
verified names its own ``checked_by`` and ``date_reviewed`` (the top-level item: the document's);
a file where one does not is refused (``myeloma_core.verification_record``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from myeloma_core.verification_record import unrecorded_verified


@dataclass(frozen=True, slots=True, kw_only=True)
class Review:
    checked_by: str = ""
    date_reviewed: dt.date | None = None


def shipped_document(path: Path) -> tuple[dict[str, Any], Review]:
    """The file's document without its review keys, and the review (empty when not recorded)."""
    # Files in the repository are reviewed in git and may use YAML anchors (the golden cases do);
    # text from users goes through yaml_load_bounded.
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not a YAML mapping")
    unrecorded = unrecorded_verified(document)
    if unrecorded:
        raise ValueError(f"{path}: " + "; ".join(unrecorded))
    document = dates_as_text(document)
    checked_by = document.pop("checked_by", None) or ""
    reviewed = document.pop("date_reviewed", None)
    if isinstance(reviewed, str):
        reviewed = dt.date.fromisoformat(reviewed)
    if reviewed is not None and not isinstance(reviewed, dt.date):
        raise ValueError(f"{path}: date_reviewed must be a date (YYYY-MM-DD)")
    return document, Review(checked_by=str(checked_by).strip(), date_reviewed=reviewed)


def dates_as_text(value: Any) -> Any:
    """``value`` with every date (an item's ``date_reviewed``) written as YYYY-MM-DD text, the
    form a document keeps in a JSON column; the top-level review keys are left as they are."""

    def convert(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: convert(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [convert(inner) for inner in item]
        if isinstance(item, dt.date):
            return item.isoformat()
        return item

    if not isinstance(value, dict):
        return convert(value)
    return {
        key: inner if key in ("checked_by", "date_reviewed") else convert(inner)
        for key, inner in value.items()
    }
