"""Doses for one patient: mg/kg, mg/m² and fixed doses with age, renal and BSA-cap rules; vials.

Rules and sources (domain reference): X5 isatuximab 10 mg/kg on actual weight, volume = dose ÷
20 mg/mL ([SEED] SARCLISA SmPC 18.07.2025; [PUB] P14e); X6 vial choice ([DERIVED]); B1–B4 BSA and
carfilzomib cap ([PUB] P19, P15b); K1/K2 Cockcroft–Gault ([PUB] P20a–d); L2/L3 lenalidomide renal
bands ([PUB] P17a–c); X12/§15.5 dexamethasone age rule ([SEED]).

Rounding (documented choices):
- BSA is used **unrounded** for mg/m² doses and shown to 2 decimals. This reproduces worked example
  D2 exactly for both formulas (Mosteller 41.0/114.8 mg; DuBois 40.6/113.8 mg — DuBois BSA 2.0320 m²
  rounded first to 2.03 would give 113.7 mg, not the reference's 113.8 mg).
- Doses (mg/kg, mg/m²) are rounded half up to 0.1 mg; fixed doses are given as written.
- Infusion volumes (dose ÷ concentration) are rounded half up to 0.1 mL.
- CrCl is compared with renal bands at its shown precision (0.1 mL/min, half up), so the band shown
  always agrees with the number shown.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from myeloma_core.body import (
    BsaFormula,
    CrClWeightBasis,
    CreatinineClearance,
    Sex,
    bsa_m2,
    cockcroft_gault,
    format_number,
    round_half_up,
)
from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import (
    Component,
    DoseBasis,
    Frequency,
    Jurisdiction,
    PresentationForm,
    RenalBand,
    RenalJurisdictionRule,
)
from myeloma_core.units import Analyte, lab_value
from myeloma_core.vocabulary import Verification

__all__ = [
    "AGE_RANGE_YEARS",
    "ComputedDose",
    "DosingInputError",
    "DosingSettings",
    "Jurisdiction",
    "Patient",
    "RenalAdjustment",
    "VialBreakdown",
    "VialCount",
    "compute_dose",
    "creatinine_age_warning",
    "creatinine_measured_on_check",
    "patient_bsa_m2",
    "patient_crcl",
    "patient_validate",
    "renal_adjustment",
    "round_half_up",
    "vial_breakdown",
]

AGE_RANGE_YEARS = (18, 110)
DOSE_DECIMALS = 1
VOLUME_DECIMALS = 1
BSA_DISPLAY_DECIMALS = 2
CRCL_DISPLAY_DECIMALS = 1


class DosingInputError(InvalidInput):
    """Invalid dosing input (a ``ValueError``). ``field`` is the request field (``"weight_kg"``,
    ``"cycles"``, ``"actual_date"``); ``message`` names the field, the unit and the accepted range.
    A subclass of the domain's :class:`~myeloma_core.errors.InvalidInput`, so the API maps both the
    same way (HTTP 422)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DosingSettings:
    """Site settings: BSA formula (B3), CrCl weight (K2, §17 #4), label jurisdiction (§17 #3)."""

    bsa_formula: BsaFormula = BsaFormula.MOSTELLER
    crcl_weight_basis: CrClWeightBasis = CrClWeightBasis.ACTUAL
    jurisdiction: Jurisdiction = Jurisdiction.EU


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient:
    """Measurements for dosing. Creatinine in mg/dL: the caller converts µmol/L (÷ 88.4, U1)."""

    age_years: int
    sex: Sex
    weight_kg: float
    height_cm: float
    creatinine_mg_dl: float
    on_dialysis: bool = False


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def patient_validate(patient: Patient) -> None:
    """Raise :class:`DosingInputError` for the first measurement outside its accepted range."""
    low_age, high_age = AGE_RANGE_YEARS
    if (
        isinstance(patient.age_years, bool)
        or not isinstance(patient.age_years, int)
        or not low_age <= patient.age_years <= high_age
    ):
        raise DosingInputError(
            "age_years",
            f"age_years must be a whole number of years from {low_age} to {high_age}"
            f" (got {patient.age_years!r})",
        )
    if patient.sex not in tuple(Sex):
        raise DosingInputError("sex", f'sex must be "male" or "female" (got {patient.sex!r})')
    # Weight, height and creatinine: the plausible ranges of myeloma_core.units (one table).
    for field, analyte, value, unit in (
        ("weight_kg", Analyte.WEIGHT, patient.weight_kg, "kg"),
        ("height_cm", Analyte.HEIGHT, patient.height_cm, "cm"),
        ("creatinine", Analyte.CREATININE, patient.creatinine_mg_dl, "mg/dL"),
    ):
        try:
            lab_value(analyte, value, unit, field=field)
        except InvalidInput as error:
            raise DosingInputError(error.field, error.message) from error
    if not isinstance(patient.on_dialysis, bool):
        raise DosingInputError("on_dialysis", "on_dialysis must be true or false")


F_CREATININE_MEASURED_ON = "measured_on"


def creatinine_measured_on_check(measured_on: dt.date, *, today: dt.date) -> dt.date:
    """The date the creatinine was measured: a result from the future is a typing error."""
    if measured_on > today:
        raise DosingInputError(
            F_CREATININE_MEASURED_ON,
            f"The creatinine measurement date {measured_on.isoformat()} is in the future "
            f"(today is {today.isoformat()}); enter the date the blood was taken.",
        )
    return measured_on


def creatinine_age_warning(
    measured_on: dt.date | None, *, first_dose: dt.date, max_age_days: int
) -> str | None:
    """A warning when the creatinine is older than the site's limit at cycle 1 day 1 (or unknown).

    Creatinine clearance (K1) sets renal dose bands (e.g. lenalidomide L2/L3), so it must be
    recent when dosing starts; the limit is a site setting. The age is counted to the first dose
    (not to today), so a saved plan recomputed later gives the same warning. An unknown date is
    never taken as recent (G1).
    """
    if measured_on is None:
        return (
            "The date the creatinine was measured is not given: check that it is no older than "
            f"{max_age_days} days at cycle 1 day 1 before using the creatinine clearance."
        )
    age_days = (first_dose - measured_on).days
    if age_days <= max_age_days:
        return None
    return (
        f"The creatinine was measured on {measured_on.isoformat()}, {age_days} days before "
        f"cycle 1 day 1 ({first_dose.isoformat()}): older than this site's limit of "
        f"{max_age_days} days. Repeat it before dosing — the creatinine clearance and the doses "
        "that depend on it may no longer hold."
    )


def patient_bsa_m2(patient: Patient, settings: DosingSettings) -> float:
    """Unrounded BSA with the site's formula (B1/B2/B3)."""
    return bsa_m2(
        height_cm=patient.height_cm, weight_kg=patient.weight_kg, formula=settings.bsa_formula
    )


def patient_crcl(patient: Patient, settings: DosingSettings) -> CreatinineClearance:
    """Cockcroft–Gault with the site's weight basis (K1, K2; L4 for lenalidomide)."""
    return cockcroft_gault(
        age_years=patient.age_years,
        sex=patient.sex,
        weight_kg=patient.weight_kg,
        height_cm=patient.height_cm,
        creatinine_mg_dl=patient.creatinine_mg_dl,
        weight_basis=settings.crcl_weight_basis,
    )


# --------------------------------------------------------------------------------------------------
# Vials (X6)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VialCount:
    strength_mg: float
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class VialBreakdown:
    vials: tuple[VialCount, ...]
    total_mg: float
    waste_mg: float


def _dec(value: float) -> Decimal:
    return Decimal(repr(value))


def _out(value: Decimal) -> float:
    return int(value) if value == value.to_integral_value() else float(value)


def vial_breakdown(
    dose_mg: float,
    strengths_mg: Sequence[float],
    *,
    vial_prices: Mapping[Decimal, Decimal] | None = None,
) -> VialBreakdown:
    """X6: the smallest total ≥ dose (least waste), then the lowest cost, then the fewest vials.

    D1: 720 mg from 500/100 mg → 1 × 500 + 3 × 100 (80 mg waste; 8 × 100 has the same waste but
    more vials). D2: 850 mg → 1 × 500 + 4 × 100 (50 mg waste). Exact decimal arithmetic; vials are
    listed from the largest strength down. No dose-rounding tolerance is applied (X6: site policy).
    ``vial_prices`` (price per vial by strength, every strength priced) breaks ties of equal
    waste by cost, so the cheapest of the least-waste combinations is chosen; without prices the
    cost is 0 for all and the fewest vials decide, as X6 says.
    """
    if not _is_number(dose_mg) or dose_mg <= 0:
        raise ValueError(f"dose_mg must be a positive number (got {dose_mg!r})")
    strengths = sorted({_dec(s) for s in strengths_mg}, reverse=True)
    if not strengths or any(s <= 0 for s in strengths):
        raise ValueError("strengths_mg must list positive vial strengths")
    dose = _dec(dose_mg)
    prices = [Decimal(0)] * len(strengths)
    if vial_prices is not None:
        missing = [s for s in strengths if s not in vial_prices]
        if missing:
            raise ValueError(f"no price for vial strengths {[str(s) for s in missing]} mg")
        prices = [vial_prices[s] for s in strengths]
    smallest, larger = strengths[-1], strengths[:-1]
    best_key: tuple[Decimal, Decimal, int, tuple[int, ...]] | None = None
    best_counts: tuple[int, ...] = ()
    ranges = [range(int((dose / s).to_integral_value(rounding=ROUND_CEILING)) + 1) for s in larger]
    for counts in itertools.product(*ranges):
        partial = sum((c * s for c, s in zip(counts, larger, strict=True)), Decimal(0))
        rest = dose - partial
        small = int((rest / smallest).to_integral_value(rounding=ROUND_CEILING)) if rest > 0 else 0
        total = partial + small * smallest
        all_counts = (*counts, small)
        cost = sum((c * p for c, p in zip(all_counts, prices, strict=True)), Decimal(0))
        key = (total, cost, sum(all_counts), tuple(-c for c in all_counts))
        if best_key is None or key < best_key:
            best_key, best_counts = key, all_counts
    if best_key is None:  # pragma: no cover — the product always yields at least one combination
        raise ValueError("no vial combination found")
    total = best_key[0]
    vials = tuple(
        VialCount(strength_mg=_out(s), count=c)
        for s, c in zip(strengths, best_counts, strict=True)
        if c > 0
    )
    return VialBreakdown(vials=vials, total_mg=_out(total), waste_mg=_out(total - dose))


# --------------------------------------------------------------------------------------------------
# Renal adjustment (L2/L3)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RenalAdjustment:
    rule: RenalJurisdictionRule
    band: RenalBand
    crcl_ml_min: float
    adjusted: bool
    text: str


def renal_adjustment(
    component: Component,
    *,
    patient: Patient,
    settings: DosingSettings,
    crcl: CreatinineClearance | None = None,
) -> RenalAdjustment | None:
    """The renal band that applies to ``component`` for this patient, or ``None`` without a rule.

    Dialysis selects the dialysis row whatever the estimate (Cockcroft–Gault is not valid on
    dialysis). ``adjusted`` is false when the band equals the standard once-daily dose.
    """
    if component.renal_rule is None:
        return None
    if crcl is None:
        crcl = patient_crcl(patient, settings)
    rule = component.renal_rule.for_jurisdiction(settings.jurisdiction)
    shown = crcl.ml_min_rounded
    band = rule.band_for(crcl_ml_min=shown, on_dialysis=patient.on_dialysis)
    adjusted = (
        band.dialysis
        or band.amount != component.dose.amount
        or band.frequency is not Frequency.DAILY
    )
    if band.dialysis:
        prefix = "On dialysis"
    else:
        prefix = f"CrCl {format_number(shown)} mL/min (Cockcroft–Gault, {crcl.weight_basis.label})"
    text = f"{prefix}: {component.drug} {band.text} ({rule.label})"
    return RenalAdjustment(rule=rule, band=band, crcl_ml_min=shown, adjusted=adjusted, text=text)


# --------------------------------------------------------------------------------------------------
# Dose for one administration
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ComputedDose:
    """A dose with its arithmetic shown (C6): value in mg, calculation text, inputs and rules."""

    drug: str
    value: float
    unit: str = "mg"
    basis: DoseBasis
    amount: float
    calculation: str
    inputs: tuple[tuple[str, str], ...]
    rule_applied: str | None = None
    volume_ml: float | None = None
    vials: VialBreakdown | None = None
    warnings: tuple[str, ...] = ()


def _pending(what: str, note: str) -> str:
    return f"Pending verification — {what}: {note}" if note else f"Pending verification — {what}"


def compute_dose(
    component: Component,
    *,
    patient: Patient,
    cycle: int,
    day: int,
    settings: DosingSettings,
    bsa: float | None = None,
    crcl: CreatinineClearance | None = None,
) -> ComputedDose:
    """Dose of ``component`` on cycle ``cycle`` day ``day`` for ``patient``.

    Order of rules: dose override (e.g. carfilzomib priming) or age rule (X12/§15.5) or renal band
    (L2/L3) — one of them; an age rule with its own schedule may sit beside overrides and wins
    where it applies (DKd, §15.5); then the basis: mg/kg × actual weight (X5),
    mg/m² × BSA capped at ``bsa_cap`` (B4), or the fixed amount. ``bsa`` is the unrounded BSA
    (computed with ``settings.bsa_formula`` when omitted); ``crcl`` likewise with
    ``settings.crcl_weight_basis``.
    """
    if day not in component.days_for(cycle, age_years=patient.age_years):
        raise DosingInputError(
            "day", f"{component.drug} is not given on cycle {cycle} day {day} in this regimen"
        )
    unit = component.dose.basis.unit
    amount = component.dose.amount
    rules: list[str] = []
    warnings: list[str] = []
    inputs: list[tuple[str, str]] = []
    if component.verification is Verification.PENDING:
        warnings.append(_pending(component.drug, component.verification_note))

    age_rule = component.age_rule
    age_applies = age_rule is not None and age_rule.applies(
        age_years=patient.age_years, cycle=cycle, day=day
    )
    override = None if age_applies else component.override_for(cycle, day)
    if override is not None:
        amount = override.amount
        rules.append(f"{override.label}: {format_number(amount)} {unit}")

    if age_rule is not None:
        inputs.append(("age", f"{patient.age_years} years"))
        if age_applies:
            amount = age_rule.amount
            rules.append(
                f"age {age_rule.operator.symbol} {age_rule.years} years:"
                f" {format_number(amount)} {unit}"
            )
            if age_rule.verification is Verification.PENDING:
                warnings.append(_pending(f"{component.drug} age rule", age_rule.verification_note))

    renal = renal_adjustment(component, patient=patient, settings=settings, crcl=crcl)
    if renal is not None:
        if renal.band.dialysis:
            inputs.append(("renal function", "on dialysis"))
        else:
            inputs.append(("CrCl", f"{format_number(renal.crcl_ml_min)} mL/min (Cockcroft–Gault)"))
        if renal.adjusted:
            amount = renal.band.amount
            rules.append(f"{renal.text} — {renal.band.note}" if renal.band.note else renal.text)
            warnings.append(renal.text)
            if renal.rule.verification is Verification.PENDING:
                warnings.append(
                    _pending(f"{component.drug} renal rule", renal.rule.verification_note)
                )

    basis = component.dose.basis
    if basis is DoseBasis.MG_PER_KG:
        weight = patient.weight_kg
        value = round_half_up(amount * weight, DOSE_DECIMALS)
        inputs.append(("weight", f"{format_number(weight)} kg (actual)"))
        calculation = f"{format_number(amount)} mg/kg × {format_number(weight)} kg"
    elif basis is DoseBasis.MG_PER_M2:
        exact = bsa if bsa is not None else patient_bsa_m2(patient, settings)
        formula = settings.bsa_formula.label
        shown = round_half_up(exact, BSA_DISPLAY_DECIMALS)
        inputs.append(("height", f"{format_number(patient.height_cm)} cm"))
        inputs.append(("weight", f"{format_number(patient.weight_kg)} kg"))
        inputs.append(("BSA", f"{shown:.2f} m² ({formula})"))
        cap = component.bsa_cap
        if cap is not None and exact > cap.m2:
            used = cap.m2
            value = round_half_up(amount * used, DOSE_DECIMALS)
            calculation = (
                f"{format_number(amount)} mg/m² × {format_number(used)} m²"
                f" (BSA cap; {formula} {shown:.2f} m²)"
            )
            cap_text = f"BSA {shown:.2f} m² above {format_number(cap.m2)} m²: dosed on the cap (B4)"
            rules.append(cap_text)
            warnings.append(f"{component.drug}: {cap_text}")
            if cap.verification is Verification.PENDING:
                warnings.append(_pending(f"{component.drug} BSA cap", cap.verification_note))
        else:
            value = round_half_up(amount * exact, DOSE_DECIMALS)
            calculation = f"{format_number(amount)} mg/m² × {shown:.2f} m² ({formula})"
            if round_half_up(amount * shown, DOSE_DECIMALS) != value:
                calculation += f" — unrounded BSA {exact:.4f} m² used"
    else:
        value = amount
        calculation = f"{format_number(amount)} mg (fixed dose)"

    volume_ml: float | None = None
    if component.concentration_mg_ml is not None:
        volume_ml = round_half_up(value / component.concentration_mg_ml, VOLUME_DECIMALS)
    vials: VialBreakdown | None = None
    presentations = component.presentations
    if presentations is not None and presentations.form is PresentationForm.VIAL:
        vials = vial_breakdown(value, presentations.strengths_mg)
        if presentations.verification is Verification.PENDING:
            warnings.append(
                _pending(f"{component.drug} vial sizes", presentations.verification_note)
            )

    return ComputedDose(
        drug=component.drug,
        value=value,
        basis=basis,
        amount=amount,
        calculation=calculation,
        inputs=tuple(inputs),
        rule_applied="; ".join(rules) if rules else None,
        volume_ml=volume_ml,
        vials=vials,
        warnings=tuple(warnings),
    )
