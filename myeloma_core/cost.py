"""Drug cost and vial waste of a plan from a country's vial prices.

The vials for each dose are chosen by the one vial rule of the dosing module (X6: least waste,
then — with prices — the lowest cost, then the fewest vials; domain reference §18 X6, [DERIVED]).
Prices are content (``content/prices/``), each list with its source, date and verification; the
shipped ones are the seed's country notes (*Framingham on multiple myeloma*, Oct 2025: Norway
isatuximab 100 mg kr 7 908,50 and 500 mg kr 39 397,30; Finland 558,04 € and 2 790,18 €).
Money is :class:`~decimal.Decimal`, never float.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from myeloma_core.dosing import vial_breakdown
from myeloma_core.errors import InvalidInput
from myeloma_core.vocabulary import Verification

__all__ = [
    "AdministrationCost",
    "PlanCost",
    "PriceList",
    "ReimbursementNote",
    "VialPrice",
    "VialsOpened",
    "administration_cost",
    "money_format",
    "plan_cost",
    "price_list_from_dict",
    "reimbursement_notes_from_dict",
]

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
_PRICE = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_VERIFICATIONS = tuple(v.value for v in Verification)
_TEXT_FIELDS = ("drug", "source", "source_date", "verification_note", "author", "checker")


@dataclass(frozen=True, slots=True, kw_only=True)
class VialPrice:
    strength_mg: Decimal
    price: Decimal
    pack: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceList:
    """One drug's vial prices in one country (ISO 3166-1 alpha-2) and currency (ISO 4217)."""

    drug: str
    country: str
    currency: str
    vials: tuple[VialPrice, ...]
    source: str
    source_date: str
    verification: str
    verification_note: str = ""
    author: str = ""
    checker: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class VialsOpened:
    strength_mg: Decimal
    count: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class AdministrationCost:
    """One dose: the vials opened, the drug given and discarded, and what the vials cost."""

    vials: tuple[VialsOpened, ...]
    opened_mg: Decimal
    given_mg: Decimal
    discarded_mg: Decimal
    discarded_percent: Decimal
    cost: Decimal
    currency: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanCost:
    """Every administration of one drug in a plan, and their sums."""

    drug: str
    currency: str
    administrations: tuple[AdministrationCost, ...]
    vials: tuple[VialsOpened, ...]
    opened_mg: Decimal
    given_mg: Decimal
    discarded_mg: Decimal
    discarded_percent: Decimal
    cost: Decimal


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(field, message)


def price_list_from_dict(data: Mapping[str, Any]) -> PriceList:
    """Validate one price file; every error names the field and what is accepted."""
    for field in ("drug", "source", "source_date"):
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            raise _invalid(field, f"{field} is required (text).")
    for field in _TEXT_FIELDS:
        if field in data and not isinstance(data[field], str):
            raise _invalid(field, f"{field} must be text.")
    country = data.get("country")
    if not isinstance(country, str) or not _COUNTRY.match(country):
        raise _invalid(
            "country",
            f"country must be an ISO 3166-1 alpha-2 code in capitals, quoted in YAML "
            f'(e.g. "NO", "FI"); got {country!r}.',
        )
    currency = data.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.match(currency):
        raise _invalid(
            "currency", f"currency must be an ISO 4217 code (e.g. NOK, EUR); got {currency!r}."
        )
    verification = data.get("verification")
    if verification not in _VERIFICATIONS:
        raise _invalid("verification", f"verification must be one of {_VERIFICATIONS}.")
    raw_vials = data.get("vials")
    if not isinstance(raw_vials, list) or not raw_vials:
        raise _invalid("vials", "vials must list at least one vial strength with its price.")
    vials: list[VialPrice] = []
    for index, raw in enumerate(raw_vials):
        field = f"vials.{index}"
        if not isinstance(raw, Mapping):
            raise _invalid(field, "each vial needs strength_mg, pack and price.")
        strength = raw.get("strength_mg")
        if not isinstance(strength, int) or isinstance(strength, bool) or not 0 < strength <= 10000:
            raise _invalid(
                f"{field}.strength_mg", "strength_mg must be a whole number of mg, 1–10000."
            )
        price = raw.get("price")
        if not isinstance(price, str) or not _PRICE.match(price) or Decimal(price) <= 0:
            raise _invalid(
                f"{field}.price",
                "price must be a positive amount written as quoted text with at most two "
                'decimals (e.g. "7908.50"), so it is never read as a binary float.',
            )
        pack = raw.get("pack", "")
        if not isinstance(pack, str):
            raise _invalid(f"{field}.pack", "pack must be text.")
        vials.append(VialPrice(strength_mg=Decimal(strength), price=Decimal(price), pack=pack))
    strengths = [v.strength_mg for v in vials]
    if len(set(strengths)) != len(strengths):
        raise _invalid("vials", "each vial strength may be priced once.")
    return PriceList(
        drug=data["drug"],
        country=country,
        currency=currency,
        vials=tuple(sorted(vials, key=lambda v: v.strength_mg, reverse=True)),
        source=data["source"],
        source_date=data["source_date"],
        verification=verification,
        verification_note=data.get("verification_note", ""),
        author=data.get("author", ""),
        checker=data.get("checker", ""),
    )


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    if whole == 0:
        return Decimal("0.0")
    return (part * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


def administration_cost(dose_mg: float, prices: PriceList) -> AdministrationCost:
    """The vials for one dose (X6 with cost as tie-breaker), the drug discarded and the cost.

    The discarded share is of the drug opened: 720 mg from 1 × 500 + 3 × 100 mg opens 800 mg and
    discards 80 mg (10.0 %).
    """
    unit_price = {v.strength_mg: v.price for v in prices.vials}
    breakdown = vial_breakdown(dose_mg, [float(s) for s in unit_price], vial_prices=unit_price)
    opened = tuple(
        VialsOpened(
            strength_mg=Decimal(repr(v.strength_mg)),
            count=v.count,
            unit_price=unit_price[Decimal(repr(v.strength_mg))],
        )
        for v in breakdown.vials
    )
    opened_mg = Decimal(repr(breakdown.total_mg))
    discarded_mg = Decimal(repr(breakdown.waste_mg))
    cost = sum((v.count * v.unit_price for v in opened), Decimal(0)).quantize(CENT)
    return AdministrationCost(
        vials=opened,
        opened_mg=opened_mg,
        given_mg=opened_mg - discarded_mg,
        discarded_mg=discarded_mg,
        discarded_percent=_percent(discarded_mg, opened_mg),
        cost=cost,
        currency=prices.currency,
    )


def plan_cost(doses_mg: Sequence[float], prices: PriceList) -> PlanCost:
    """Each dose of ``prices.drug`` in a plan, and the totals (vials by strength, mg, cost)."""
    administrations = tuple(administration_cost(dose, prices) for dose in doses_mg)
    counts: dict[Decimal, int] = {}
    for adm in administrations:
        for vial in adm.vials:
            counts[vial.strength_mg] = counts.get(vial.strength_mg, 0) + vial.count
    unit_price = {v.strength_mg: v.price for v in prices.vials}
    opened_mg = sum((a.opened_mg for a in administrations), Decimal(0))
    discarded_mg = sum((a.discarded_mg for a in administrations), Decimal(0))
    return PlanCost(
        drug=prices.drug,
        currency=prices.currency,
        administrations=administrations,
        vials=tuple(
            VialsOpened(strength_mg=s, count=counts[s], unit_price=unit_price[s])
            for s in sorted(counts, reverse=True)
        ),
        opened_mg=opened_mg,
        given_mg=opened_mg - discarded_mg,
        discarded_mg=discarded_mg,
        discarded_percent=_percent(discarded_mg, opened_mg),
        cost=sum((a.cost for a in administrations), Decimal(0)).quantize(CENT),
    )


def _grouped(amount: Decimal) -> str:
    """``63122.80`` → ``63 122,80``: Norwegian and Finnish group thousands with a space and
    write a decimal comma (Språkrådet; Kielitoimisto)."""
    whole, cents = f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):.2f}".split(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{' '.join(groups)},{cents}"


def money_format(amount: Decimal, currency: str) -> str:
    """Money as the clinic reads it: ``kr 63 122,80`` (NOK), ``558,04 €`` (EUR).

    Other currencies: the grouped amount and the ISO code (``1 234,50 SEK``).
    """
    number = _grouped(amount)
    if currency == "NOK":
        return f"kr {number}"
    if currency == "EUR":
        return f"{number} €"
    return f"{number} {currency}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReimbursementNote:
    """Whether a drug is reimbursed in one country, with the source it was read from."""

    drug: str
    country: str
    status: str
    note: str
    source: str
    source_date: str
    verification: str
    verification_note: str = ""


def reimbursement_notes_from_dict(data: Mapping[str, Any]) -> tuple[ReimbursementNote, ...]:
    """Validate one reimbursement file (one drug, a note per country)."""
    for field in ("drug", "source", "source_date"):
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            raise _invalid(field, f"{field} is required (text).")
    verification = data.get("verification")
    if verification not in _VERIFICATIONS:
        raise _invalid("verification", f"verification must be one of {_VERIFICATIONS}.")
    raw_notes = data.get("notes")
    if not isinstance(raw_notes, list) or not raw_notes:
        raise _invalid("notes", "notes must list at least one country.")
    notes: list[ReimbursementNote] = []
    for index, raw in enumerate(raw_notes):
        field = f"notes.{index}"
        if not isinstance(raw, Mapping):
            raise _invalid(field, "each note needs country, status and note.")
        country = raw.get("country")
        if not isinstance(country, str) or not _COUNTRY.match(country):
            raise _invalid(
                f"{field}.country",
                f"country must be an ISO 3166-1 alpha-2 code, quoted in YAML; got {country!r}.",
            )
        for name in ("status", "note"):
            if not isinstance(raw.get(name), str) or not raw[name].strip():
                raise _invalid(f"{field}.{name}", f"{name} is required (text).")
        notes.append(
            ReimbursementNote(
                drug=data["drug"],
                country=country,
                status=raw["status"],
                note=raw["note"],
                source=data["source"],
                source_date=data["source_date"],
                verification=verification,
                verification_note=str(data.get("verification_note", "")),
            )
        )
    countries = [n.country for n in notes]
    if len(set(countries)) != len(countries):
        raise _invalid("notes", "each country may have one note per drug.")
    return tuple(notes)
