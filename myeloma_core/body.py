"""Body size and renal function: BSA (B1–B3), ideal/adjusted weight (K2, K3), Cockcroft–Gault (K1).

Source: domain reference §9 — B1/B2 [PUB] P19 (GlobalRPh), K1 [PUB] P20a/P20c,
K2 [PUB] P20a–P20d, K3 [PUB] P20b. All functions return unrounded values; rounding for display or
dosing is done by the caller (see ``myeloma_core.dosing``). Inputs are in the units named in the
parameter (cm, kg, mg/dL); unit conversion is the caller's job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CM_PER_INCH = 2.54  # U9


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class BsaFormula(StrEnum):
    """B3: the formula is a site setting and is always shown next to the dose."""

    MOSTELLER = "mosteller"
    DUBOIS = "dubois"

    @property
    def label(self) -> str:
        return {BsaFormula.MOSTELLER: "Mosteller", BsaFormula.DUBOIS: "DuBois"}[self]


class CrClWeightBasis(StrEnum):
    """K2: which weight goes into Cockcroft–Gault (sources disagree; site setting, §17 #4)."""

    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"
    LOWER_OF_ACTUAL_AND_IDEAL = "lower_of_actual_and_ideal"

    @property
    def label(self) -> str:
        return {
            CrClWeightBasis.ACTUAL: "actual weight",
            CrClWeightBasis.IDEAL: "ideal body weight",
            CrClWeightBasis.ADJUSTED: "adjusted body weight",
            CrClWeightBasis.LOWER_OF_ACTUAL_AND_IDEAL: "lower of actual and ideal weight",
        }[self]


def _require_positive(name: str, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number (got {value!r})")


def bsa_m2(*, height_cm: float, weight_kg: float, formula: BsaFormula) -> float:
    """Body-surface area in m², unrounded.

    B1 Mosteller: √(height cm × weight kg / 3600).
    B2 DuBois: 0.007184 × height^0.725 × weight^0.425. Source: [PUB] P19.
    """
    _require_positive("height_cm", height_cm)
    _require_positive("weight_kg", weight_kg)
    formula = BsaFormula(formula)
    if formula is BsaFormula.MOSTELLER:
        return math.sqrt(height_cm * weight_kg / 3600.0)
    if formula is BsaFormula.DUBOIS:
        return 0.007184 * height_cm**0.725 * weight_kg**0.425
    raise ValueError(f"unknown BSA formula {formula!r}")


def ideal_body_weight_kg(*, height_cm: float, sex: Sex) -> float:
    """K3 Devine: male 50 + 2.3 × (in − 60); female 45.5 + 2.3 × (in − 60); in = cm / 2.54.

    Source: [PUB] P20b. Applied as written for every height (no floor below 60 in): the reference
    gives no rule for short stature.
    """
    _require_positive("height_cm", height_cm)
    base = 50.0 if Sex(sex) is Sex.MALE else 45.5
    return base + 2.3 * (height_cm / CM_PER_INCH - 60.0)


def adjusted_body_weight_kg(*, height_cm: float, sex: Sex, weight_kg: float) -> float:
    """K2 adjusted body weight: IBW + 0.4 × (actual − IBW). Source: [PUB] P20b, P20d."""
    _require_positive("weight_kg", weight_kg)
    ibw = ideal_body_weight_kg(height_cm=height_cm, sex=sex)
    return ibw + 0.4 * (weight_kg - ibw)


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatinineClearance:
    """Estimated creatinine clearance in mL/min (not normalised to 1.73 m², U10)."""

    ml_min: float
    formula: str = "cockcroft-gault"
    weight_basis: CrClWeightBasis
    weight_kg_used: float
    explanation: str

    @property
    def ml_min_rounded(self) -> float:
        """Shown value (1 decimal, half up); dose bands are compared against this value."""
        return round_half_up(self.ml_min, 1)


def _weight_for_crcl(
    *, basis: CrClWeightBasis, weight_kg: float, height_cm: float, sex: Sex
) -> float:
    basis = CrClWeightBasis(basis)
    if basis is CrClWeightBasis.ACTUAL:
        return weight_kg
    ibw = ideal_body_weight_kg(height_cm=height_cm, sex=sex)
    if basis is CrClWeightBasis.IDEAL:
        return ibw
    if basis is CrClWeightBasis.ADJUSTED:
        return ibw + 0.4 * (weight_kg - ibw)
    if basis is CrClWeightBasis.LOWER_OF_ACTUAL_AND_IDEAL:
        return min(weight_kg, ibw)
    raise ValueError(f"unknown weight basis {basis!r}")


def cockcroft_gault(
    *,
    age_years: float,
    sex: Sex,
    weight_kg: float,
    height_cm: float,
    creatinine_mg_dl: float,
    weight_basis: CrClWeightBasis,
) -> CreatinineClearance:
    """K1: CrCl (mL/min) = (140 − age) × weight / (72 × SCr mg/dL), × 0.85 if female.

    The weight is chosen by ``weight_basis`` (K2; ``ADJUSTED`` always means IBW + 0.4 × (actual −
    IBW) — the "only if > 30 % above IBW" refinement of some calculators is not applied). Source:
    [PUB] P20a, P20c (formula), P20b/P20d (weights).
    """
    _require_positive("creatinine_mg_dl", creatinine_mg_dl)
    _require_positive("weight_kg", weight_kg)
    sex, weight_basis = Sex(sex), CrClWeightBasis(weight_basis)
    if not math.isfinite(age_years) or not 0 <= age_years < 140:
        raise ValueError(f"age_years must be between 0 and 140 (got {age_years!r})")
    weight = _weight_for_crcl(basis=weight_basis, weight_kg=weight_kg, height_cm=height_cm, sex=sex)
    if weight <= 0:
        raise ValueError(f"{weight_basis.label} is not positive for height {height_cm} cm")
    value = (140.0 - age_years) * weight / (72.0 * creatinine_mg_dl)
    female = " × 0.85 (female)" if sex is Sex.FEMALE else ""
    if sex is Sex.FEMALE:
        value *= 0.85
    explanation = (
        f"Cockcroft–Gault: (140 − {format_number(age_years)})"
        f" × {format_number(round_half_up(weight, 1))} kg ({weight_basis.label})"
        f" / (72 × {format_number(round_half_up(creatinine_mg_dl, 3))} mg/dL){female}"
        f" = {format_number(round_half_up(value, 1))} mL/min"
    )
    return CreatinineClearance(
        ml_min=value,
        weight_basis=weight_basis,
        weight_kg_used=weight,
        explanation=explanation,
    )


def round_half_up(value: float, places: int) -> float:
    """Round half away from zero on the decimal text of ``value`` (2.675 → 2.68, 41.05 → 41.1).

    Python's ``round`` rounds half to even on the binary value; clinical arithmetic done by hand
    rounds half up on the written number, so all shown and dosed values use this helper.
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot round {value!r}")
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def format_number(value: float) -> str:
    """Shortest plain text for a number: 720.0 → "720", 114.80 → "114.8", 2.05 → "2.05"."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
