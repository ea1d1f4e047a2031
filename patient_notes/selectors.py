"""The notes in force: the published version of each note, read by the calendar, the worksheet
and the staging page. Published versions never change (``governance.triggers``), so their ids
and publication times identify the set: one query per read, parsed again only after a change."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from governance.models import ContentStatus
from myeloma_core.patient_notes import Note, Place, TreatmentFacts, note_applies
from patient_notes.content import note_parse
from patient_notes.models import PatientNoteVersion


@dataclass(frozen=True, slots=True)
class PublishedNote:
    """A note in force and the version it is (printed documents record which they used)."""

    note: Note
    number: int

    @property
    def version_label(self) -> str:
        return f"{self.note.id} v{self.number}"


def published_notes() -> tuple[PublishedNote, ...]:
    """Every published note, ordered by id."""
    published = PatientNoteVersion.objects.filter(status=ContentStatus.PUBLISHED)
    return _published(tuple(published.order_by("pk").values_list("pk", "published_at")))


@lru_cache(maxsize=8)
def _published(versions: tuple[tuple[int, Any], ...]) -> tuple[PublishedNote, ...]:
    rows = PatientNoteVersion.objects.filter(pk__in=[pk for pk, _at in versions])
    return tuple(
        PublishedNote(note_parse(row.document), row.number) for row in rows.order_by("key")
    )


def notes_by_place(facts: TreatmentFacts) -> dict[Place, list[PublishedNote]]:
    """The published notes that apply to this treatment, per place (every place listed),
    ordered by id (one query)."""
    places: dict[Place, list[PublishedNote]] = {place: [] for place in Place}
    for published in published_notes():
        if note_applies(published.note, facts):
            places[published.note.place].append(published)
    return places


def notes_for(place: Place, facts: TreatmentFacts) -> list[PublishedNote]:
    """The published notes of ``place`` that apply to this treatment, ordered by id."""
    return notes_by_place(facts)[place]
