"""Lab values and measurements with their units — domain-reference §1 (U1–U9) and G2.

A value keeps the unit it was entered in (G2). Conversions use the §1 factors and are done in
decimal arithmetic, so that a value typed exactly at a threshold in one unit lands exactly on the
threshold in the other (1.2 mg/dL = 106.08 µmol/L; 3.5 g/dL = 35 g/L); binary floating point
would put some of those a hair to either side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from enum import StrEnum

from myeloma_core.errors import InvalidInput


class Analyte(StrEnum):
    BETA2_MICROGLOBULIN = "beta2_microglobulin"
    ALBUMIN = "albumin"
    CREATININE = "creatinine"
    M_PROTEIN = "m_protein"
    HAEMOGLOBIN = "haemoglobin"
    CALCIUM = "calcium"
    LDH = "ldh"
    FREE_LIGHT_CHAIN = "free_light_chain"
    WEIGHT = "weight"
    HEIGHT = "height"


ANALYTE_LABELS: dict[Analyte, str] = {
    Analyte.BETA2_MICROGLOBULIN: "β2-microglobulin",
    Analyte.ALBUMIN: "albumin",
    Analyte.CREATININE: "creatinine",
    Analyte.M_PROTEIN: "serum M-protein",
    Analyte.HAEMOGLOBIN: "haemoglobin",
    Analyte.CALCIUM: "calcium",
    Analyte.LDH: "LDH",
    Analyte.FREE_LIGHT_CHAIN: "serum free light chain",
    Analyte.WEIGHT: "weight",
    Analyte.HEIGHT: "height",
}

# One table of units: per analyte, each accepted unit (canonical strings exactly as api-v1,
# "Conventions"; the first is the analyte's own) with its factor to the first, §1:
# value_in_first = value × numerator / denominator. Weight and height are entered in kg and cm;
# pounds and inches are here so that a value typed in them is recognised (U9). The accepted
# units, their labels and the conversions are all read from it.
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
    Analyte.LDH: {"U/L": (_ONE, _ONE)},
    # U7: mg/L = mg/dL × 10.
    Analyte.FREE_LIGHT_CHAIN: {"mg/L": (_ONE, _ONE), "mg/dL": (Decimal(10), _ONE)},
    # U9: kg = lb × 0.4536; cm = in × 2.54.
    Analyte.WEIGHT: {"kg": (_ONE, _ONE), "lb": (Decimal("0.4536"), _ONE)},
    Analyte.HEIGHT: {"cm": (_ONE, _ONE), "in": (Decimal("2.54"), _ONE)},
}

ACCEPTED_UNITS: dict[Analyte, tuple[str, ...]] = {
    analyte: tuple(units) for analyte, units in _FACTORS.items()
}

# How a unit is shown: as written in the API, except the micro sign the API spells "u".
UNIT_LABELS: dict[str, str] = {
    unit: unit.replace("umol", "µmol") for units in _FACTORS.values() for unit in units
}

# Spellings accepted on input and normalised: the micro sign (U+00B5) and Greek mu (U+03BC).
UNIT_ALIASES: dict[str, str] = {"µmol/L": "umol/L", "μmol/L": "umol/L"}


@dataclass(frozen=True, slots=True, kw_only=True)
class PlausibleRange:
    """The physiologically possible values of one quantity, in ``unit``, inclusive, with why.

    A plausibility bound, not a reference interval: it refuses what cannot be a human result
    (almost always a value typed in another unit) and admits every low or high value that is
    clinically reported. ``basis`` says where the bounds come from: reference intervals and the
    widest values reported in disease (general clinical knowledge, rounded outward; not from a
    retrieved source — for clinical-lead sign-off).
    """

    analyte: Analyte
    unit: str
    low: Decimal
    high: Decimal
    basis: str


# One row per quantity, written in its first accepted unit; in the other units the bounds are the
# converted ones rounded outward to 2 decimals (creatinine 10–2,000 µmol/L = 0.11–22.63 mg/dL), so
# the range a message shows is exactly the range that is checked.
PLAUSIBLE_RANGES: dict[Analyte, PlausibleRange] = {
    row.analyte: row
    for row in (
        PlausibleRange(
            analyte=Analyte.CREATININE,
            unit="umol/L",
            low=Decimal(10),
            high=Decimal(2000),
            basis="Adult reference intervals start near 45 µmol/L (0.5 mg/dL); very low muscle "
            "mass (a frail, cachectic old woman) gives 20–30 µmol/L. Untreated end-stage kidney "
            "failure and myeloma cast nephropathy reach about 1,500 µmol/L (17 mg/dL). Values "
            "below 10 or above 2,000 µmol/L are not reported in living adults.",
        ),
        PlausibleRange(
            analyte=Analyte.ALBUMIN,
            unit="g/L",
            low=Decimal(10),
            high=Decimal(60),
            basis="Reference interval about 35–50 g/L (3.5–5.0 g/dL); severe nephrotic syndrome, "
            "AL amyloidosis or malnutrition reach 10–15 g/L; haemoconcentration rarely exceeds "
            "55 g/L. Below 10 g/L (1 g/dL) or above 60 g/L (6 g/dL) is not a serum albumin.",
        ),
        PlausibleRange(
            analyte=Analyte.BETA2_MICROGLOBULIN,
            unit="mg/L",
            low=Decimal("0.2"),
            high=Decimal(150),
            basis="Reference interval about 0.8–2.4 mg/L; assays measure down to about 0.2 mg/L. "
            "Myeloma with kidney failure and dialysis patients reach 50–100 mg/L. mg/L only "
            "(U3): a value in mg/dL or µg/L does not fit this range.",
        ),
        PlausibleRange(
            analyte=Analyte.HAEMOGLOBIN,
            unit="g/L",
            low=Decimal(20),
            high=Decimal(250),
            basis="Survival is reported with haemoglobin down to about 20–30 g/L in severe "
            "anaemia (45 g/L is seen in myeloma); polycythaemia rarely exceeds 240 g/L. "
            "20–250 g/L = 2–25 g/dL = 1.24–15.52 mmol/L (U5).",
        ),
        PlausibleRange(
            analyte=Analyte.CALCIUM,
            unit="mmol/L",
            low=Decimal(1),
            high=Decimal(6),
            basis="Total serum calcium: reference interval about 2.15–2.55 mmol/L; severe "
            "hypocalcaemia rarely falls below 1.2 mmol/L and hypercalcaemic crisis rarely "
            "exceeds 5 mmol/L (20 mg/dL). 1–6 mmol/L = 4.00–24.05 mg/dL (U4).",
        ),
        PlausibleRange(
            analyte=Analyte.M_PROTEIN,
            unit="g/L",
            low=Decimal(0),
            high=Decimal(150),
            basis="0 g/L (no measurable M-protein) is a real result; total serum protein rarely "
            "exceeds 150 g/L, so the M-protein cannot (U6: 15 g/dL).",
        ),
        PlausibleRange(
            analyte=Analyte.FREE_LIGHT_CHAIN,
            unit="mg/L",
            low=Decimal("0.1"),
            high=Decimal(100_000),
            basis="Serum free light chain assays measure down to a few tenths of a mg/L (a "
            "result reported as below the limit is entered as the limit); involved light chains "
            "in cast nephropathy reach tens of thousands of mg/L (U7: mg/L = mg/dL × 10).",
        ),
        PlausibleRange(
            analyte=Analyte.LDH,
            unit="U/L",
            low=Decimal(20),
            high=Decimal(50_000),
            basis="Reference intervals lie about 120–250 U/L (method-dependent); haemolysis, "
            "tumour lysis or plasma-cell leukaemia reach tens of thousands of U/L. A value in "
            "µkat/L (1 µkat/L = 60 U/L) falls below 20 U/L.",
        ),
        PlausibleRange(
            analyte=Analyte.WEIGHT,
            unit="kg",
            low=Decimal(30),
            high=Decimal(250),
            basis="The adults this clinic doses (domain reference §9): cachexia to morbid "
            "obesity; outside 30–250 kg (66.13–551.15 lb) dosing needs a specialist anyway.",
        ),
        PlausibleRange(
            analyte=Analyte.HEIGHT,
            unit="cm",
            low=Decimal(120),
            high=Decimal(230),
            basis="Adult heights from short stature to the tallest reported adults "
            "(120–230 cm = 47.24–90.56 in, U9).",
        ),
    )
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


_TWO_PLACES = Decimal("0.01")


def plausible_bounds(analyte: Analyte, unit: str) -> tuple[Decimal, Decimal]:
    """The inclusive plausible range of ``analyte`` in ``unit``: exact in the row's own unit,
    converted and rounded outward to 2 decimals in the others (so it is what a message shows)."""
    plausible = PLAUSIBLE_RANGES[analyte]
    target = normalise_unit(unit)
    if target == plausible.unit:
        return plausible.low, plausible.high
    low = convert(analyte, plausible.low, plausible.unit, target)
    high = convert(analyte, plausible.high, plausible.unit, target)
    return (
        low.quantize(_TWO_PLACES, rounding=ROUND_FLOOR),
        high.quantize(_TWO_PLACES, rounding=ROUND_CEILING),
    )


def _range_text(analyte: Analyte, unit: str) -> str:
    """ "from 10 to 60 g/L (1 to 6 g/dL)" — in ``unit``, then in the other accepted units."""

    def text_in(target: str) -> str:
        low, high = plausible_bounds(analyte, target)
        return f"{format_number(low, places=2)} to {format_number(high, places=2)} " + unit_label(
            target
        )

    others = [text_in(other) for other in ACCEPTED_UNITS[analyte] if other != unit]
    text = f"from {text_in(unit)}"
    if others:
        text += f" ({'; '.join(others)})"
    return text


def _in_sentence(label: str) -> str:
    """ "Serum M-protein" → "serum M-protein" inside a sentence; "LDH" stays as it is."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _number_text(value: float | Decimal) -> str:
    """The number as typed, readable also when absurd (1e-300, -0)."""
    if value == 0 and math.copysign(1, value) < 0:
        return "-0"
    if value != 0 and not Decimal("0.0001") <= abs(exact(value)) < Decimal("1e9"):
        return f"{float(value):g}"
    return format_number(value)


def _implausible_message(analyte: Analyte, value: float | Decimal, unit: str, label: str) -> str:
    """ "2.5 µmol/L is not possible for creatinine; did you mean 2.5 mg/dL (221 µmol/L)? …"

    A value outside the plausible range is a unit mix-up or a typing error, never a result: the
    message names the accepted range and, when the same number is plausible in another unit of
    the analyte, says what it would be in the unit entered.
    """
    negative = math.copysign(1, value) < 0
    entered = f"{_number_text(value)} {unit_label(unit)}"
    message = f"{entered} is not possible for {_in_sentence(label)}"
    for other in () if negative else ACCEPTED_UNITS[analyte]:
        low, high = plausible_bounds(analyte, other)
        if other != unit and low <= exact(value) <= high:
            converted = format_number(convert(analyte, value, other, unit), places=2)
            message += (
                f"; did you mean {format_number(value)} {unit_label(other)} "
                f"({converted} {unit_label(unit)})?"
            )
            break
    else:
        message += "."
    return f"{message} {sentence_start(label)} must be {_range_text(analyte, unit)}."


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
    low, high = plausible_bounds(analyte, canonical)
    if not low <= exact(value) <= high or math.copysign(1, value) < 0:
        raise InvalidInput(field, _implausible_message(analyte, value, canonical, label))
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
