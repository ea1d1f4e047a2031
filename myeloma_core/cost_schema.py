"""Price lists and reimbursement notes → :mod:`myeloma_core.cost` types: the schema of the files
in ``content/prices/`` and ``content/reimbursement/`` (pydantic).

Strict types, no unknown keys, and the rules that keep money exact: a price is quoted text with
at most two decimals, never a binary float; a country is an ISO 3166-1 alpha-2 code in capitals
(YAML reads an unquoted ``NO`` as ``false``, so the message says to quote it); a currency is an
ISO 4217 code. A problem raises :class:`~myeloma_core.errors.InvalidInput` with the path of the
offending value (``vials[0].price``) and what is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import Field, PlainValidator, ValidationError, model_validator

from myeloma_core.content_schema import (
    ContentModel,
    OptionalText,
    ReviewedModel,
    Text,
    content_problem,
    echo,
    located,
    problem,
)
from myeloma_core.cost import PriceList, ReimbursementNote, VialPrice
from myeloma_core.errors import InvalidInput
from myeloma_core.vocabulary import Verification

__all__ = ["price_list_from_dict", "reimbursement_notes_from_dict"]

MAX_STRENGTH_MG = 10000

_PRICE = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _price(value: Any) -> Decimal:
    if not isinstance(value, str) or not _PRICE.match(value) or Decimal(value) <= 0:
        raise problem(
            "price must be a positive amount written as quoted text with at most two decimals"
            ' (e.g. "7908.50"), so it is never read as a binary float.'
        )
    return Decimal(value)


def _country(value: Any) -> str:
    if not isinstance(value, str) or not _COUNTRY.match(value):
        raise problem(
            "country must be an ISO 3166-1 alpha-2 code in capitals, quoted in YAML"
            f' (e.g. "NO", "FI"); got {echo(value)}.'
        )
    return value


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise problem(f"currency must be an ISO 4217 code (e.g. NOK, EUR); got {echo(value)}.")
    return value


Country = Annotated[str, PlainValidator(_country)]
Currency = Annotated[str, PlainValidator(_currency)]
Price = Annotated[Decimal, PlainValidator(_price)]


class VialPriceModel(ContentModel):
    strength_mg: Annotated[int, Field(ge=1, le=MAX_STRENGTH_MG)]
    price: Price
    pack: OptionalText = ""

    def to_domain(self) -> VialPrice:
        return VialPrice(strength_mg=Decimal(self.strength_mg), price=self.price, pack=self.pack)


class PriceListModel(ReviewedModel):
    """One drug's vial prices in one country and currency, with its source and date."""

    drug: Text
    country: Country
    currency: Currency
    vials: Annotated[list[VialPriceModel], Field(min_length=1)]
    source: Text
    source_date: Text
    verification_note: OptionalText | None = None
    author: OptionalText | None = None
    checker: OptionalText | None = None

    @model_validator(mode="after")
    def _strengths_once(self) -> Self:
        strengths = [vial.strength_mg for vial in self.vials]
        if len(set(strengths)) != len(strengths):
            raise located("vials", "each vial strength may be priced once.")
        return self

    def to_domain(self) -> PriceList:
        vials = sorted((v.to_domain() for v in self.vials), key=lambda v: v.strength_mg)
        return PriceList(
            drug=self.drug,
            country=self.country,
            currency=self.currency,
            vials=tuple(reversed(vials)),
            source=self.source,
            source_date=self.source_date,
            verification=Verification(self.verification).value,
            verification_note=self.verification_note or "",
            author=self.author or "",
            checker=self.checker or "",
        )


class CountryNoteModel(ContentModel):
    country: Country
    status: Text
    note: Text


class ReimbursementModel(ReviewedModel):
    """One drug's reimbursement, a note per country, with the source they were read from."""

    drug: Text
    source: Text
    source_date: Text
    verification_note: OptionalText | None = None
    author: OptionalText | None = None
    checker: OptionalText | None = None
    notes: Annotated[list[CountryNoteModel], Field(min_length=1)]

    @model_validator(mode="after")
    def _countries_once(self) -> Self:
        countries = [note.country for note in self.notes]
        if len(set(countries)) != len(countries):
            raise located("notes", "each country may have one note per drug.")
        return self

    def to_domain(self) -> tuple[ReimbursementNote, ...]:
        return tuple(
            ReimbursementNote(
                drug=self.drug,
                country=note.country,
                status=note.status,
                note=note.note,
                source=self.source,
                source_date=self.source_date,
                verification=self.verification.value,
                verification_note=self.verification_note or "",
            )
            for note in self.notes
        )


def _invalid(error: ValidationError) -> InvalidInput:
    path, message = content_problem(error)
    return InvalidInput(path, message)


def price_list_from_dict(data: Mapping[str, Any]) -> PriceList:
    """Validate one price file; every error names the field and what is accepted."""
    try:
        return PriceListModel.model_validate(data).to_domain()
    except ValidationError as error:
        raise _invalid(error) from None


def reimbursement_notes_from_dict(data: Mapping[str, Any]) -> tuple[ReimbursementNote, ...]:
    """Validate one reimbursement file (one drug, a note per country)."""
    try:
        return ReimbursementModel.model_validate(data).to_domain()
    except ValidationError as error:
        raise _invalid(error) from None
