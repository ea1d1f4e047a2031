"""Lab values with their units — domain-reference §1 (U1–U6) and G2.

A value keeps the unit it was entered in (G2). Conversions use the §1 factors and are done in
decimal arithmetic, so that a value typed exactly at a threshold in one unit lands exactly on the
threshold in the other (1.2 mg/dL = 106.08 µmol/L; 3.5 g/dL = 35 g/L); binary floating point
would put some of those a hair to either side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from myeloma_core.errors import InvalidInput


class Analyte(StrEnum):
    BETA2_MICROGLOBULIN = "beta2_microglobulin"
    ALBUMIN = "albumin"
    CREATININE = "creatinine"
    M_PROTEIN = "m_protein"
    HAEMOGLOBIN = "haemoglobin"
    CALCIUM = "calcium"


ANALYTE_LABELS: dict[Analyte, str] = {
    Analyte.BETA2_MICROGLOBULIN: "β2-microglobulin",
    Analyte.ALBUMIN: "albumin",
    Analyte.CREATININE: "creatinine",
    Analyte.M_PROTEIN: "serum M-protein",
    Analyte.HAEMOGLOBIN: "haemoglobin",
    Analyte.CALCIUM: "calcium",
}

# Canonical unit strings exactly as api-v1 ("Conventions"); the first is the unit the plausible
# range below is written in.
ACCEPTED_UNITS: dict[Analyte, tuple[str, ...]] = {
    Analyte.BETA2_MICROGLOBULIN: ("mg/L",),
    Analyte.ALBUMIN: ("g/L", "g/dL"),
    Analyte.CREATININE: ("umol/L", "mg/dL"),
    Analyte.M_PROTEIN: ("g/L", "g/dL"),
    Analyte.HAEMOGLOBIN: ("g/dL", "g/L", "mmol/L"),
    Analyte.CALCIUM: ("mmol/L", "mg/dL"),
}

UNIT_LABELS: dict[str, str] = {
    "mg/L": "mg/L",
    "g/L": "g/L",
    "g/dL": "g/dL",
    "umol/L": "µmol/L",
    "mg/dL": "mg/dL",
    "mmol/L": "mmol/L",
}

# Spellings accepted on input and normalised: the micro sign (U+00B5) and Greek mu (U+03BC).
UNIT_ALIASES: dict[str, str] = {"µmol/L": "umol/L", "μmol/L": "umol/L"}

# value_in_base = value × numerator / denominator, per analyte and unit (§1).
_ONE = Decimal(1)
_FACTORS: dict[Analyte, dict[str, tuple[Decimal, Decimal]]] = {
    # U3: thresholds are in mg/L; no other unit is accepted.
    Analyte.BETA2_MICROGLOBULIN: {"mg/L": (_ONE, _ONE)},
    # U2: g/L = g/dL × 10.
    Analyte.ALBUMIN: {"g/L": (_ONE, _ONE), "g/dL": (Decimal(10), _ONE)},
    # U1: µmol/L = mg/dL × 88.4.
    Analyte.CREATININE: {"umol/L": (_ONE, _ONE), "mg/dL": (Decimal("88.4"), _ONE)},
    # U6: g/L = g/dL × 10.
    Analyte.M_PROTEIN: {"g/L": (_ONE, _ONE), "g/dL": (Decimal(10), _ONE)},
    # U5: g/L = g/dL × 10; mmol/L = g/dL × 0.6206 (monomer basis; never the tetramer 0.155).
    Analyte.HAEMOGLOBIN: {
        "g/dL": (_ONE, _ONE),
        "g/L": (_ONE, Decimal(10)),
        "mmol/L": (_ONE, Decimal("0.6206")),
    },
    # U4: mmol/L = mg/dL × 0.2495.
    Analyte.CALCIUM: {"mmol/L": (_ONE, _ONE), "mg/dL": (Decimal("0.2495"), _ONE)},
}


@dataclass(frozen=True, slots=True)
class _Range:
    unit: str
    low: Decimal
    low_inclusive: bool
    high: Decimal


# Plausibility ranges (reject typing errors, not clinical judgements), each written in one unit
# and applied to the physical quantity whatever unit it was entered in.
PLAUSIBLE_RANGES: dict[Analyte, _Range] = {
    Analyte.BETA2_MICROGLOBULIN: _Range("mg/L", Decimal(0), False, Decimal(100)),
    Analyte.ALBUMIN: _Range("g/L", Decimal(0), False, Decimal(80)),
    Analyte.CREATININE: _Range("umol/L", Decimal(0), False, Decimal(2000)),
    Analyte.M_PROTEIN: _Range("g/L", Decimal(0), True, Decimal(150)),
    Analyte.HAEMOGLOBIN: _Range("g/L", Decimal(0), False, Decimal(250)),
    Analyte.CALCIUM: _Range("mmol/L", Decimal(0), False, Decimal(6)),
}

# Labels for fields whose name says more than the analyte (used at the start of a sentence).
FIELD_LABELS: dict[str, str] = {
    "calcium_upper_limit_normal": "Calcium upper limit of normal",
    "haemoglobin_lower_limit_normal": "Haemoglobin lower limit of normal",
    "serum_m_protein": "Serum M-protein",
    "m_protein": "Serum M-protein",
    "cytogenetics.del_17p_clonal_fraction_percent": "The del(17p) clonal fraction",
    "clonal_bone_marrow_plasma_cells_percent": "Clonal bone-marrow plasma cells",
    "bone_marrow_plasma_cells_percent": "Clonal bone-marrow plasma cells",
}


def sentence_start(label: str) -> str:
    """``label`` with an upper-case first letter when it is a plain lower-case letter."""
    if label and "a" <= label[0] <= "z":
        return label[0].upper() + label[1:]
    return label


def normalise_unit(unit: str) -> str:
    unit = unit.strip()
    return UNIT_ALIASES.get(unit, unit)


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


def exact(value: float | int | Decimal) -> Decimal:
    """The decimal number a person typed (``repr`` of a float is its shortest decimal form)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value)))


def format_number(value: float | int | Decimal, *, places: int = 4) -> str:
    """A number for people: at most ``places`` decimals, no trailing zeros (40.0 → "40")."""
    number = exact(value)
    # A wide context: an absurd input (1e308) must still print in its error message.
    with localcontext() as context:
        context.prec = 400
        rounded = round(number, places)
        text = format(rounded.normalize(), "f")
    return "0" if text in ("-0", "") else text


def format_near(value: Decimal, threshold: Decimal) -> str:
    """``value`` rounded, with enough decimals that it never *looks* equal to ``threshold``."""
    for places in range(1, 12):
        text = format_number(value, places=places)
        if value == threshold or Decimal(text) != threshold:
            return text
    return format(value.normalize(), "f")


def convert(analyte: Analyte, value: float | Decimal, from_unit: str, to_unit: str) -> Decimal:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (§1 factors), exactly."""
    factors = _FACTORS[analyte]
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    for unit in (source, target):
        if unit not in factors:
            raise InvalidInput(analyte.value, _unit_message(analyte, unit, ANALYTE_LABELS[analyte]))
    num_from, den_from = factors[source]
    num_to, den_to = factors[target]
    return exact(value) * num_from * den_to / (den_from * num_to)


@dataclass(frozen=True, slots=True, kw_only=True)
class LabValue:
    """A lab result as entered: the analyte, the number and its unit (G2)."""

    analyte: Analyte
    value: float
    unit: str

    def exact_in(self, unit: str) -> Decimal:
        """The value in ``unit`` as an exact decimal (for threshold comparisons)."""
        return convert(self.analyte, self.value, self.unit, unit)

    def in_unit(self, unit: str) -> float:
        """The value in ``unit`` with the §1 factors."""
        return float(self.exact_in(unit))

    @property
    def canonical_unit(self) -> str:
        return normalise_unit(self.unit)

    def describe(self, compare_unit: str | None = None) -> str:
        """ "40 g/L", or "40 g/L (4 g/dL)" when the rule compares in another unit."""
        text = f"{format_number(self.value)} {unit_label(self.canonical_unit)}"
        if compare_unit is not None and normalise_unit(compare_unit) != self.canonical_unit:
            converted = format_number(self.exact_in(compare_unit))
            text += f" ({converted} {unit_label(compare_unit)})"
        return text


def _range_text(analyte: Analyte, unit: str) -> str:
    """ "more than 0 and at most 8 g/dL (80 g/L)" — in ``unit``, then in the other units."""
    plausible = PLAUSIBLE_RANGES[analyte]

    def bounds_in(target: str) -> tuple[str, str]:
        low = convert(analyte, plausible.low, plausible.unit, target)
        high = convert(analyte, plausible.high, plausible.unit, target)
        return format_number(low, places=2), format_number(high, places=2)

    low, high = bounds_in(unit)
    lower = "at least" if plausible.low_inclusive else "more than"
    others = [
        f"{bounds_in(other)[1]} {unit_label(other)}"
        for other in ACCEPTED_UNITS[analyte]
        if other != unit
    ]
    text = f"{lower} {low} and at most {high} {unit_label(unit)}"
    if others:
        text += f" ({'; '.join(others)})"
    return text


def _unit_message(analyte: Analyte, unit: str, label: str) -> str:
    accepted = ", ".join(unit_label(u) for u in ACCEPTED_UNITS[analyte])
    message = (
        f"{sentence_start(label)} must be entered in {accepted}; got the unit '{unit}'. "
        f"Accepted range: {_range_text(analyte, ACCEPTED_UNITS[analyte][0])}."
    )
    if analyte is Analyte.BETA2_MICROGLOBULIN and unit in ("g/dL", "g/L", "mg/dL"):
        # U3: some summaries misprint the ISS threshold as "g/dL"; mg/dL × 10 = mg/L.
        message += (
            " β2-microglobulin is reported in mg/L (= µg/mL): the ISS, R-ISS and IMS/IMWG "
            "thresholds (3.5 and 5.5 mg/L) are in mg/L, and 'g/dL' in some summaries is a "
            "misprint. Convert mg/dL × 10 = mg/L."
        )
    return message


def lab_value(
    analyte: Analyte,
    value: float,
    unit: str,
    *,
    field: str | None = None,
    label: str | None = None,
) -> LabValue:
    """A validated ``LabValue``: accepted unit, finite number, plausible range (§1)."""
    field = field or analyte.value
    label = label or FIELD_LABELS.get(field) or ANALYTE_LABELS[analyte]
    canonical = normalise_unit(unit) if isinstance(unit, str) else ""
    if canonical not in ACCEPTED_UNITS[analyte]:
        raise InvalidInput(field, _unit_message(analyte, str(unit), label))
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(
            field,
            f"{sentence_start(label)} must be a number in {unit_label(canonical)} "
            f"({_range_text(analyte, canonical)}); got {value!r}.",
        )
    if not math.isfinite(value):
        raise InvalidInput(
            field,
            f"{sentence_start(label)} must be a finite number in {unit_label(canonical)} "
            f"({_range_text(analyte, canonical)}); got {value}.",
        )
    plausible = PLAUSIBLE_RANGES[analyte]
    in_range_unit = convert(analyte, value, canonical, plausible.unit)
    too_low = (
        in_range_unit < plausible.low if plausible.low_inclusive else in_range_unit <= plausible.low
    )
    if too_low or in_range_unit > plausible.high:
        raise InvalidInput(
            field,
            f"{sentence_start(label)} must be {_range_text(analyte, canonical)}; "
            f"got {format_number(value)} {unit_label(canonical)}.",
        )
    return LabValue(analyte=analyte, value=float(value), unit=canonical)


def check_lab(lab: LabValue | None, analyte: Analyte, field: str) -> LabValue | None:
    """Re-check a ``LabValue`` handed to a rule directly (right analyte, unit and range)."""
    if lab is None:
        return None
    if not isinstance(lab, LabValue) or lab.analyte != analyte:
        raise InvalidInput(field, f"{field} must be a {ANALYTE_LABELS[analyte]} value.")
    return lab_value(analyte, lab.value, lab.unit, field=field)


def percentage(value: float, *, field: str, label: str | None = None) -> float:
    """A percentage from 0 to 100 % inclusive (clonal fractions, plasma cells)."""
    label = label or FIELD_LABELS.get(field) or field.replace("_", " ")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(
            field, f"{sentence_start(label)} must be a percentage from 0 to 100 %; got {value!r}."
        )
    if not math.isfinite(value) or not 0 <= value <= 100:
        shown = format_number(value) if math.isfinite(value) else str(value)
        raise InvalidInput(
            field, f"{sentence_start(label)} must be a percentage from 0 to 100 %; got {shown} %."
        )
    return float(value)


def bounded_number(
    value: float | int,
    *,
    field: str,
    label: str,
    unit: str,
    low: float,
    high: float,
    low_inclusive: bool = True,
) -> float:
    """A finite number in [low, high] (or (low, high] when ``low_inclusive`` is False)."""
    lower = "at least" if low_inclusive else "more than"
    rule = f"{lower} {format_number(low)} and at most {format_number(high)}{unit}"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(field, f"{sentence_start(label)} must be {rule}; got {value!r}.")
    if not math.isfinite(value):
        raise InvalidInput(field, f"{sentence_start(label)} must be {rule}; got {value}.")
    too_low = value < low if low_inclusive else value <= low
    if too_low or value > high:
        raise InvalidInput(
            field, f"{sentence_start(label)} must be {rule}; got {format_number(value)}{unit}."
        )
    return float(value)
