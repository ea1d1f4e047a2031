"""Blood counts and their units for toxicity grading — domain-reference §1 U5, U8, §22.

Neutrophils and platelets in ×10⁹/L or cells per µL, haemoglobin in g/L, g/dL or mmol/L; a value
impossible in its unit but plausible in the other is named as a likely unit mix-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from myeloma_core.errors import InvalidInput
from myeloma_core.units import Analyte, exact, format_number, lab_value

# --------------------------------------------------------------------------------------------------
# Blood counts and their units (U5, U8)
# --------------------------------------------------------------------------------------------------


class Term(StrEnum):
    NEUTROPHILS = "neutrophils"
    PLATELETS = "platelets"
    HAEMOGLOBIN = "haemoglobin"


COUNT_UNIT = "10^9/L"
PER_MICROLITRE = "/uL"
# U8: 1 /mm³ = 1 /µL; cells/µL × 10⁻³ = ×10⁹/L.
COUNT_UNIT_ALIASES = {
    "10^9/L": COUNT_UNIT,
    "x10^9/L": COUNT_UNIT,
    "×10⁹/L": COUNT_UNIT,
    "/uL": PER_MICROLITRE,
    "/µL": PER_MICROLITRE,
    "/μL": PER_MICROLITRE,
    "/mm3": PER_MICROLITRE,
    "/mm³": PER_MICROLITRE,
}
_PER_MICROLITRE_FACTOR = Decimal(1000)
# Plausible counts in ×10⁹/L (typing errors, not clinical judgement): zero neutrophils exist.
_COUNT_MAXIMUM = {Term.NEUTROPHILS: Decimal(100), Term.PLATELETS: Decimal(3000)}
TERM_LABELS = {
    Term.NEUTROPHILS: "neutrophil count",
    Term.PLATELETS: "platelet count",
    Term.HAEMOGLOBIN: "haemoglobin",
}
HAEMOGLOBIN_UNIT = "g/L"


@dataclass(frozen=True, slots=True, kw_only=True)
class Count:
    """A blood count as entered (value and unit) and in the unit of the CTCAE table."""

    term: Term
    value: float
    unit: str
    in_table_unit: Decimal

    def describe(self) -> str:
        shown = f"{format_number(self.value)} {unit_label(self.unit)}"
        if self.unit in (COUNT_UNIT, HAEMOGLOBIN_UNIT):
            return shown
        table_unit = HAEMOGLOBIN_UNIT if self.term is Term.HAEMOGLOBIN else COUNT_UNIT
        return f"{shown} ({format_number(self.in_table_unit)} {unit_label(table_unit)})"


def unit_label(unit: str) -> str:
    return {COUNT_UNIT: "×10⁹/L", PER_MICROLITRE: "/µL"}.get(unit, unit)


def count(term: Term | str, value: Any, unit: Any, *, field: str | None = None) -> Count:
    """A validated count: neutrophils/platelets in ×10⁹/L or /µL, haemoglobin g/L, g/dL, mmol/L.

    A value that is impossible in its unit but plausible in the other is named as a likely unit
    mix-up (api-v1 conventions).
    """
    term = Term(term)
    field = field or term.value
    label = TERM_LABELS[term]
    if term is Term.HAEMOGLOBIN:
        lab = lab_value(Analyte.HAEMOGLOBIN, value, unit, field=field, label=label)
        return Count(
            term=term, value=lab.value, unit=lab.unit, in_table_unit=lab.exact_in(HAEMOGLOBIN_UNIT)
        )
    canonical = COUNT_UNIT_ALIASES.get(unit.strip()) if isinstance(unit, str) else None
    maximum = _COUNT_MAXIMUM[term]
    accepted = (
        f"from 0 to {format_number(maximum)} ×10⁹/L "
        f"(0 to {format_number(maximum * _PER_MICROLITRE_FACTOR)} /µL)"
    )
    if canonical is None:
        raise InvalidInput(
            field,
            f"The {label} must be entered in ×10⁹/L ('10^9/L') or cells per µL ('/uL'); got the "
            f"unit {unit!r}. Accepted range: {accepted}.",
        )
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(field, f"The {label} must be a number {accepted}; got {value!r}.")
    if not math.isfinite(value):
        raise InvalidInput(field, f"The {label} must be a finite number {accepted}; got {value}.")
    number = exact(value)
    in_table = number if canonical == COUNT_UNIT else number / _PER_MICROLITRE_FACTOR
    if in_table < 0 or in_table > maximum:
        message = (
            f"The {label} must be {accepted}; got {format_number(number)} {unit_label(canonical)}."
        )
        if canonical == COUNT_UNIT and number / _PER_MICROLITRE_FACTOR <= maximum:
            message += (
                f" Was it entered in /µL? {format_number(number)} /µL is "
                f"{format_number(number / _PER_MICROLITRE_FACTOR)} ×10⁹/L."
            )
        raise InvalidInput(field, message)
    return Count(term=term, value=float(value), unit=canonical, in_table_unit=in_table)
