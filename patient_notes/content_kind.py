"""Patient and staff notes as governed content: the adapter the one workflow
(``governance.actions``) uses.

A version's document is one file of content/patient_notes/ — the note and its golden cases;
``myeloma_core.patient_notes`` validates the note (every calendar language for a patient note)
and runs the golden cases (treatments it must or must not be printed for, with the dates of
assessment points worked out by hand) before anything is stored or published.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from governance.actions import history_save
from governance.kinds import ContentInvalid, ContentKind
from governance.models import ContentStatus
from myeloma_core.patient_notes import Note, NoteContentError, note_golden_case_failures
from patient_notes.content import (
    GOLDEN_CASES,
    document_split,
    note_parse,
    note_row_fields,
    shipped_notes,
)
from patient_notes.models import PatientNoteVersion
from patient_notes.selectors import published_notes


def _problems(document: Mapping[str, Any], key: str) -> tuple[str, ...]:
    try:
        note, cases = document_split(document)
        parsed = note_parse(note)
    except NoteContentError as error:
        return (str(error),)
    if parsed.id != key:
        return (f"id: this document is the note {parsed.id!r}, not {key!r}",)
    return tuple(f"Golden case: {f}" for f in note_golden_case_failures(parsed, cases))


class PatientNoteKind(ContentKind):
    name = "patient_notes"
    label = _("patient or staff note")
    label_plural = _("patient and staff notes")
    model = PatientNoteVersion
    lineage_field = "key"
    number_field = "number"
    document_label = _("Note (YAML)")
    preview_template = "patient_notes/content/note_preview.html"
    preview_link_label = _("Preview the note in every language")

    def lineage_key(self, version: PatientNoteVersion) -> str:
        return version.key

    def title(self, version: PatientNoteVersion) -> str:
        english = (version.document.get("text") or {}).get("en") or {}
        return str(english.get("title") or version.key)

    def published_domain(self) -> dict[str, Note]:
        return {published.note.id: published.note for published in published_notes()}

    def copy_as_draft(
        self, base: PatientNoteVersion, *, number: int, user: User
    ) -> PatientNoteVersion:
        # The author is the document's (``author``): an editor who rewrites the note says so.
        return PatientNoteVersion(
            **note_row_fields(base.document), number=number, golden_cases=base.golden_cases
        )

    def copy_children(
        self, base: PatientNoteVersion, draft: PatientNoteVersion, *, user: User, reason: str
    ) -> None:
        """A note has no child rows: it is one document."""

    def document(self, version: PatientNoteVersion) -> dict[str, Any]:
        return {**version.document, GOLDEN_CASES: list(version.golden_cases or [])}

    def document_apply(
        self,
        version: PatientNoteVersion,
        document: Mapping[str, Any],
        *,
        user: User,
        reason: str,
    ) -> None:
        problems = _problems(document, version.key)
        if problems:
            raise ContentInvalid(problems)
        note, cases = document_split(document)
        for name, value in note_row_fields(note).items():
            setattr(version, name, value)
        version.golden_cases = cases

    def recognises(self, document: Mapping[str, Any]) -> bool:
        return document.get("kind") == "patient_note"

    def shipped_load(self) -> int:
        """Each shipped note that differs from every version of its lineage, as a draft."""
        added = 0
        for document, cases, review in shipped_notes():
            fields = note_row_fields(document)
            versions = PatientNoteVersion.objects.filter(key=fields["key"])
            if any(v.document == document and v.golden_cases == cases for v in versions):
                continue
            number = (versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
            draft = PatientNoteVersion(
                **fields,
                number=number,
                status=ContentStatus.DRAFT,
                base=versions.filter(status=ContentStatus.PUBLISHED).first(),
                golden_cases=cases,
                checked_by=review.checked_by,
                date_reviewed=review.date_reviewed,
            )
            history_save(draft, user=None, reason="Shipped content loaded as a draft")
            added += 1
        return added

    def validate(self, version: PatientNoteVersion) -> tuple[str, ...]:
        """The domain must read the note, and every golden case must give its result."""
        return tuple(f"Note: {p}" for p in _problems(self.document(version), version.key))

    def preview_context(self, version: PatientNoteVersion) -> dict[str, Any]:
        problems = self.validate(version)
        texts = [] if problems else list(note_parse(version.document).texts.values())
        return {"problems": problems, "texts": texts}
