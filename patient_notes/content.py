"""The shipped notes (content/patient_notes/<id>.yaml) and how a note document becomes a row.

A file is one note: its document (validated by ``myeloma_core.patient_notes.note_from_dict``),
its golden cases and who reviewed it. The data migration publishes each as version 1 of its
lineage (``patient_notes_load``); later changes to a file become drafts (``load_content``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

from governance.models import ContentStatus
from governance.shipped import Review, shipped_document
from myeloma_core.patient_notes import Note, NoteContentError, note_from_dict

NOTES_DIR = Path(__file__).resolve().parent.parent / "content" / "patient_notes"
GOLDEN_CASES = "golden_cases"


def note_languages() -> tuple[str, ...]:
    """The calendar's languages: a patient note carries its text in each."""
    return tuple(code for code, _name in settings.LANGUAGES)


def note_parse(document: Mapping[str, Any]) -> Note:
    """The domain note of a document (without its golden cases); raises NoteContentError."""
    return note_from_dict(document, languages=note_languages())


def note_row_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a version shows for its (valid) document."""
    note = note_parse(document)
    return {
        "key": note.id,
        "audience": note.audience.value,
        "place": note.place.value,
        "document": dict(document),
        "verification": note.verification.value,
        "verification_note": note.verification_note,
        "source": note.source,
        "author": note.author,
    }


def document_split(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """A whole note document → (the note, its golden cases), as JSON stores them (a YAML date
    such as ``start_date: 2026-01-31`` becomes its ISO text)."""
    note = json.loads(json.dumps(dict(document), default=_iso))
    cases = note.pop(GOLDEN_CASES, None) or []
    if not isinstance(cases, list):
        raise NoteContentError(GOLDEN_CASES, "must be a list of cases")
    return note, cases


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def shipped_notes() -> list[tuple[dict[str, Any], list[Any], Review]]:
    """Each shipped file as (note document, golden cases, review); its name is the note's id."""
    notes = []
    for path in sorted(NOTES_DIR.glob("*.yaml")):
        whole, review = shipped_document(path)
        document, cases = document_split(whole)
        note = note_parse(document)
        if note.id != path.stem:
            raise NoteContentError(str(path), f"holds the note {note.id!r}, not {path.stem!r}")
        notes.append((document, cases, review))
    return notes


def patient_notes_load(*, note_model: Any, now: Any) -> int:
    """Publish the shipped note of every lineage the database does not have yet (version 1).

    The model class is passed in so the data migration can use its historical model. Returns
    the number of notes added.
    """
    added = 0
    for document, cases, review in shipped_notes():
        fields = note_row_fields(document)
        if note_model.objects.filter(key=fields["key"]).exists():
            continue
        note_model.objects.create(
            **fields,
            number=1,
            status=ContentStatus.PUBLISHED,
            published_at=now,
            golden_cases=cases,
            checked_by=review.checked_by,
            date_reviewed=review.date_reviewed,
        )
        added += 1
    return added
