"""The patient notes a plan's calendar prints: governed content (content/patient_notes/), read
from the published versions — the transfusion, contraception and shingles notes and the I2TEAMM
assessment points (§11.2), each where its content says, in the calendar's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from myeloma_core.patient_notes import PATIENT_PLACES, Place, TreatmentFacts, assessment_points
from myeloma_core.regimen import PatientNote
from myeloma_core.vocabulary import Setting
from patient_notes.selectors import PublishedNote, notes_by_place, published_notes

if TYPE_CHECKING:
    from dosing.models import TreatmentPlan

NOTE_TEMPLATE = "dosing/_calendar_note.html"  # one note box, included by the calendar


def _printed(published: PublishedNote, language: str) -> dict[str, Any]:
    text = published.note.text(language)
    return {
        "title": text.title,
        "paragraphs": text.paragraphs,
        "reviewed": text.reviewed,
        "pending": published.note.pending,
    }


def _facts(plan: TreatmentPlan, drugs: set[str]) -> TreatmentFacts:
    """The plan's drugs, its regimen version's settings and the patient texts its supportive
    care names (the clinician wording and its source stay on the clinician screens)."""
    return TreatmentFacts(
        drugs=frozenset(drugs),
        settings=frozenset(Setting(s) for s in plan.regimen_version.definition.get("settings", [])),
        supportive_care=frozenset(
            PatientNote(note["patient_note"])
            for note in plan.computed.get("supportive_care", [])
            if note.get("patient_note")
        ),
    )


def calendar_notes(plan: TreatmentPlan, drugs: set[str], language: str) -> dict[str, Any]:
    """The template's note entries by place, the assessment points dated from the first day of
    treatment, whether a printed translation is not yet reviewed, and the versions used."""
    printed = {
        place: notes
        for place, notes in notes_by_place(_facts(plan, drugs)).items()
        if place in PATIENT_PLACES
    }
    boxes = {
        key: [_printed(published, language) for published in printed[place]]
        for key, place in (
            ("notes_before_contact", Place.CALENDAR_BEFORE_CONTACT),
            ("notes_after_contact", Place.CALENDAR_AFTER_CONTACT),
            ("notes_after_premedication", Place.CALENDAR_AFTER_PREMEDICATION),
        )
    }
    points = [
        {**_printed(published, language), "months": point.months, "month": point.date}
        for published in printed[Place.CALENDAR_CHECK_POINTS]
        if plan.start_date is not None
        for point in assessment_points(published.note, plan.start_date)
    ]
    every = [note for notes in boxes.values() for note in notes] + points
    return {
        **boxes,
        "assessment_points": sorted(points, key=lambda point: point["month"]),
        "unreviewed_note_translation": not all(note["reviewed"] for note in every),
        "note_versions": sorted(p.version_label for notes in printed.values() for p in notes),
    }


def calendar_note_versions() -> list[str]:
    """Every published note's version: part of the calendar's revision (a publication prints)."""
    return [published.version_label for published in published_notes()]
