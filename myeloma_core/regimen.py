"""Regimen content as a validated specification (architecture §2: content, not logic).

This module holds the regimen types. A regimen version's ``definition`` (the Django
``RegimenVersion.definition`` JSON and the YAML files in ``content/regimens/``) is read by
:func:`myeloma_core.regimen_schema.regimen_spec_from_dict`, which validates it thoroughly and raises
:class:`RegimenContentError` with a path such as ``components[1].schedule[0].cycles``;
:func:`myeloma_core.regimen_serialise.regimen_spec_to_dict` writes the canonical, JSON-ready form
back.

Every rule carries its source and a verification status (domain reference §0.1, §20): ``verified``
only where the reference tags the value [SEED]/[PUB]; everything else is ``pending`` and is shown as
"pending verification". Drug identifiers are lower-case INNs.

Conventions of the format (days and cycles are 1-based, C1/C2 in reference §16):
- ``cycles: [first, last]`` is inclusive; ``last: null`` means "and every later cycle".
- ``days`` lists single days and ranges written ``"1-21"`` (inclusive).
- A dose amount is in the unit of ``dose.basis`` (mg/kg, mg/m² or mg); overrides, age and renal
  amounts use the same unit as the component's basis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from myeloma_core.verification_record import VerificationRecord
from myeloma_core.vocabulary import Setting, Verification

__all__ = [
    "AgeOperator",
    "AgeRule",
    "BsaCap",
    "Component",
    "CycleRule",
    "DayRule",
    "DoseBasis",
    "DoseOverride",
    "DoseSpec",
    "Frequency",
    "InfusionPlan",
    "InfusionRate",
    "InfusionStep",
    "Jurisdiction",
    "JurisdictionNote",
    "Milestone",
    "NumberRange",
    "OrderRule",
    "PatientNote",
    "Premedication",
    "PremedicationItem",
    "PremedicationTiming",
    "Presentation",
    "PresentationForm",
    "Presentations",
    "RegimenContentError",
    "RegimenSpec",
    "RenalBand",
    "RenalJurisdictionRule",
    "RenalRule",
    "Route",
    "RouteRule",
    "SupportiveCareNote",
    "infusion_minutes",
]


def _num_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.6f}".rstrip("0").rstrip(".")


class RegimenContentError(ValueError):
    """Regimen content that does not validate; ``path`` locates the offending value."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class Route(StrEnum):
    IV = "iv"
    SC = "sc"
    PO = "po"


class DoseBasis(StrEnum):
    MG_PER_KG = "mg_per_kg"
    MG_PER_M2 = "mg_per_m2"
    FIXED_MG = "fixed_mg"

    @property
    def unit(self) -> str:
        return {
            DoseBasis.MG_PER_KG: "mg/kg",
            DoseBasis.MG_PER_M2: "mg/m²",
            DoseBasis.FIXED_MG: "mg",
        }[self]


class AgeOperator(StrEnum):
    """§15.5/§17 #5: the age cut-off operator is stored per regimen (≥ 75 vs > 75)."""

    GE = ">="
    GT = ">"

    @property
    def symbol(self) -> str:
        return "≥" if self is AgeOperator.GE else ">"

    def holds(self, age: float, years: float) -> bool:
        return age >= years if self is AgeOperator.GE else age > years


class Frequency(StrEnum):
    """How often a renally adjusted dose is given on the component's scheduled days (L2/L3)."""

    DAILY = "daily"
    EVERY_OTHER_DAY = "every_other_day"


class Jurisdiction(StrEnum):
    """Label jurisdiction for rules that differ (lenalidomide renal bands L2 vs L3, §17 #3)."""

    EU = "eu"
    US = "us"


class PatientNote(StrEnum):
    """A patient-facing text the calendar prints for a supportive-care note; the wording lives in
    the translation catalogues (one msgid per key), so content names the key, not the text."""

    HERPES_ZOSTER = "herpes_zoster"


class PremedicationTiming(StrEnum):
    """When a premedication item is given relative to the infusion: before it (SARCLISA 15–60
    min, X12–X16; daratumumab 1–3 h) or after it (daratumumab post-infusion corticosteroid)."""

    BEFORE = "before"
    AFTER = "after"


class PresentationForm(StrEnum):
    VIAL = "vial"
    CAPSULE = "capsule"
    TABLET = "tablet"


# --------------------------------------------------------------------------------------------------
# Value objects
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberRange:
    """Inclusive range of cycle (or infusion) numbers; ``last=None`` is open-ended."""

    first: int
    last: int | None

    def contains(self, number: int) -> bool:
        return number >= self.first and (self.last is None or number <= self.last)

    def overlaps(self, other: NumberRange) -> bool:
        self_end = math.inf if self.last is None else self.last
        other_end = math.inf if other.last is None else other.last
        return self.first <= other_end and other.first <= self_end

    @property
    def label(self) -> str:
        if self.last is None:
            return f"C{self.first}+"
        if self.last == self.first:
            return f"C{self.first}"
        return f"C{self.first}–{self.last}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleRule:
    """C1/C2: cycle length for a range of cycles (IMROZ: 42 days C1–4, 28 days C5+)."""

    cycles: NumberRange
    length_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DayRule:
    """Days of a cycle on which a component is given, for a range of cycles (sorted, unique)."""

    cycles: NumberRange
    days: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DoseSpec:
    basis: DoseBasis
    amount: float


@dataclass(frozen=True, slots=True, kw_only=True)
class DoseOverride:
    """A different amount on some days (carfilzomib priming 20 mg/m² on C1 D1–2, §15.2)."""

    cycles: NumberRange
    days: tuple[int, ...]
    amount: float
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgeRule:
    """X12/§15.5: a different amount from a given age, optionally only from a cycle/day on.

    ``schedule`` (optional) replaces the component's days from ``from`` on for patients the rule
    applies to (DKd/CANDOR: one 20 mg dose a week from week 2 instead of the split doses).
    """

    operator: AgeOperator
    years: int
    amount: float
    from_cycle: int = 1
    from_day: int = 1
    schedule: tuple[DayRule, ...] = ()
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)

    def holds(self, age_years: float) -> bool:
        return self.operator.holds(age_years, self.years)

    def applies(self, *, age_years: float, cycle: int, day: int) -> bool:
        return self.holds(age_years) and (cycle, day) >= (self.from_cycle, self.from_day)


@dataclass(frozen=True, slots=True, kw_only=True)
class RenalBand:
    """One row of a renal table. CrCl bounds: ``crcl_min`` inclusive, ``crcl_max`` exclusive."""

    crcl_min: float | None = None
    crcl_max: float | None = None
    dialysis: bool = False
    amount: float
    frequency: Frequency = Frequency.DAILY
    text: str
    note: str = ""

    def matches(self, *, crcl_ml_min: float, on_dialysis: bool) -> bool:
        if self.dialysis or on_dialysis:
            return self.dialysis and on_dialysis
        low = -math.inf if self.crcl_min is None else self.crcl_min
        high = math.inf if self.crcl_max is None else self.crcl_max
        return low <= crcl_ml_min < high

    @property
    def label(self) -> str:
        if self.dialysis:
            return "on dialysis"
        if self.crcl_min is None:
            return f"CrCl < {_num_text(self.crcl_max)} mL/min, not on dialysis"
        if self.crcl_max is None:
            return f"CrCl ≥ {_num_text(self.crcl_min)} mL/min"
        return f"{_num_text(self.crcl_min)} ≤ CrCl < {_num_text(self.crcl_max)} mL/min"


@dataclass(frozen=True, slots=True, kw_only=True)
class RenalJurisdictionRule:
    jurisdiction: Jurisdiction
    label: str
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)
    bands: tuple[RenalBand, ...]

    def band_for(self, *, crcl_ml_min: float, on_dialysis: bool) -> RenalBand:
        for band in self.bands:
            if band.matches(crcl_ml_min=crcl_ml_min, on_dialysis=on_dialysis):
                return band
        raise LookupError(f"no renal band for CrCl {crcl_ml_min} mL/min")  # validated: unreachable


@dataclass(frozen=True, slots=True, kw_only=True)
class RenalRule:
    """Renal dose table per jurisdiction (lenalidomide L2 EU SmPC, L3 US label); CrCl by K1 (L4)."""

    rule: str
    jurisdictions: tuple[RenalJurisdictionRule, ...]

    def for_jurisdiction(self, jurisdiction: Jurisdiction) -> RenalJurisdictionRule:
        for item in self.jurisdictions:
            if item.jurisdiction is jurisdiction:
                return item
        raise LookupError(f"no renal rule for jurisdiction {jurisdiction}")  # validated


@dataclass(frozen=True, slots=True, kw_only=True)
class BsaCap:
    """B4: dose on at most ``m2`` (carfilzomib 2.2 m²)."""

    m2: float
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)


@dataclass(frozen=True, slots=True, kw_only=True)
class Presentation:
    strength_mg: float
    volume_ml: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Presentations:
    form: PresentationForm
    items: tuple[Presentation, ...]
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)

    @property
    def strengths_mg(self) -> tuple[float, ...]:
        return tuple(item.strength_mg for item in self.items)


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteRule:
    """Route depends on what else is given that day (Isa-Kd dexamethasone: IV on days with
    isatuximab or carfilzomib, PO otherwise — X12, §15.2)."""

    on_days_with: tuple[str, ...]
    route: Route


@dataclass(frozen=True, slots=True, kw_only=True)
class PremedicationItem:
    name: str
    dose: str
    route: str
    rule: str
    text: str
    cycles: NumberRange | None = None
    when: PremedicationTiming = PremedicationTiming.BEFORE


@dataclass(frozen=True, slots=True, kw_only=True)
class Premedication:
    """X12–X17 (isatuximab) and the daratumumab SmPC 4.2. The backbone steroid is not an item: it
    counts once per day (X12). ``timing`` says when the items given before the infusion are
    taken, ``before_minutes`` the same as a window in minutes before the start (SARCLISA 15–60,
    daratumumab 60–180) for the patient calendar; ``timing_after`` says when the items given
    after the infusion are (required when there are any)."""

    timing: str
    before_minutes: NumberRange | None = None
    timing_after: str = ""
    backbone_steroid: str | None
    note: str
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)
    items: tuple[PremedicationItem, ...]

    def items_for_cycle(self, cycle: int) -> tuple[PremedicationItem, ...]:
        return tuple(i for i in self.items if i.cycles is None or i.cycles.contains(cycle))

    @property
    def source_label(self) -> str:
        """The source as shown beside a warning, with "pending verification" where it is."""
        if self.verification is Verification.PENDING:
            return f"{self.source}, pending verification"
        return self.source


@dataclass(frozen=True, slots=True, kw_only=True)
class InfusionStep:
    """A rate held for ``minutes`` (``None`` = until the bag is empty; only the last step)."""

    rate_ml_h: float
    minutes: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class InfusionRate:
    infusions: NumberRange
    total_minutes: float
    steps: tuple[InfusionStep, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class InfusionPlan:
    """X18/X22/X23: fixed infusion volume and duration by infusion number."""

    volume_ml: float
    diluent: str
    note: str
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)
    steps_source: str
    steps_verification: Verification
    by_infusion: tuple[InfusionRate, ...]

    def for_infusion(self, number: int) -> InfusionRate:
        for rate in self.by_infusion:
            if rate.infusions.contains(number):
                return rate
        raise LookupError(f"no infusion rate for infusion {number}")  # validated: unreachable


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    drug: str
    route: Route
    route_rule: RouteRule | None = None
    dose: DoseSpec
    schedule: tuple[DayRule, ...]
    dose_overrides: tuple[DoseOverride, ...] = ()
    age_rule: AgeRule | None = None
    renal_rule: RenalRule | None = None
    bsa_cap: BsaCap | None = None
    min_interval_hours: int | None = None
    presentations: Presentations | None = None
    concentration_mg_ml: float | None = None
    number_infusions: bool = False
    infusion: InfusionPlan | None = None
    premedication: Premedication | None = None
    administration_note: str = ""
    patient_instructions: str
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)

    @property
    def bsa_cap_m2(self) -> float | None:
        return None if self.bsa_cap is None else self.bsa_cap.m2

    def day_rule_for(self, cycle: int) -> DayRule | None:
        for rule in self.schedule:
            if rule.cycles.contains(cycle):
                return rule
        return None

    def days_for_cycle(self, cycle: int) -> tuple[int, ...]:
        """The days of the standard schedule (no patient-specific rule applied)."""
        rule = self.day_rule_for(cycle)
        return () if rule is None else rule.days

    def days_for(self, cycle: int, *, age_years: float) -> tuple[int, ...]:
        """The days for a patient of ``age_years``: an age rule with its own schedule replaces
        the standard days from its ``from`` cycle/day on (DKd, CANDOR; §15.5)."""
        days = self.days_for_cycle(cycle)
        age_rule = self.age_rule
        if age_rule is None or not age_rule.schedule or not age_rule.holds(age_years):
            return days
        start = (age_rule.from_cycle, age_rule.from_day)
        aged = next((r.days for r in age_rule.schedule if r.cycles.contains(cycle)), ())
        before = [d for d in days if (cycle, d) < start]
        after = [d for d in aged if (cycle, d) >= start]
        return tuple(sorted({*before, *after}))

    def override_for(self, cycle: int, day: int) -> DoseOverride | None:
        for override in self.dose_overrides:
            if override.cycles.contains(cycle) and day in override.days:
                return override
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRule:
    """X21: order of administration on days the listed drugs share."""

    drugs: tuple[str, ...]
    source: str
    verification: Verification
    record: VerificationRecord | None = None  # who or what checked it, when (verified)


@dataclass(frozen=True, slots=True, kw_only=True)
class Milestone:
    """A dated point after a cycle ends (end of induction, response/MRD assessment).

    ``transplant`` marks the point where the course goes on to high-dose melphalan and ASCT, so a
    regimen's setting can be compared with the treatment option that links it
    (``myeloma_core.content_checks``). Without the key a label naming a transplant (ASCT,
    high-dose melphalan/chemotherapy, stem-cell transplant) sets it; ``transplant: false`` on such
    a label is an error — free text cannot hide a transplant.
    """

    after_cycle: int
    label: str
    transplant: bool = False
    source: str
    verification: Verification
    record: VerificationRecord | None = None  # who or what checked it, when (verified)


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportiveCareNote:
    """Advice that goes with the whole regimen (e.g. herpes-zoster prophylaxis with anti-CD38
    antibodies, §13.7), with its source; shown on the preview, the plan and in the API.
    ``patient_note`` names the translated patient text the calendar prints for it, if any."""

    text: str
    patient_note: PatientNote | None = None
    source: str
    verification: Verification
    verification_note: str = ""
    record: VerificationRecord | None = None  # who or what checked it, when (verified)


@dataclass(frozen=True, slots=True, kw_only=True)
class JurisdictionNote:
    jurisdiction: Jurisdiction
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RegimenSpec:
    slug: str
    name: str
    indication: str
    source: str
    author: str
    checker: str | None
    verification: Verification
    verification_note: str = ""
    # The version's review when the document carries it (the loader and the workflow take it out).
    record: VerificationRecord | None = None
    jurisdiction_notes: tuple[JurisdictionNote, ...] = ()
    cycle_rules: tuple[CycleRule, ...]
    max_cycles: int | None
    components: tuple[Component, ...]
    order_on_shared_days: OrderRule | None = None
    milestones: tuple[Milestone, ...] = ()
    notes: tuple[str, ...] = ()
    settings: tuple[Setting, ...] = ()
    supportive_care: tuple[SupportiveCareNote, ...] = ()

    @property
    def includes_transplant(self) -> bool:
        """The course goes on to high-dose melphalan and ASCT (a milestone says so)."""
        return any(m.transplant for m in self.milestones)

    @property
    def drugs(self) -> tuple[str, ...]:
        return tuple(c.drug for c in self.components)

    def component(self, drug: str) -> Component:
        for item in self.components:
            if item.drug == drug:
                return item
        raise KeyError(drug)

    def cycle_length(self, cycle: int) -> int:
        """C1/C2: length of cycle ``cycle`` in days."""
        for rule in self.cycle_rules:
            if rule.cycles.contains(cycle):
                return rule.length_days
        raise ValueError(f"cycle {cycle} is outside the regimen's cycle rules")


def infusion_minutes(*, volume_ml: float, steps: Sequence[InfusionStep]) -> float:
    """Total minutes to run ``volume_ml`` through ``steps`` (X23 arithmetic, §18.3 check)."""
    remaining = volume_ml
    minutes = 0.0
    for step in steps:
        if step.minutes is None:
            return minutes + remaining / step.rate_ml_h * 60.0
        step_volume = step.rate_ml_h * step.minutes / 60.0
        if step_volume >= remaining:
            return minutes + remaining / step.rate_ml_h * 60.0
        remaining -= step_volume
        minutes += step.minutes
    raise ValueError(f"the steps do not deliver {volume_ml} mL (last step needs minutes: null)")
