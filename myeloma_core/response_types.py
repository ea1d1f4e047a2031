"""IMWG 2016 response — the inputs and results of domain-reference §21 (with §10–§11).

The sources, the categories and tracks, quantities with their units, one assessment validated
field by field, and the result types. The rules live in ``response_categories`` (R1–R8),
``response_mrd`` (R10–R11) and ``response_series`` (R9, R12 and the whole series).

Values keep the unit they were entered in (G2); comparisons are exact decimal arithmetic in the
base unit of the rule (g/L = g/dL × 10, U6; mg/L = mg/dL × 10, U7; mg/24 h = g/24 h × 1000), so a
value typed at a threshold in either unit lands exactly on it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from myeloma_core.errors import InvalidInput
from myeloma_core.units import exact, format_number, sentence_start
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


def base_text(measure: Measure, value: Decimal) -> str:
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
