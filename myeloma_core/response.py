"""IMWG 2016 response over time, progression from the nadir, MRD and I2TEAMM — domain-reference §21.

The rules R1–R12 of §21 (with §10–§11): the track of measurable disease, a category per
assessment with its reasons in words and numbers, progression against the nadir, confirmation by
the next assessment, the best confirmed response, the IMWG MRD category, the I2TEAMM MRD-CR
milestones at 9 and 12 months and the anti-CD38 antibody interference on SPE/IFE.

Unknown is never normal (G1): a category that needs a missing value is not reached and the result
says what is missing. Values keep the unit they were entered in (G2); comparisons are exact decimal
arithmetic in the base unit of the rule (g/L = g/dL × 10, U6; mg/L = mg/dL × 10, U7; mg/24 h =
g/24 h × 1000), so a value typed at a threshold in either unit lands exactly on it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from myeloma_core.errors import InvalidInput
from myeloma_core.units import exact, format_near, format_number, sentence_start
from myeloma_core.vocabulary import Finding

IMWG_SOURCE = (
    "IMWG 2016 response criteria: Kumar S et al., Lancet Oncol 2016;17:e328–46; "
    "IMWG 2006 uniform response criteria: Durie BGM et al., Leukemia 2006;20:1467–73"
)
MRD_SOURCE = "IMWG 2016 MRD criteria: Kumar S et al., Lancet Oncol 2016;17:e328–46"
I2TEAMM_SOURCE = (
    "I2TEAMM: Shi Q, Paiva B et al., J Clin Oncol 2025;43:1289–301 (MRD-CR at 10⁻⁵ at 9 and "
    "12 months as a surrogate endpoint for PFS and OS)"
)
SARCLISA_SOURCE = (
    "SARCLISA (isatuximab) SmPC, 4.4 and 4.5: interference with serum protein electrophoresis "
    "and immunofixation"
)
SOURCE = "; ".join((IMWG_SOURCE, I2TEAMM_SOURCE, SARCLISA_SOURCE))

PENDING_VERIFICATION = "pending verification"

# R1 measurable disease at baseline, in the base units.
SERUM_MEASURABLE_G_L = Decimal(10)  # ≥ 10 g/L (1 g/dL)
URINE_MEASURABLE_MG = Decimal(200)  # ≥ 200 mg/24 h
FLC_MEASURABLE_MG_L = Decimal(100)  # involved FLC ≥ 100 mg/L (10 mg/dL), abnormal ratio
BMPC_MEASURABLE_PERCENT = Decimal(30)  # marrow track: baseline BMPC ≥ 30 %
# Normal κ/λ free-light-chain ratio, inclusive (R1, R5).
FLC_RATIO_LOW = Decimal("0.26")
FLC_RATIO_HIGH = Decimal("1.65")
# R2–R6 reductions from baseline, in per cent (reached at exactly the threshold).
SERUM_VGPR_REDUCTION = Decimal(90)
SERUM_PR_REDUCTION = Decimal(50)
SERUM_MR_REDUCTION = Decimal(25)
URINE_VGPR_BELOW_MG = Decimal(100)
URINE_PR_REDUCTION = Decimal(90)
URINE_PR_BELOW_MG = Decimal(200)
URINE_MR_REDUCTION = Decimal(50)
DFLC_VGPR_REDUCTION = Decimal(90)
DFLC_PR_REDUCTION = Decimal(50)
BMPC_PR_REDUCTION = Decimal(50)
CR_BMPC_BELOW_PERCENT = Decimal(5)
# R8 progression against the nadir.
PD_INCREASE_PERCENT = Decimal(25)
PD_SERUM_ABSOLUTE_G_L = Decimal(5)  # ≥ 0.5 g/dL (Durie/Kumar; §17 #7: "≥", not ">")
PD_SERUM_HIGH_NADIR_G_L = Decimal(50)  # nadir ≥ 5 g/dL …
PD_SERUM_HIGH_NADIR_INCREASE_G_L = Decimal(10)  # … an increase ≥ 1 g/dL is enough
PD_URINE_ABSOLUTE_MG = Decimal(200)
PD_DFLC_ABOVE_MG_L = Decimal(100)  # > 10 mg/dL (strict)
# R10/R11 MRD.
MRD_SENSITIVITY = Decimal("1e-5")
SUSTAINED_MRD_DAYS = 365
LANDMARK_MONTHS = (9, 12)
LANDMARK_WINDOW_DAYS = 30  # site setting, pending verification (R10)

_HUNDRED = Decimal(100)
E = TypeVar("E", bound=StrEnum)


class Track(StrEnum):
    SERUM_URINE = "serum_urine"
    FLC = "flc"
    BONE_MARROW = "bone_marrow"
    NONE = "none"


class Category(StrEnum):
    SCR = "sCR"
    CR = "CR"
    VGPR = "VGPR"
    PR = "PR"
    MR = "MR"
    SD = "SD"
    PD = "PD"
    NE = "NE"


# R9 order of depth: sCR > CR > VGPR > PR > MR > SD. PD and NE are outside the order.
DEPTH: dict[Category, int] = {
    Category.SD: 0,
    Category.MR: 1,
    Category.PR: 2,
    Category.VGPR: 3,
    Category.CR: 4,
    Category.SCR: 5,
}


class MrdCategory(StrEnum):
    SUSTAINED = "sustained_mrd_negative"
    IMAGING_PLUS = "imaging_plus_mrd_negative"
    FLOW = "flow_mrd_negative"
    SEQUENCING = "sequencing_mrd_negative"
    POSITIVE = "mrd_positive"
    NOT_EVALUABLE = "not_evaluable"


MRD_NEGATIVE_AT_10_5 = frozenset(
    {MrdCategory.SUSTAINED, MrdCategory.IMAGING_PLUS, MrdCategory.FLOW, MrdCategory.SEQUENCING}
)


class Measure(StrEnum):
    """The quantities with units (§1 U6, U7; urine g/24 h = 1000 mg/24 h)."""

    SERUM_M_PROTEIN = "serum_m_protein"
    URINE_M_PROTEIN = "urine_m_protein"
    FLC = "flc"


@dataclass(frozen=True, slots=True)
class _MeasureSpec:
    label: str
    base_unit: str
    factors: dict[str, Decimal]  # value in base unit = value × factor
    low: Decimal  # plausible range in the base unit
    low_inclusive: bool
    high: Decimal


MEASURES: dict[Measure, _MeasureSpec] = {
    Measure.SERUM_M_PROTEIN: _MeasureSpec(
        "serum M-protein",
        "g/L",
        {"g/L": Decimal(1), "g/dL": Decimal(10)},
        Decimal(0),
        True,
        Decimal(150),
    ),
    Measure.URINE_M_PROTEIN: _MeasureSpec(
        "urine M-protein",
        "mg/24h",
        {"mg/24h": Decimal(1), "g/24h": Decimal(1000)},
        Decimal(0),
        True,
        Decimal(50000),
    ),
    Measure.FLC: _MeasureSpec(
        "free light chain",
        "mg/L",
        {"mg/L": Decimal(1), "mg/dL": Decimal(10)},
        Decimal(0),
        False,
        Decimal(100000),
    ),
}
_UNIT_LABELS = {"mg/24h": "mg/24 h", "g/24h": "g/24 h"}
_UNIT_ALIASES = {"mg/24 h": "mg/24h", "g/24 h": "g/24h", "mg/d": "mg/24h", "g/d": "g/24h"}


def _unit_text(unit: str) -> str:
    return _UNIT_LABELS.get(unit, unit)


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A measured value as entered (G2); ``base`` is the exact value in the rule's base unit."""

    measure: Measure
    value: Decimal
    unit: str

    @property
    def base(self) -> Decimal:
        return self.value * MEASURES[self.measure].factors[self.unit]

    def describe(self) -> str:
        """ "1.5 g/dL (15 g/L)" — the value as entered, then in the base unit when it differs."""
        spec = MEASURES[self.measure]
        text = f"{format_number(self.value)} {_unit_text(self.unit)}"
        if self.unit != spec.base_unit:
            text += f" ({format_number(self.base)} {_unit_text(spec.base_unit)})"
        return text


def _base_text(measure: Measure, value: Decimal) -> str:
    return f"{format_number(value)} {_unit_text(MEASURES[measure].base_unit)}"


def _range_text(spec: _MeasureSpec, unit: str) -> str:
    factor = spec.factors[unit]
    lower = "at least" if spec.low_inclusive else "more than"
    return (
        f"{lower} {format_number(spec.low / factor)} and at most "
        f"{format_number(spec.high / factor)} {_unit_text(unit)}"
    )


def quantity(
    measure: Measure, value: object, unit: object, *, field: str, label: str | None = None
) -> Quantity:
    """A validated quantity: accepted unit, finite number, plausible range (else names the field).

    A value outside the plausible range is usually a unit mix-up, so the message also says what
    the number would be in the other unit.
    """
    spec = MEASURES[measure]
    label = sentence_start(label or spec.label)
    canonical = _UNIT_ALIASES.get(unit.strip(), unit.strip()) if isinstance(unit, str) else ""
    accepted = ", ".join(_unit_text(u) for u in spec.factors)
    if canonical not in spec.factors:
        raise InvalidInput(
            field,
            f"{label} must be entered in {accepted}; got the unit '{unit}'. "
            f"Accepted range: {_range_text(spec, spec.base_unit)}.",
        )
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(
            field,
            f"{label} must be a number in {_unit_text(canonical)} "
            f"({_range_text(spec, canonical)}); got {value!r}.",
        )
    if not math.isfinite(value):
        raise InvalidInput(
            field,
            f"{label} must be a finite number in {_unit_text(canonical)} "
            f"({_range_text(spec, canonical)}); got {value}.",
        )
    number = exact(value)
    base = number * spec.factors[canonical]
    too_low = base < spec.low if spec.low_inclusive else base <= spec.low
    if too_low or base > spec.high:
        # What the number would be had it been typed in another unit (a unit mix-up).
        hint = "".join(
            f" {format_number(number)} {_unit_text(other)} would be "
            f"{format_number(number * spec.factors[other] / spec.factors[canonical])} "
            f"{_unit_text(canonical)}: check the unit."
            for other in spec.factors
            if other != canonical and not too_low
        )
        raise InvalidInput(
            field,
            f"{label} must be {_range_text(spec, canonical)}; "
            f"got {format_number(number)} {_unit_text(canonical)}.{hint}",
        )
    return Quantity(measure=measure, value=number, unit=canonical)


def _checked_percentage(value: object, *, field: str, label: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(field, f"{label} must be a percentage from 0 to 100 %; got {value!r}.")
    if not math.isfinite(value) or not 0 <= value <= 100:
        shown = format_number(value) if math.isfinite(value) else str(value)
        raise InvalidInput(field, f"{label} must be a percentage from 0 to 100 %; got {shown} %.")
    return exact(value)


class Ife(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


class Clonality(StrEnum):
    CLONAL = "clonal"
    POLYCLONAL = "polyclonal"
    UNKNOWN = "unknown"


class PetCt(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    NOT_DONE = "not_done"


class ShiftAssay(StrEnum):
    SHIFTED = "shifted"
    NOT_SHIFTED = "not_shifted"


class MrdMethod(StrEnum):
    NGF = "ngf"
    NGS = "ngs"


class HeavyChain(StrEnum):
    IGG = "IgG"
    IGA = "IgA"
    IGM = "IgM"
    IGD = "IgD"
    IGE = "IgE"
    NONE = "none"


class LightChain(StrEnum):
    KAPPA = "kappa"
    LAMBDA = "lambda"


class AntiCd38(StrEnum):
    DARATUMUMAB = "daratumumab"
    ISATUXIMAB = "isatuximab"


@dataclass(frozen=True, slots=True, kw_only=True)
class Isotype:
    heavy_chain: HeavyChain
    light_chain: LightChain

    @property
    def is_igg_kappa(self) -> bool:
        return self.heavy_chain is HeavyChain.IGG and self.light_chain is LightChain.KAPPA

    def describe(self) -> str:
        light = "κ" if self.light_chain is LightChain.KAPPA else "λ"
        if self.heavy_chain is HeavyChain.NONE:
            return f"light-chain {light}"
        return f"{self.heavy_chain.value}-{light}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mrd:
    result: Ife  # only POSITIVE or NEGATIVE
    method: MrdMethod
    sensitivity: Decimal | None

    def __post_init__(self) -> None:
        if self.result is Ife.UNKNOWN:
            raise InvalidInput("mrd.result", "The MRD result must be 'negative' or 'positive'.")


def mrd_sensitivity(value: object, *, field: str) -> Decimal:
    """An MRD sensitivity as a fraction (1e-5 = 1 in 10⁵): more than 0 and at most 10⁻²."""
    rule = "a fraction more than 0 and at most 0.01 (e.g. 1e-5 for 1 in 10⁵ cells)"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidInput(field, f"The MRD sensitivity must be {rule}; got {value!r}.")
    if not math.isfinite(value) or not 0 < value <= 0.01:
        raise InvalidInput(field, f"The MRD sensitivity must be {rule}; got {value}.")
    return exact(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """One disease assessment; every finding is optional and ``None`` means not measured."""

    date: dt.date
    baseline: bool = False
    serum_m_protein: Quantity | None = None
    urine_m_protein: Quantity | None = None
    involved_flc: Quantity | None = None
    uninvolved_flc: Quantity | None = None
    serum_ife: Ife = Ife.UNKNOWN
    urine_ife: Ife = Ife.UNKNOWN
    bone_marrow_plasma_cells_percent: Decimal | None = None
    bone_marrow_clonality: Clonality = Clonality.UNKNOWN
    plasmacytoma: Finding = Finding.UNKNOWN
    new_bone_lesions: Finding = Finding.UNKNOWN
    mrd: Mrd | None = None
    pet_ct: PetCt | None = None
    ife_shift_assay: ShiftAssay | None = None

    @property
    def dflc(self) -> Decimal | None:
        """dFLC = involved − uninvolved FLC, in mg/L (R1)."""
        if self.involved_flc is None or self.uninvolved_flc is None:
            return None
        return self.involved_flc.base - self.uninvolved_flc.base

    def kappa_lambda_ratio(self, isotype: Isotype | None) -> Decimal | None:
        if self.involved_flc is None or self.uninvolved_flc is None or isotype is None:
            return None
        involved, uninvolved = self.involved_flc.base, self.uninvolved_flc.base
        if isotype.light_chain is LightChain.KAPPA:
            return involved / uninvolved
        return uninvolved / involved


def assessment(
    *, index: int | None = None, date: dt.date, baseline: bool = False, **values: object
) -> Assessment:
    """An ``Assessment`` from plain values (numbers with units, strings), validated field by field.

    Quantities are ``(value, unit)`` pairs; field paths in errors are ``assessments.<index>.<name>``
    (or just the name when ``index`` is None).
    """

    def path(name: str) -> str:
        return name if index is None else f"assessments.{index}.{name}"

    def qty(name: str, measure: Measure, label: str) -> Quantity | None:
        raw = values.get(name)
        if raw is None:
            return None
        if not isinstance(raw, tuple) or len(raw) != 2:
            raise InvalidInput(path(name), f"{sentence_start(label)} needs a value and a unit.")
        return quantity(measure, raw[0], raw[1], field=path(name), label=label)

    def choice(name: str, enum: type[E], default: E | None) -> E | None:
        raw = values.get(name)
        if raw is None:
            return default
        try:
            return enum(str(raw)) if isinstance(raw, str) else enum(raw)  # type: ignore[arg-type]
        except ValueError:
            accepted = ", ".join(f"'{member.value}'" for member in enum)
            raise InvalidInput(
                path(name), f"{name.replace('_', ' ')} must be one of {accepted}; got {raw!r}."
            ) from None

    unknown = set(values) - _ASSESSMENT_FIELDS
    if unknown:
        raise InvalidInput(path(sorted(unknown)[0]), "Unknown assessment field.")
    bmpc_raw = values.get("bone_marrow_plasma_cells_percent")
    bmpc = (
        None
        if bmpc_raw is None
        else _checked_percentage(
            bmpc_raw,
            field=path("bone_marrow_plasma_cells_percent"),
            label="Bone-marrow plasma cells",
        )
    )
    mrd_raw = values.get("mrd")
    mrd = None
    if mrd_raw is not None:
        if not isinstance(mrd_raw, dict):
            raise InvalidInput(
                path("mrd"), "The MRD result needs a result, method and sensitivity."
            )
        try:
            result = Ife(str(mrd_raw.get("result")))
            method = MrdMethod(str(mrd_raw.get("method")))
        except ValueError:
            raise InvalidInput(
                path("mrd"),
                "The MRD result must be 'negative' or 'positive' and the method 'ngf' or 'ngs'.",
            ) from None
        if result is Ife.UNKNOWN:
            raise InvalidInput(
                path("mrd.result"), "The MRD result must be 'negative' or 'positive'."
            )
        sensitivity_raw = mrd_raw.get("sensitivity")
        sensitivity = (
            None
            if sensitivity_raw is None
            else mrd_sensitivity(sensitivity_raw, field=path("mrd.sensitivity"))
        )
        mrd = Mrd(result=result, method=method, sensitivity=sensitivity)
    return Assessment(
        date=date,
        baseline=baseline,
        serum_m_protein=qty("serum_m_protein", Measure.SERUM_M_PROTEIN, "serum M-protein"),
        urine_m_protein=qty("urine_m_protein", Measure.URINE_M_PROTEIN, "urine M-protein"),
        involved_flc=qty("involved_flc", Measure.FLC, "involved free light chain"),
        uninvolved_flc=qty("uninvolved_flc", Measure.FLC, "uninvolved free light chain"),
        serum_ife=choice("serum_ife", Ife, Ife.UNKNOWN) or Ife.UNKNOWN,
        urine_ife=choice("urine_ife", Ife, Ife.UNKNOWN) or Ife.UNKNOWN,
        bone_marrow_plasma_cells_percent=bmpc,
        bone_marrow_clonality=choice("bone_marrow_clonality", Clonality, None) or Clonality.UNKNOWN,
        plasmacytoma=choice("plasmacytoma", Finding, None) or Finding.UNKNOWN,
        new_bone_lesions=choice("new_bone_lesions", Finding, None) or Finding.UNKNOWN,
        mrd=mrd,
        pet_ct=choice("pet_ct", PetCt, None),
        ife_shift_assay=choice("ife_shift_assay", ShiftAssay, None),
    )


_ASSESSMENT_FIELDS = frozenset(
    {
        "serum_m_protein",
        "urine_m_protein",
        "involved_flc",
        "uninvolved_flc",
        "serum_ife",
        "urine_ife",
        "bone_marrow_plasma_cells_percent",
        "bone_marrow_clonality",
        "plasmacytoma",
        "new_bone_lesions",
        "mrd",
        "pet_ct",
        "ife_shift_assay",
    }
)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasurableDisease:
    measurable: bool
    by: tuple[str, ...]
    track: Track
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    source: str = IMWG_SOURCE


@dataclass(frozen=True, slots=True, kw_only=True)
class MrdResult:
    category: MrdCategory
    method: MrdMethod
    sensitivity: Decimal | None
    reasons: tuple[str, ...]
    source: str = MRD_SOURCE


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentResult:
    date: dt.date
    baseline: bool
    category: Category | None
    confirmed: bool | None
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    mrd: MrdResult | None
    notes: tuple[str, ...]
    progression_criteria: tuple[str, ...]
    tracked_value: Decimal | None  # M-protein (g/L), urine (mg/24 h), dFLC (mg/L) or BMPC (%)
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Progression:
    progressed: bool
    date: dt.date | None
    criteria: tuple[str, ...]
    reasons: tuple[str, ...]
    source: str = IMWG_SOURCE


@dataclass(frozen=True, slots=True, kw_only=True)
class MrdCrMilestones:
    month_9: bool | None
    month_12: bool | None
    month_9_method: MrdMethod | None
    month_12_method: MrdMethod | None
    window_days: int
    window_status: str
    reasons: tuple[str, ...]
    source: str = I2TEAMM_SOURCE


@dataclass(frozen=True, slots=True, kw_only=True)
class Nadir:
    date: dt.date
    value: Decimal
    unit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseAssessment:
    measurable_disease: MeasurableDisease
    assessments: tuple[AssessmentResult, ...]
    best_confirmed_response: Category | None
    best_confirmed_response_date: dt.date | None
    progression: Progression
    mrd_cr: MrdCrMilestones
    warnings: tuple[str, ...]
    tracked_quantity: str | None  # "serum M-protein", "urine M-protein", "dFLC", "bone-marrow …"
    tracked_unit: str | None
    nadir: Nadir | None
    source: str = SOURCE


# ---------------------------------------------------------------------------------------------
# R1 measurable disease


def _candidate_ratios(a: Assessment, isotype: Isotype | None) -> tuple[Decimal, ...]:
    """The κ/λ ratio; both orientations (κ or λ involved) when the light chain is not known."""
    if a.involved_flc is None or a.uninvolved_flc is None:
        return ()
    if isotype is not None:
        ratio = a.kappa_lambda_ratio(isotype)
        return () if ratio is None else (ratio,)
    ratio = a.involved_flc.base / a.uninvolved_flc.base
    return (ratio, 1 / ratio)


def _decided(values: Sequence[bool]) -> bool | None:
    """The answer when every possible light chain gives the same one (G1), else None."""
    return values[0] if values and all(v == values[0] for v in values) else None


def _flc_ratio_abnormal(
    a: Assessment, isotype: Isotype | None
) -> tuple[bool | None, Decimal | None]:
    ratios = _candidate_ratios(a, isotype)
    abnormal = _decided([not (FLC_RATIO_LOW <= r <= FLC_RATIO_HIGH) for r in ratios])
    return abnormal, (ratios[0] if ratios else None)


def _skewed(a: Assessment, isotype: Isotype | None) -> bool | None:
    """An abnormal κ/λ ratio towards the patient's light chain (κ: > 1.65; λ: < 0.26)."""
    if isotype is not None:
        ratios = _candidate_ratios(a, isotype)
        if not ratios:
            return None
        if isotype.light_chain is LightChain.KAPPA:
            return ratios[0] > FLC_RATIO_HIGH
        return ratios[0] < FLC_RATIO_LOW
    ratios = _candidate_ratios(a, None)
    if not ratios:
        return None
    as_kappa, as_lambda = ratios
    return _decided([as_kappa > FLC_RATIO_HIGH, as_lambda < FLC_RATIO_LOW])


def _flc_missing(a: Assessment) -> str:
    if a.involved_flc is None:
        return "involved_flc"
    return "uninvolved_flc" if a.uninvolved_flc is None else "isotype"


def _ratio_text(ratio: Decimal) -> str:
    return format_near(ratio, FLC_RATIO_LOW if ratio < 1 else FLC_RATIO_HIGH)


def measurable_disease(baseline: Assessment, isotype: Isotype | None) -> MeasurableDisease:
    """R1: the track of response — serum/urine, else FLC, else bone marrow, else none."""
    reasons: list[str] = []
    missing: list[str] = []
    by: list[str] = []
    serum, urine = baseline.serum_m_protein, baseline.urine_m_protein
    if serum is None:
        missing.append("serum_m_protein")
    elif serum.base >= SERUM_MEASURABLE_G_L:
        by.append("serum")
        reasons.append(f"baseline serum M-protein {serum.describe()} (measurable: ≥ 10 g/L)")
    else:
        reasons.append(f"baseline serum M-protein {serum.describe()} (not measurable: < 10 g/L)")
    if urine is None:
        missing.append("urine_m_protein")
    elif urine.base >= URINE_MEASURABLE_MG:
        by.append("urine")
        reasons.append(f"baseline urine M-protein {urine.describe()} (measurable: ≥ 200 mg/24 h)")
    else:
        reasons.append(
            f"baseline urine M-protein {urine.describe()} (not measurable: < 200 mg/24 h)"
        )
    if by:
        return MeasurableDisease(
            measurable=True,
            by=tuple(by),
            track=Track.SERUM_URINE,
            reasons=tuple(reasons),
            missing=tuple(missing),
        )
    involved = baseline.involved_flc
    ratios = _candidate_ratios(baseline, isotype)
    ratio_text = (
        f"κ/λ ratio {_ratio_text(ratios[0])}"
        if isotype is not None and ratios
        else "involved/uninvolved ratio "
        + (_ratio_text(ratios[0]) if ratios else "—")
        + " (light chain not given)"
    )
    skewed = _skewed(baseline, isotype)
    if involved is None or baseline.uninvolved_flc is None:
        missing.append("involved_flc" if involved is None else "uninvolved_flc")
    elif involved.base >= FLC_MEASURABLE_MG_L and skewed:
        reasons.append(
            f"baseline involved FLC {involved.describe()} (≥ 100 mg/L) with {ratio_text} "
            "(outside 0.26–1.65): measurable by FLC"
        )
        return MeasurableDisease(
            measurable=True,
            by=("flc",),
            track=Track.FLC,
            reasons=tuple(reasons),
            missing=tuple(missing),
        )
    elif involved.base >= FLC_MEASURABLE_MG_L and skewed is None:
        missing.append("isotype")
        reasons.append(
            f"baseline involved FLC {involved.describe()} with {ratio_text}: whether it is "
            "abnormal depends on the light chain"
        )
    else:
        reasons.append(
            f"baseline involved FLC {involved.describe()}, {ratio_text}: not measurable by FLC "
            "(needs ≥ 100 mg/L and a ratio outside 0.26–1.65 towards the involved chain)"
        )
    bmpc = baseline.bone_marrow_plasma_cells_percent
    if bmpc is None:
        missing.append("bone_marrow_plasma_cells_percent")
    elif bmpc >= BMPC_MEASURABLE_PERCENT:
        reasons.append(
            f"baseline bone-marrow plasma cells {format_number(bmpc)} % (≥ 30 %): "
            "response followed in the bone marrow"
        )
        return MeasurableDisease(
            measurable=True,
            by=("bone_marrow",),
            track=Track.BONE_MARROW,
            reasons=tuple(reasons),
            missing=tuple(missing),
        )
    else:
        reasons.append(f"baseline bone-marrow plasma cells {format_number(bmpc)} % (< 30 %)")
    reasons.append(
        "no measurable disease: only CR (immunofixation, marrow) and PD (imaging) can be assessed"
    )
    return MeasurableDisease(
        measurable=False,
        by=(),
        track=Track.NONE,
        reasons=tuple(reasons),
        missing=tuple(missing),
    )


# ---------------------------------------------------------------------------------------------
# R2–R7 category per assessment


def _percent_change(reference: Decimal, value: Decimal, threshold: Decimal) -> str:
    """ "−57.1 %" or "+12 %": the change from ``reference`` to ``value``."""
    change = (value - reference) / reference * _HUNDRED
    sign = "−" if change < 0 else "+"
    return f"{sign}{format_near(abs(change), threshold)} %"


def _reached(value: Decimal, baseline: Decimal, reduction_percent: Decimal) -> bool:
    """A reduction of at least ``reduction_percent`` from ``baseline`` (exact, no division)."""
    return value * _HUNDRED <= baseline * (_HUNDRED - reduction_percent)


@dataclass(frozen=True, slots=True)
class _Component:
    """The depth one measured component reaches, with its reason; ``None`` depth = not measured."""

    depth: Category | None
    reason: str
    missing: str | None = None


def _serum_component(base: Quantity, current: Quantity | None) -> _Component:
    if current is None:
        return _Component(None, "serum M-protein not measured", "serum_m_protein")
    b, v = base.base, current.base
    change = _percent_change(b, v, SERUM_PR_REDUCTION)
    head = (
        f"serum M-protein {change} from baseline (from {base.describe()} to {current.describe()})"
    )
    if _reached(v, b, SERUM_VGPR_REDUCTION):
        return _Component(Category.VGPR, f"{head}: ≥ 90 % reduction")
    if _reached(v, b, SERUM_PR_REDUCTION):
        return _Component(Category.PR, f"{head}: ≥ 50 % reduction")
    if _reached(v, b, SERUM_MR_REDUCTION):
        return _Component(Category.MR, f"{head}: 25–49 % reduction")
    return _Component(Category.SD, f"{head}: less than 25 % reduction")


def _urine_component(base: Quantity, current: Quantity | None) -> _Component:
    if current is None:
        return _Component(None, "urine M-protein not measured", "urine_m_protein")
    b, v = base.base, current.base
    change = _percent_change(b, v, URINE_PR_REDUCTION)
    head = (
        f"urine M-protein {change} from baseline (from {base.describe()} to {current.describe()})"
    )
    if v < URINE_VGPR_BELOW_MG:
        return _Component(Category.VGPR, f"{head}: < 100 mg/24 h")
    if _reached(v, b, URINE_PR_REDUCTION):
        return _Component(Category.PR, f"{head}: ≥ 90 % reduction")
    if v < URINE_PR_BELOW_MG:
        return _Component(Category.PR, f"{head}: < 200 mg/24 h")
    if _reached(v, b, URINE_MR_REDUCTION):
        return _Component(Category.MR, f"{head}: 50–89 % reduction")
    return _Component(Category.SD, f"{head}: less than 50 % reduction and ≥ 200 mg/24 h")


def _dflc_component(base: Decimal, current: Assessment) -> _Component:
    value = current.dflc
    if value is None:
        return _Component(None, "free light chains not measured", "involved_flc")
    change = _percent_change(base, value, DFLC_PR_REDUCTION)
    head = (
        f"dFLC {change} from baseline (from {_base_text(Measure.FLC, base)} to "
        f"{_base_text(Measure.FLC, value)})"
    )
    if _reached(value, base, DFLC_VGPR_REDUCTION):
        return _Component(Category.VGPR, f"{head}: ≥ 90 % reduction")
    if _reached(value, base, DFLC_PR_REDUCTION):
        return _Component(Category.PR, f"{head}: ≥ 50 % reduction")
    return _Component(Category.SD, f"{head}: less than 50 % reduction")


def _marrow_component(base: Decimal, current: Assessment) -> _Component:
    value = current.bone_marrow_plasma_cells_percent
    if value is None:
        return _Component(
            None, "bone-marrow plasma cells not measured", "bone_marrow_plasma_cells_percent"
        )
    change = _percent_change(base, value, BMPC_PR_REDUCTION)
    head = (
        f"bone-marrow plasma cells {change} from baseline "
        f"(from {format_number(base)} % to {format_number(value)} %)"
    )
    if _reached(value, base, BMPC_PR_REDUCTION):
        return _Component(Category.PR, f"{head}: ≥ 50 % reduction")
    return _Component(Category.SD, f"{head}: less than 50 % reduction")


def _shallowest(depths: Sequence[Category]) -> Category:
    return min(depths, key=DEPTH.__getitem__)


@dataclass(frozen=True, slots=True)
class _Cr:
    """R4/R5: whether CR (and sCR) is reached, with what failed and what is missing."""

    cr: bool
    scr: bool
    serum_ife_only: bool  # every CR criterion met except a positive serum IFE
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    scr_missing: tuple[str, ...]


def _cr(a: Assessment, track: Track, isotype: Isotype | None, serum_ife: Ife) -> _Cr:
    reasons: list[str] = []
    missing: list[str] = []
    failed_other = False
    if serum_ife is Ife.UNKNOWN:
        missing.append("serum_ife")
    if a.urine_ife is Ife.NEGATIVE:
        reasons.append("urine immunofixation negative")
    elif a.urine_ife is Ife.POSITIVE:
        failed_other = True
    else:
        missing.append("urine_ife")
    bmpc = a.bone_marrow_plasma_cells_percent
    if bmpc is None:
        missing.append("bone_marrow_plasma_cells_percent")
    elif bmpc < CR_BMPC_BELOW_PERCENT:
        reasons.append(f"bone-marrow plasma cells {format_number(bmpc)} % (< 5 %)")
    else:
        failed_other = True
    if a.plasmacytoma is Finding.ABSENT:
        reasons.append("no soft-tissue plasmacytoma")
    elif a.plasmacytoma is Finding.PRESENT:
        failed_other = True
    else:
        missing.append("plasmacytoma")
    abnormal, ratio = _flc_ratio_abnormal(a, isotype)
    if track is Track.FLC:
        if abnormal is None:
            missing.append(_flc_missing(a))
        elif abnormal:
            failed_other = True
        elif ratio is not None:
            reasons.append(f"κ/λ ratio {_ratio_text(ratio)} normal (0.26–1.65)")
    other_met = not failed_other and not [m for m in missing if m != "serum_ife"]
    cr = other_met and serum_ife is Ife.NEGATIVE
    if cr:
        reasons.insert(0, "serum immunofixation negative")
    scr_missing: list[str] = []
    scr = False
    if cr:
        if abnormal is None:
            scr_missing.append(_flc_missing(a))
        if a.bone_marrow_clonality is Clonality.UNKNOWN:
            scr_missing.append("bone_marrow_clonality")
        scr = abnormal is False and a.bone_marrow_clonality is Clonality.POLYCLONAL
        if scr and ratio is not None:
            if track is not Track.FLC:
                reasons.append(f"κ/λ ratio {_ratio_text(ratio)} normal (0.26–1.65)")
            reasons.append("polyclonal bone marrow")
    return _Cr(
        cr=cr,
        scr=scr,
        serum_ife_only=other_met and serum_ife is Ife.POSITIVE,
        reasons=tuple(reasons),
        missing=tuple(missing),
        scr_missing=tuple(scr_missing),
    )


_MISSING_TEXT = {
    "serum_m_protein": "serum M-protein",
    "urine_m_protein": "urine M-protein",
    "involved_flc": "involved free light chain",
    "uninvolved_flc": "uninvolved free light chain",
    "serum_ife": "serum immunofixation",
    "urine_ife": "urine immunofixation",
    "bone_marrow_plasma_cells_percent": "bone-marrow plasma cells",
    "bone_marrow_clonality": "bone-marrow clonality",
    "plasmacytoma": "plasmacytoma status",
    "new_bone_lesions": "imaging for new bone lesions",
    "isotype": "isotype (light chain)",
    "mrd.sensitivity": "MRD sensitivity",
}


def _missing_text(fields: Sequence[str]) -> str:
    return ", ".join(_MISSING_TEXT.get(f, f) for f in fields)


@dataclass(frozen=True, slots=True)
class _Pd:
    criteria: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def imaging(self) -> bool:
        return bool({"new_bone_lesion", "plasmacytoma"} & set(self.criteria))


def _nadir(values: Sequence[tuple[dt.date, Decimal]]) -> tuple[dt.date, Decimal] | None:
    """The lowest earlier value (the earliest date on a tie)."""
    if not values:
        return None
    return min(values, key=lambda item: (item[1], item[0]))


def _increase_text(measure: str, increase: Decimal, nadir: Decimal, unit: str) -> str:
    percent = (
        f", {_percent_change(nadir, nadir + increase, PD_INCREASE_PERCENT)}"
        if nadir > 0
        else " (from an undetectable nadir)"
    )
    return (
        f"{measure} +{format_number(increase)} {unit} from the nadir of "
        f"{format_number(nadir)} {unit}{percent}"
    )


def _progression(
    current: Assessment, earlier: Sequence[Assessment], track: Track, baseline: Assessment
) -> _Pd:
    """R8: progression against the nadir (the lowest earlier value, baseline included)."""
    criteria: list[str] = []
    reasons: list[str] = []
    serum_values = [(a.date, a.serum_m_protein.base) for a in earlier if a.serum_m_protein]
    nadir = _nadir(serum_values)
    if current.serum_m_protein is not None and nadir is not None:
        increase = current.serum_m_protein.base - nadir[1]
        text = _increase_text("serum M-protein", increase, nadir[1], "g/L")
        if nadir[1] >= PD_SERUM_HIGH_NADIR_G_L and increase >= PD_SERUM_HIGH_NADIR_INCREASE_G_L:
            criteria.append("serum_m_protein")
            reasons.append(f"{text}: PD (nadir ≥ 50 g/L, increase ≥ 10 g/L)")
        elif (
            increase * _HUNDRED >= nadir[1] * PD_INCREASE_PERCENT
            and increase >= PD_SERUM_ABSOLUTE_G_L
        ):
            criteria.append("serum_m_protein")
            reasons.append(f"{text}: PD (≥ 25 % and ≥ 5 g/L)")
    urine_values = [(a.date, a.urine_m_protein.base) for a in earlier if a.urine_m_protein]
    nadir = _nadir(urine_values)
    if current.urine_m_protein is not None and nadir is not None:
        increase = current.urine_m_protein.base - nadir[1]
        if (
            increase * _HUNDRED >= nadir[1] * PD_INCREASE_PERCENT
            and increase >= PD_URINE_ABSOLUTE_MG
        ):
            criteria.append("urine_m_protein")
            text = _increase_text("urine M-protein", increase, nadir[1], "mg/24 h")
            reasons.append(f"{text}: PD (≥ 25 % and ≥ 200 mg/24 h)")
    if track is Track.FLC:
        dflc_values = [(a.date, d) for a in earlier if (d := a.dflc) is not None]
        nadir = _nadir(dflc_values)
        current_dflc = current.dflc
        if current_dflc is not None and nadir is not None:
            increase = current_dflc - nadir[1]
            if (
                increase * _HUNDRED >= nadir[1] * PD_INCREASE_PERCENT
                and increase > PD_DFLC_ABOVE_MG_L
            ):
                criteria.append("dflc")
                text = _increase_text("dFLC", increase, nadir[1], "mg/L")
                reasons.append(f"{text}: PD (≥ 25 % and > 100 mg/L)")
    if current.new_bone_lesions is Finding.PRESENT:
        criteria.append("new_bone_lesion")
        reasons.append("new bone lesion on imaging: PD")
    if current.plasmacytoma is Finding.PRESENT and baseline.plasmacytoma is Finding.ABSENT:
        criteria.append("plasmacytoma")
        reasons.append("plasmacytoma present, absent at baseline: PD")
    return _Pd(tuple(criteria), tuple(reasons))


@dataclass(frozen=True, slots=True)
class _Categorised:
    category: Category
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    criteria: tuple[str, ...]
    sources: tuple[str, ...]


def _categorise(
    current: Assessment,
    earlier: Sequence[Assessment],
    baseline: Assessment,
    disease: MeasurableDisease,
    isotype: Isotype | None,
    anti_cd38: AntiCd38 | None,
) -> _Categorised:
    pd = _progression(current, earlier, disease.track, baseline)
    if pd.criteria:
        return _Categorised(Category.PD, pd.reasons, (), (), (), pd.criteria, (IMWG_SOURCE,))

    notes: list[str] = []
    warnings: list[str] = []
    sources = [IMWG_SOURCE]
    serum_ife = current.serum_ife
    interference = (
        anti_cd38 is not None
        and isotype is not None
        and isotype.is_igg_kappa
        and serum_ife is Ife.POSITIVE
    )
    cr = _cr(current, disease.track, isotype, serum_ife)
    suspected_interference = (
        interference
        and cr.serum_ife_only
        and (current.serum_m_protein is None or current.serum_m_protein.base == 0)
    )
    drug = anti_cd38.value if anti_cd38 is not None else ""
    if suspected_interference:
        sources.append(SARCLISA_SOURCE)
        if current.ife_shift_assay is ShiftAssay.SHIFTED:
            notes.append(
                f"the positive serum immunofixation band shifted on the anti-drug shift assay: it "
                f"is {drug} (IgG-κ), not the patient's M-protein — serum immunofixation read as "
                "negative (anti-CD38 interference)"
            )
            cr = _cr(current, disease.track, isotype, Ife.NEGATIVE)
        elif current.ife_shift_assay is ShiftAssay.NOT_SHIFTED:
            notes.append(
                "the serum immunofixation band did not shift on the anti-drug shift assay: it is "
                "the patient's M-protein, so CR is not reached"
            )
        else:
            warning = (
                f"{current.date.isoformat()}: possible therapeutic-antibody interference "
                f"({drug}, IgG-κ, on an IgG-κ myeloma) — CR not assessable without a shift "
                "assay (DIRA / Hydrashift)"
            )
            warnings.append(warning)
            return _Categorised(
                Category.VGPR,
                ("every CR criterion met except a positive serum immunofixation", *cr.reasons),
                ("ife_shift_assay",),
                (warning,),
                tuple(warnings),
                (),
                tuple(sources),
            )

    if cr.cr:
        if cr.scr:
            return _Categorised(Category.SCR, cr.reasons, (), tuple(notes), (), (), tuple(sources))
        if cr.scr_missing:
            notes.append(f"sCR not assessable: missing {_missing_text(cr.scr_missing)}")
        return _Categorised(
            Category.CR, cr.reasons, cr.scr_missing, tuple(notes), (), (), tuple(sources)
        )
    missing = list(cr.missing)
    cr_data_given = (
        current.serum_ife is not Ife.UNKNOWN
        or current.urine_ife is not Ife.UNKNOWN
        or current.bone_marrow_plasma_cells_percent is not None
    )
    if missing and cr_data_given:
        notes.append(f"CR not assessable: missing {_missing_text(missing)}")

    components: list[_Component] = []
    track = disease.track
    if track is Track.SERUM_URINE:
        if "serum" in disease.by and baseline.serum_m_protein is not None:
            components.append(_serum_component(baseline.serum_m_protein, current.serum_m_protein))
        if "urine" in disease.by and baseline.urine_m_protein is not None:
            components.append(_urine_component(baseline.urine_m_protein, current.urine_m_protein))
    elif track is Track.FLC and baseline.dflc is not None:
        components.append(_dflc_component(baseline.dflc, current))
    elif track is Track.BONE_MARROW and baseline.bone_marrow_plasma_cells_percent is not None:
        components.append(_marrow_component(baseline.bone_marrow_plasma_cells_percent, current))

    measured = [c for c in components if c.depth is not None]
    not_measured = [c for c in components if c.depth is None]
    reasons = [c.reason for c in measured]
    component_missing = [c.missing for c in not_measured if c.missing]
    missing.extend(component_missing)
    # VGPR by electrophoresis: M-protein not detectable on SPE (0) while IFE is positive (R3).
    spe_zero = (
        current.serum_m_protein is not None
        and current.serum_m_protein.base == 0
        and current.serum_ife is Ife.POSITIVE
        and track is Track.SERUM_URINE
    )
    urine_ok = "urine" not in disease.by or (
        current.urine_m_protein is not None and current.urine_m_protein.base < URINE_VGPR_BELOW_MG
    )
    if spe_zero and urine_ok:
        reasons.append(
            "serum M-protein not detectable on electrophoresis while immunofixation is positive"
        )
        return _Categorised(
            Category.VGPR, tuple(reasons), tuple(missing), tuple(notes), (), (), tuple(sources)
        )

    if track is Track.NONE:
        anything = (
            current.serum_ife is not Ife.UNKNOWN
            or current.urine_ife is not Ife.UNKNOWN
            or current.bone_marrow_plasma_cells_percent is not None
            or current.new_bone_lesions is not Finding.UNKNOWN
            or current.plasmacytoma is not Finding.UNKNOWN
        )
        if not anything:
            return _Categorised(
                Category.NE,
                ("nothing measured at this assessment",),
                tuple(missing),
                tuple(notes),
                (),
                (),
                tuple(sources),
            )
        reasons.append("no measurable disease: neither CR nor PD reached")
        return _Categorised(
            Category.SD, tuple(reasons), tuple(missing), tuple(notes), (), (), tuple(sources)
        )
    if not measured:
        return _Categorised(
            Category.NE,
            (f"not evaluable: missing {_missing_text(missing) or 'the tracked values'}",),
            tuple(missing),
            tuple(notes),
            (),
            (),
            tuple(sources),
        )
    depths = [c.depth for c in measured if c.depth is not None]
    category = _shallowest(depths)
    if not_measured and DEPTH[category] > DEPTH[Category.SD]:
        notes.append(f"{category.value} not reached: missing {_missing_text(component_missing)}")
        category = Category.SD
    if category is Category.SD:
        reasons.append("no response category reached and no progression: SD")
    return _Categorised(
        category, tuple(reasons), tuple(missing), tuple(notes), (), (), tuple(sources)
    )


# ---------------------------------------------------------------------------------------------
# R11 MRD


def _mrd(
    current: Assessment,
    category: Category,
    earlier: Sequence[tuple[Assessment, MrdResult | None]],
) -> tuple[MrdResult | None, str | None]:
    mrd = current.mrd
    if mrd is None:
        return None, None
    if category not in (Category.CR, Category.SCR):
        return None, (
            f"MRD result ({mrd.result.value}, {mrd.method.value.upper()}) not categorised: the "
            f"IMWG MRD categories require CR (this assessment is {category.value})"
        )
    method = mrd.method.value.upper()
    if mrd.result is Ife.POSITIVE:
        return MrdResult(
            category=MrdCategory.POSITIVE,
            method=mrd.method,
            sensitivity=mrd.sensitivity,
            reasons=(f"{method} MRD positive",),
        ), None
    if mrd.sensitivity is None:
        return MrdResult(
            category=MrdCategory.NOT_EVALUABLE,
            method=mrd.method,
            sensitivity=None,
            reasons=(
                f"{method} MRD negative, sensitivity not given: not evaluable (needs ≤ 10⁻⁵)",
            ),
        ), None
    sensitivity = sensitivity_text(mrd.sensitivity)
    if mrd.sensitivity > MRD_SENSITIVITY:
        return MrdResult(
            category=MrdCategory.NOT_EVALUABLE,
            method=mrd.method,
            sensitivity=mrd.sensitivity,
            reasons=(
                f"{method} MRD negative at a sensitivity of {sensitivity}: not evaluable "
                "(IMWG needs 10⁻⁵ or better)",
            ),
        ), None
    reasons = [f"{method} MRD negative at a sensitivity of {sensitivity} (≤ 10⁻⁵)"]
    marrow = MrdCategory.FLOW if mrd.method is MrdMethod.NGF else MrdCategory.SEQUENCING
    if current.pet_ct is not PetCt.NEGATIVE:
        if current.pet_ct is None or current.pet_ct is PetCt.NOT_DONE:
            reasons.append("PET-CT not done: imaging-plus MRD not assessable")
        else:
            reasons.append("PET-CT positive: not imaging-plus MRD-negative")
        return MrdResult(
            category=marrow, method=mrd.method, sensitivity=mrd.sensitivity, reasons=tuple(reasons)
        ), None
    reasons.append("PET-CT negative: imaging-plus MRD-negative")
    category_out = MrdCategory.IMAGING_PLUS
    # Sustained: an earlier imaging-plus MRD-negative result ≥ 365 days before, with no MRD-
    # positive result or PD in between (Kumar 2016: "confirmed a minimum of 1 year apart").
    for previous, result in reversed(earlier):
        if result is None:
            if previous.mrd is not None and previous.mrd.result is Ife.POSITIVE:
                break
            continue
        if result.category is MrdCategory.POSITIVE:
            break
        if result.category in (MrdCategory.IMAGING_PLUS, MrdCategory.SUSTAINED):
            days = (current.date - previous.date).days
            if days >= SUSTAINED_MRD_DAYS:
                reasons.append(
                    f"imaging-plus MRD-negative also on {previous.date.isoformat()}, {days} days "
                    "earlier (≥ 365): sustained MRD-negative"
                )
                category_out = MrdCategory.SUSTAINED
                break
    return MrdResult(
        category=category_out,
        method=mrd.method,
        sensitivity=mrd.sensitivity,
        reasons=tuple(reasons),
    ), None


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sensitivity_text(sensitivity: Decimal) -> str:
    """ "10⁻⁵" for 1e-5, "2 × 10⁻⁶" for 2e-6."""
    _sign, digits, exponent = sensitivity.normalize().as_tuple()
    mantissa = "".join(str(d) for d in digits)
    power = exponent + len(digits) - 1 if isinstance(exponent, int) else 0
    head = Decimal(mantissa).scaleb(-(len(digits) - 1))
    text = f"10{str(power).translate(_SUPERSCRIPT)}"
    return text if head == 1 else f"{format_number(head)} × {text}"


# ---------------------------------------------------------------------------------------------
# R9 confirmation, best confirmed response


def _confirmed(category: Category, imaging_pd: bool, following: Category | None) -> bool:
    if category is Category.PD:
        return imaging_pd or following is Category.PD
    if category is Category.NE or following is None or following not in DEPTH:
        return False
    return DEPTH[following] >= DEPTH[category]


def best_confirmed_response(
    categories: Sequence[tuple[dt.date, Category]],
) -> tuple[Category | None, dt.date | None]:
    """R9: the deepest of the shallower-of-each-consecutive-pair, PD and NE excluded.

    The date is that of the first assessment of the pair that gives it.
    """
    best: tuple[Category, dt.date] | None = None
    for (day, first), (_, second) in itertools.pairwise(categories):
        if first not in DEPTH or second not in DEPTH:
            continue
        pair = _shallowest((first, second))
        if best is None or DEPTH[pair] > DEPTH[best[0]]:
            best = (pair, day)
    return (best[0], best[1]) if best else (None, None)


# ---------------------------------------------------------------------------------------------
# R10 I2TEAMM MRD-CR


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def landmark_end(treatment_start: dt.date, months: int, window_days: int) -> dt.date:
    return add_months(treatment_start, months) + dt.timedelta(days=window_days)


def _mrd_cr_at(
    months: int,
    treatment_start: dt.date,
    results: Sequence[AssessmentResult],
    progression_confirmed_on: dt.date | None,
    progression_date: dt.date | None,
    window_days: int,
) -> tuple[bool | None, str, MrdMethod | None]:
    """R10 at month ``months``: the answer, its reason and the MRD method that gave a yes."""
    end = landmark_end(treatment_start, months, window_days)
    window = f"{treatment_start.isoformat()} to {end.isoformat()}"
    for result in results:
        if result.baseline or not treatment_start <= result.date <= end:
            continue
        if progression_date is not None and progression_date < result.date:
            continue
        if (
            result.category in (Category.CR, Category.SCR)
            and result.mrd is not None
            and result.mrd.category in MRD_NEGATIVE_AT_10_5
        ):
            reason = (
                f"MRD-CR at {months} months: yes — {result.category.value} with "
                f"{result.mrd.method.value.upper()} MRD negative at ≤ 10⁻⁵ on "
                f"{result.date.isoformat()} (window {window})"
            )
            return True, reason, result.mrd.method
    if progression_confirmed_on is not None and progression_confirmed_on <= end:
        reason = (
            f"MRD-CR at {months} months: no — progression confirmed on "
            f"{progression_confirmed_on.isoformat()} before the end of the window ({window})"
        )
        return False, reason, None
    if any(not r.baseline and r.date > end for r in results):
        reason = (
            f"MRD-CR at {months} months: no — no MRD-negative CR (≤ 10⁻⁵) in the window {window}"
        )
        return False, reason, None
    return None, f"MRD-CR at {months} months: not yet known (window {window})", None


# ---------------------------------------------------------------------------------------------
# The series


def _check_series(assessments: Sequence[Assessment]) -> Assessment:
    if not assessments:
        raise InvalidInput("assessments", "At least one assessment (the baseline) is needed.")
    baselines = [i for i, a in enumerate(assessments) if a.baseline]
    if len(baselines) != 1:
        raise InvalidInput(
            "assessments",
            f"Exactly one assessment must have baseline true; got {len(baselines)}.",
        )
    seen: dict[dt.date, int] = {}
    for index, a in enumerate(assessments):
        if a.date in seen:
            raise InvalidInput(
                f"assessments.{index}.date",
                f"Assessment dates must be unique; {a.date.isoformat()} is also assessment "
                f"{seen[a.date]}.",
            )
        seen[a.date] = index
    baseline = assessments[baselines[0]]
    if any(a.date < baseline.date for a in assessments):
        raise InvalidInput(
            f"assessments.{baselines[0]}.date",
            "The baseline must be the earliest assessment.",
        )
    return baseline


def _tracked(track: Track, by: Sequence[str]) -> tuple[str | None, str | None]:
    if track is Track.SERUM_URINE:
        return ("serum M-protein", "g/L") if "serum" in by else ("urine M-protein", "mg/24 h")
    if track is Track.FLC:
        return "dFLC", "mg/L"
    if track is Track.BONE_MARROW:
        return "bone-marrow plasma cells", "%"
    return None, None


def _tracked_value(a: Assessment, track: Track, by: Sequence[str]) -> Decimal | None:
    if track is Track.SERUM_URINE:
        if "serum" in by:
            return a.serum_m_protein.base if a.serum_m_protein else None
        return a.urine_m_protein.base if a.urine_m_protein else None
    if track is Track.FLC:
        return a.dflc
    if track is Track.BONE_MARROW:
        return a.bone_marrow_plasma_cells_percent
    return None


def assess_response(
    *,
    assessments: Sequence[Assessment],
    treatment_start: dt.date,
    isotype: Isotype | None = None,
    anti_cd38: AntiCd38 | None = None,
    landmark_window_days: int = LANDMARK_WINDOW_DAYS,
) -> ResponseAssessment:
    """The whole series: R1 track, R2–R8 categories, R9 confirmation, R10 I2TEAMM, R11 MRD, R12.

    ``landmark_window_days`` is the I2TEAMM landmark window after 9 and 12 months, a site
    setting pending verification (the exact windows are not in the retrieved text).
    """
    baseline = _check_series(assessments)
    series = sorted(assessments, key=lambda a: a.date)
    disease = measurable_disease(baseline, isotype)
    warnings: list[str] = []
    if disease.missing and disease.track is not Track.SERUM_URINE:
        warnings.append(
            "baseline incomplete (missing "
            f"{_missing_text(disease.missing)}): the track of response may be wrong"
        )
    if isotype is None:
        warnings.append(
            "isotype not given: a κ/λ ratio counts only where either light chain gives the "
            "same answer, and the anti-CD38 interference rule cannot be applied"
        )

    categorised: list[_Categorised | None] = []
    for index, current in enumerate(series):
        if current.baseline:
            categorised.append(None)
            continue
        categorised.append(
            _categorise(current, series[:index], baseline, disease, isotype, anti_cd38)
        )
        warnings.extend(categorised[-1].warnings)  # type: ignore[union-attr]

    results: list[AssessmentResult] = []
    earlier_mrd: list[tuple[Assessment, MrdResult | None]] = []
    for index, (current, cat) in enumerate(zip(series, categorised, strict=True)):
        tracked = _tracked_value(current, disease.track, disease.by)
        if cat is None:
            results.append(
                AssessmentResult(
                    date=current.date,
                    baseline=True,
                    category=None,
                    confirmed=None,
                    reasons=(),
                    missing=(),
                    mrd=None,
                    notes=(),
                    progression_criteria=(),
                    tracked_value=tracked,
                    sources=(),
                )
            )
            earlier_mrd.append((current, None))
            continue
        following = categorised[index + 1] if index + 1 < len(series) else None
        confirmed = _confirmed(
            cat.category,
            bool({"new_bone_lesion", "plasmacytoma"} & set(cat.criteria)),
            following.category if following is not None else None,
        )
        mrd, mrd_note = _mrd(current, cat.category, earlier_mrd)
        earlier_mrd.append((current, mrd))
        notes = list(cat.notes)
        if mrd_note:
            notes.append(mrd_note)
        sources = list(cat.sources)
        if mrd is not None:
            sources.append(MRD_SOURCE)
        results.append(
            AssessmentResult(
                date=current.date,
                baseline=False,
                category=cat.category,
                confirmed=confirmed,
                reasons=cat.reasons,
                missing=cat.missing,
                mrd=mrd,
                notes=tuple(notes),
                progression_criteria=cat.criteria,
                tracked_value=tracked,
                sources=tuple(sources),
            )
        )

    progression = _progression_summary(results)
    if not progression.progressed:
        last = results[-1]
        if last.category is Category.PD:
            warnings.append(
                f"{last.date.isoformat()}: PD not yet confirmed — confirm at the next assessment"
            )
    confirmed_on = progression_confirmed_on(results)
    milestones: list[bool | None] = []
    milestone_reasons: list[str] = []
    methods: list[MrdMethod | None] = []
    for months in LANDMARK_MONTHS:
        value, reason, method = _mrd_cr_at(
            months, treatment_start, results, confirmed_on, progression.date, landmark_window_days
        )
        milestones.append(value)
        milestone_reasons.append(reason)
        methods.append(method)
    milestone_reasons.append(
        f"landmark window: {landmark_window_days} days after month 9 and month 12 "
        f"({PENDING_VERIFICATION}: the exact I2TEAMM windows are not in the retrieved text)"
    )
    best, best_date = best_confirmed_response(
        [(r.date, r.category) for r in results if r.category is not None]
    )
    name, unit = _tracked(disease.track, disease.by)
    tracked_points = [(r.date, r.tracked_value) for r in results if r.tracked_value is not None]
    nadir_point = min(tracked_points, key=lambda p: (p[1], p[0])) if tracked_points else None
    return ResponseAssessment(
        measurable_disease=disease,
        assessments=tuple(results),
        best_confirmed_response=best,
        best_confirmed_response_date=best_date,
        progression=progression,
        mrd_cr=MrdCrMilestones(
            month_9=milestones[0],
            month_12=milestones[1],
            month_9_method=methods[0],
            month_12_method=methods[1],
            window_days=landmark_window_days,
            window_status=PENDING_VERIFICATION,
            reasons=tuple(milestone_reasons),
        ),
        warnings=tuple(warnings),
        tracked_quantity=name,
        tracked_unit=unit,
        nadir=(
            Nadir(date=nadir_point[0], value=nadir_point[1], unit=unit or "")
            if nadir_point
            else None
        ),
    )


def progression_confirmed_on(results: Sequence[AssessmentResult]) -> dt.date | None:
    """The date progression became confirmed: the imaging PD, or the second of two PDs."""
    for index, result in enumerate(results):
        if result.category is not Category.PD or not result.confirmed:
            continue
        if {"new_bone_lesion", "plasmacytoma"} & set(result.progression_criteria):
            return result.date
        return results[index + 1].date
    return None


def _progression_summary(results: Sequence[AssessmentResult]) -> Progression:
    for result in results:
        if result.category is Category.PD and result.confirmed:
            return Progression(
                progressed=True,
                date=result.date,
                criteria=result.progression_criteria,
                reasons=result.reasons,
            )
    return Progression(progressed=False, date=None, criteria=(), reasons=())


def summary_line(result: ResponseAssessment) -> str:
    """The clinic-letter line: best confirmed response, progression, MRD-CR at 9 and 12 months."""
    parts: list[str] = []
    if result.best_confirmed_response is not None and result.best_confirmed_response_date:
        parts.append(
            f"Best confirmed response {result.best_confirmed_response.value} "
            f"({result.best_confirmed_response_date.isoformat()})"
        )
    else:
        parts.append("Best confirmed response: not yet confirmed")
    if result.progression.progressed and result.progression.date is not None:
        parts.append(f"progression confirmed from {result.progression.date.isoformat()}")
    milestones = (
        (9, result.mrd_cr.month_9, result.mrd_cr.month_9_method),
        (12, result.mrd_cr.month_12, result.mrd_cr.month_12_method),
    )
    for months, value, method in milestones:
        if value is None:
            continue
        text = f"MRD-negative CR at {months} months: {'yes' if value else 'no'}"
        if value and method is not None:
            text += f" ({method.value.upper()}, 10⁻⁵)"
        parts.append(text)
    return "; ".join(parts)
