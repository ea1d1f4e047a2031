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

import yaml

from myeloma_core.cost import price_list_from_dict, reimbursement_notes_from_dict
from myeloma_core.errors import InvalidInput

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
PRICES_DIR = CONTENT_DIR / "prices"
REIMBURSEMENT_DIR = CONTENT_DIR / "reimbursement"


class ContentFileError(ValueError):
    """A shipped file the domain refused: names the file and the field."""


def _files(directory: Path) -> list[tuple[Path, Any]]:
    out = []
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            out.append((path, yaml.safe_load(handle)))
    return out


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


def content_load(*, price_model: Any, note_model: Any, now: Any) -> int:
    """Publish each shipped price list whose lineage is new, and insert or update every
    reimbursement note; returns rows written. Before the price lists were governed (costs
    0003) the prices are left to the later migration."""
    written = 0
    governed = any(f.name == "status" for f in price_model._meta.get_fields())
    for data in price_files() if governed else []:
        if price_model.objects.filter(key=price_key(data)).exists():
            continue
        price_model.objects.create(
            **price_row_fields(data), number=1, status="published", published_at=now, loaded_at=now
        )
        written += 1
    for path, data in _files(REIMBURSEMENT_DIR):
        try:
            notes = reimbursement_notes_from_dict(data)
        except InvalidInput as error:
            raise ContentFileError(f"{path.name}: {error.field}: {error.message}") from error
        for note in notes:
            note_model.objects.update_or_create(
                drug=note.drug,
                country=note.country,
                defaults={
                    "status": note.status,
                    "note": note.note,
                    "source": note.source,
                    "source_date": note.source_date,
                    "verification": note.verification,
                    "verification_note": note.verification_note,
                    "loaded_at": now,
                },
            )
            written += 1
    return written
