"""Load the shipped prices (content/prices/*.yaml) and reimbursement notes
(content/reimbursement/*.yaml) into the database.

Every file is validated by the domain before anything is written; a file that does not validate
stops the load naming its path and field. Model classes are passed in so the data migrations can
use their historical models. A price list is governed content: its file is published as version 1
of its lineage (``drug-COUNTRY``) when the database has none; later changes go through the
workflow (``costs.content_kind``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from governance.models import ContentStatus
from governance.shipped import shipped_document
from myeloma_core.cost_schema import price_list_from_dict, reimbursement_notes_from_dict
from myeloma_core.errors import InvalidInput

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
PRICES_DIR = CONTENT_DIR / "prices"
REIMBURSEMENT_DIR = CONTENT_DIR / "reimbursement"


class ContentFileError(ValueError):
    """A shipped file the domain refused: names the file and the field."""


def _files(directory: Path) -> list[tuple[Path, Any]]:
    """Each file's document, its review (``checked_by``, ``date_reviewed``) kept at the top:
    ``shipped_document`` refuses a verified file that does not name them."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        document, review = shipped_document(path)
        document |= {"checked_by": review.checked_by, "date_reviewed": review.date_reviewed}
        out.append((path, document))
    return out


def review_row_fields(model: Any, document: Any) -> dict[str, Any]:
    """Who checked a shipped file and when, for a model that has the columns (costs 0003 on)."""
    if not any(f.name == "checked_by" for f in model._meta.get_fields()):
        return {}
    return {
        "checked_by": document.get("checked_by") or "",
        "date_reviewed": document.get("date_reviewed"),
    }


def price_files() -> list[dict[str, Any]]:
    """The shipped price files, each validated (``price_list_from_dict``)."""
    validated = []
    for path, data in _files(PRICES_DIR):
        try:
            price_list_from_dict(data)
        except InvalidInput as error:
            raise ContentFileError(f"{path.name}: {error.field}: {error.message}") from error
        validated.append(data)
    return validated


def price_key(data: Any) -> str:
    """The lineage of a price list: ``isatuximab-NO``."""
    return f"{data.get('drug')}-{data.get('country')}"


def price_row_fields(data: Any) -> dict[str, Any]:
    """The columns of a price version from its (validated) document."""
    return {
        "key": price_key(data),
        "drug": data["drug"],
        "country": data["country"],
        "currency": data["currency"],
        "vials": data["vials"],
        "source": data["source"],
        "source_date": data["source_date"],
        "verification": data["verification"],
        "verification_note": data.get("verification_note", ""),
        "author": data.get("author", ""),
        "checker": data.get("checker", ""),
    }


def note_key(document: Any) -> str:
    """The lineage of a reimbursement note: ``isatuximab-NO``."""
    notes = document.get("notes") or [{}]
    country = notes[0].get("country") if isinstance(notes[0], dict) else None
    return f"{document.get('drug')}-{country}"


def note_row_fields(document: Any) -> dict[str, Any]:
    """The columns of a reimbursement note version from its (validated) one-note document."""
    (note,) = reimbursement_notes_from_dict(document)
    return {
        "key": f"{note.drug}-{note.country}",
        "drug": note.drug,
        "country": note.country,
        "reimbursement": note.status,
        "note": note.note,
        "source": note.source,
        "source_date": note.source_date,
        "verification": note.verification,
        "verification_note": note.verification_note,
        "author": str(document.get("author") or ""),
        "checker": str(document.get("checker") or ""),
    }


def reimbursement_documents() -> list[dict[str, Any]]:
    """Each country's note of each shipped reimbursement file as its own document (the file
    with that note alone), validated (``reimbursement_notes_from_dict``)."""
    documents: list[dict[str, Any]] = []
    for path, data in _files(REIMBURSEMENT_DIR):
        try:
            reimbursement_notes_from_dict(data)
        except InvalidInput as error:
            raise ContentFileError(f"{path.name}: {error.field}: {error.message}") from error
        header = {k: v for k, v in data.items() if k != "notes"}
        documents.extend({**header, "notes": [note]} for note in data["notes"])
    return documents


def content_load(*, price_model: Any, note_model: Any, now: Any) -> int:
    """Publish each shipped price list and reimbursement note whose lineage is new (version 1);
    returns rows written. A migration whose model is not governed yet (before costs 0003 for
    prices, 0007 for notes) loads nothing of it and leaves it to the later migration."""
    written = 0
    governed = any(f.name == "status" for f in price_model._meta.get_fields())
    for data in price_files() if governed else []:
        if price_model.objects.filter(key=price_key(data)).exists():
            continue
        price_model.objects.create(
            **price_row_fields(data),
            **review_row_fields(price_model, data),
            number=1,
            status=ContentStatus.PUBLISHED,
            published_at=now,
            loaded_at=now,
        )
        written += 1
    notes_governed = any(f.name == "reimbursement" for f in note_model._meta.get_fields())
    for document in reimbursement_documents() if notes_governed else []:
        if note_model.objects.filter(key=note_key(document)).exists():
            continue
        note_model.objects.create(
            **note_row_fields(document),
            **review_row_fields(note_model, document),
            number=1,
            status=ContentStatus.PUBLISHED,
            published_at=now,
            loaded_at=now,
        )
        written += 1
    return written
