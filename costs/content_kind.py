"""Price lists and reimbursement notes as governed content: the adapters the one workflow
(``governance.actions``) uses.

A price version's document is its file of content/prices/ (one drug in one country, its vials
and their prices, with source and date); ``myeloma_core.cost_schema.price_list_from_dict``
validates it before anything is stored. A reimbursement note's document is its file of
content/reimbursement/ with that one country's note (``reimbursement_notes_from_dict``). Either
lineage is the drug and country (``isatuximab-NO``); only the published version is read
(``costs.selectors``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from costs.content import (
    note_key,
    note_row_fields,
    price_files,
    price_key,
    price_row_fields,
    reimbursement_documents,
    review_row_fields,
)
from costs.models import DrugPrice, ReimbursementNote
from costs.selectors import price_lists_published, reimbursement_notes
from governance.actions import history_save
from governance.kinds import ContentInvalid, ContentKind
from governance.models import ContentStatus
from myeloma_core.cost import PriceList
from myeloma_core.cost_schema import price_list_from_dict, reimbursement_notes_from_dict
from myeloma_core.errors import InvalidInput


def _problems(document: Mapping[str, Any], key: str) -> tuple[str, ...]:
    try:
        price_list_from_dict(document)
    except InvalidInput as error:
        return (f"{error.field}: {error.message}",)
    if price_key(document) != key:
        return (f"drug, country: this is the price list {price_key(document)!r}, not {key!r}",)
    return ()


class PriceKind(ContentKind):
    name = "prices"
    label = _("price list")
    label_plural = _("price lists")
    model = DrugPrice
    lineage_field = "key"
    number_field = "number"
    document_label = _("Price list (YAML)")
    preview_template = "costs/content/price_preview.html"
    preview_link_label = _("Preview its vial prices")

    def lineage_key(self, version: DrugPrice) -> str:
        return version.key

    def title(self, version: DrugPrice) -> str:
        return f"{version.drug} ({version.country}, {version.currency})"

    def published_domain(self) -> dict[str, PriceList]:
        return {f"{p.drug}-{p.country}": p for p in price_lists_published()}

    def copy_as_draft(self, base: DrugPrice, *, number: int, user: User) -> DrugPrice:
        fields = price_row_fields(base.as_content())
        return DrugPrice(**fields | {"author": user.get_username()}, number=number)

    def copy_children(self, base: DrugPrice, draft: DrugPrice, *, user: User, reason: str) -> None:
        """A price list has no child rows: it is one document."""

    def document(self, version: DrugPrice) -> dict[str, Any]:
        return version.as_content()

    def document_apply(
        self, version: DrugPrice, document: Mapping[str, Any], *, user: User, reason: str
    ) -> None:
        problems = _problems(document, version.key)
        if problems:
            raise ContentInvalid(problems)
        for name, value in price_row_fields(document).items():
            setattr(version, name, value)

    def recognises(self, document: Mapping[str, Any]) -> bool:
        return "vials" in document and "currency" in document

    def shipped_load(self) -> int:
        """Each shipped price list that differs from every version of its lineage, as a draft."""
        added = 0
        for data in price_files():
            versions = DrugPrice.objects.filter(key=price_key(data))
            fields = price_row_fields(data)
            if any(price_row_fields(v.as_content()) == fields for v in versions):
                continue
            number = (versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
            draft = DrugPrice(
                **fields,
                **review_row_fields(DrugPrice, data),
                number=number,
                status=ContentStatus.DRAFT,
                base=versions.filter(status=ContentStatus.PUBLISHED).first(),
            )
            history_save(draft, user=None, reason="Shipped content loaded as a draft")
            added += 1
        return added

    def validate(self, version: DrugPrice) -> tuple[str, ...]:
        return tuple(f"Price list: {p}" for p in _problems(version.as_content(), version.key))

    def preview_context(self, version: DrugPrice) -> dict[str, Any]:
        problems = self.validate(version)
        return {"problems": problems, "prices": None if problems else version.to_domain()}


def _note_problems(document: Mapping[str, Any], key: str) -> tuple[str, ...]:
    try:
        notes = reimbursement_notes_from_dict(document)
    except InvalidInput as error:
        return (f"{error.field}: {error.message}",)
    if len(notes) != 1:
        return ("notes: a reimbursement note version holds one country's note.",)
    if note_key(document) != key:
        return (f"drug, country: this is the note {note_key(document)!r}, not {key!r}",)
    return ()


class ReimbursementKind(ContentKind):
    name = "reimbursement"
    label = _("reimbursement note")
    label_plural = _("reimbursement notes")
    model = ReimbursementNote
    lineage_field = "key"
    number_field = "number"
    document_label = _("Reimbursement note (YAML)")
    preview_template = "costs/content/reimbursement_preview.html"
    preview_link_label = _("Preview the note")

    def lineage_key(self, version: ReimbursementNote) -> str:
        return version.key

    def title(self, version: ReimbursementNote) -> str:
        return f"{version.drug} ({version.country}): {version.reimbursement}"

    def published_domain(self) -> dict[str, ReimbursementNote]:
        return {note.key: note for note in reimbursement_notes()}

    def copy_as_draft(
        self, base: ReimbursementNote, *, number: int, user: User
    ) -> ReimbursementNote:
        fields = note_row_fields(base.as_content())
        return ReimbursementNote(**fields | {"author": user.get_username()}, number=number)

    def copy_children(
        self, base: ReimbursementNote, draft: ReimbursementNote, *, user: User, reason: str
    ) -> None:
        """A reimbursement note has no child rows: it is one document."""

    def document(self, version: ReimbursementNote) -> dict[str, Any]:
        return version.as_content()

    def document_apply(
        self, version: ReimbursementNote, document: Mapping[str, Any], *, user: User, reason: str
    ) -> None:
        problems = _note_problems(document, version.key)
        if problems:
            raise ContentInvalid(problems)
        fields = note_row_fields(document) | {"author": version.author, "checker": version.checker}
        for name, value in fields.items():
            setattr(version, name, value)

    def recognises(self, document: Mapping[str, Any]) -> bool:
        return "notes" in document and "drug" in document

    def shipped_load(self) -> int:
        """Each shipped note that differs from every version of its lineage, as a draft."""
        added = 0
        for document in reimbursement_documents():
            versions = ReimbursementNote.objects.filter(key=note_key(document))
            if any(
                v.as_content() == ReimbursementNote(**note_row_fields(document)).as_content()
                for v in versions
            ):
                continue
            number = (versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
            draft = ReimbursementNote(
                **note_row_fields(document),
                **review_row_fields(ReimbursementNote, document),
                number=number,
                status=ContentStatus.DRAFT,
                base=versions.filter(status=ContentStatus.PUBLISHED).first(),
            )
            history_save(draft, user=None, reason="Shipped content loaded as a draft")
            added += 1
        return added

    def validate(self, version: ReimbursementNote) -> tuple[str, ...]:
        problems = _note_problems(version.as_content(), version.key)
        return tuple(f"Reimbursement note: {p}" for p in problems)

    def preview_context(self, version: ReimbursementNote) -> dict[str, Any]:
        return {"problems": self.validate(version)}
