"""Regimen content as a validated specification (architecture §2: content, not logic).

A regimen version's ``definition`` (the Django ``RegimenVersion.definition`` JSON and the YAML files
in ``content/regimens/``) is read by :func:`regimen_spec_from_dict`, which validates it thoroughly
and raises :class:`RegimenContentError` with a path such as ``components[1].schedule[0].cycles``.
:func:`regimen_spec_to_dict` writes the canonical, JSON-ready form back.

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
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

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
    "regimen_spec_from_dict",
    "regimen_spec_to_dict",
]

MAX_CYCLE_LENGTH_DAYS = 84
INFUSION_TOTAL_TOLERANCE_MIN = 0.05

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INN_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_DAY_RANGE_RE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")
# A milestone label naming a transplant must be marked ``transplant: true`` (free text alone must
# not hide an ASCT from the setting check).
_TRANSPLANT_RE = re.compile(
    r"\bASCT\b|\bHDM\b|high[- ]dose (?:melphalan|chemotherapy)|stem[- ]cell (?:transplant|rescue)"
    r"|autologous|\btransplant(?:ation)?\b(?!-?\s*(?:in)?eligible)",
    re.IGNORECASE,
)


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


# --------------------------------------------------------------------------------------------------
# Reading and validation
# --------------------------------------------------------------------------------------------------

_E = TypeVar("_E", bound=StrEnum)


class _Obj:
    """A mapping read at ``path``; unknown keys are an error (typos must not pass silently)."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise RegimenContentError(path, f"expected a mapping, got {_type_name(data)}")
        for key in data:
            if not isinstance(key, str):
                raise RegimenContentError(path, f"keys must be strings, got {key!r}")
        self.data: Mapping[str, Any] = data
        self.path = path
        self._seen: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def req(self, key: str) -> Any:
        self._seen.add(key)
        if key not in self.data or self.data[key] is None:
            raise RegimenContentError(self.at(key), "is required")
        return self.data[key]

    def opt(self, key: str) -> Any:
        self._seen.add(key)
        return self.data.get(key)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self._seen)
        if unknown:
            raise RegimenContentError(self.path, f"unknown key(s): {', '.join(unknown)}")


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _str(value: Any, path: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise RegimenContentError(path, f"expected text, got {_type_name(value)}")
    if not allow_empty and not value.strip():
        raise RegimenContentError(path, "must not be empty")
    return value.strip()


def _opt_str(obj: _Obj, key: str) -> str:
    value = obj.opt(key)
    return "" if value is None else _str(value, obj.at(key), allow_empty=True)


def _int(value: Any, path: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RegimenContentError(path, f"expected a whole number, got {_type_name(value)}")
    if minimum is not None and value < minimum:
        raise RegimenContentError(path, f"must be ≥ {minimum} (got {value})")
    if maximum is not None and value > maximum:
        raise RegimenContentError(path, f"must be ≤ {maximum} (got {value})")
    return value


def _number(value: Any, path: str, *, positive: bool = True, minimum: float | None = None) -> float:
    """A finite number; integers stay ``int`` so that 500 round-trips as 500, not 500.0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RegimenContentError(path, f"expected a number, got {_type_name(value)}")
    if not math.isfinite(value):
        raise RegimenContentError(path, "must be a finite number")
    if positive and value <= 0:
        raise RegimenContentError(path, f"must be > 0 (got {value})")
    if minimum is not None and value < minimum:
        raise RegimenContentError(path, f"must be ≥ {minimum} (got {value})")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise RegimenContentError(path, f"expected true or false, got {_type_name(value)}")
    return value


def _enum(enum: type[_E], value: Any, path: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(f'"{m.value}"' for m in enum)
        raise RegimenContentError(path, f"must be one of {allowed} (got {value!r})") from None


def _list(value: Any, path: str, *, allow_empty: bool = False) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise RegimenContentError(path, f"expected a list, got {_type_name(value)}")
    if not allow_empty and not value:
        raise RegimenContentError(path, "must not be empty")
    return list(value)


def _enumerate(value: Any, path: str, *, allow_empty: bool = False) -> Iterator[tuple[str, Any]]:
    for index, item in enumerate(_list(value, path, allow_empty=allow_empty)):
        yield f"{path}[{index}]", item


def _range(value: Any, path: str) -> NumberRange:
    items = _list(value, path)
    if len(items) != 2:
        raise RegimenContentError(path, "expected [first, last] (last may be null)")
    first = _int(items[0], f"{path}[0]", minimum=1)
    last = None if items[1] is None else _int(items[1], f"{path}[1]", minimum=1)
    if last is not None and last < first:
        raise RegimenContentError(path, f"last ({last}) is before first ({first})")
    return NumberRange(first=first, last=last)


def _days(value: Any, path: str) -> tuple[int, ...]:
    days: list[int] = []
    for item_path, item in _enumerate(value, path):
        if isinstance(item, str):
            match = _DAY_RANGE_RE.match(item)
            if match is None:
                raise RegimenContentError(item_path, f'expected a day or a range "1-21" ({item!r})')
            low, high = int(match.group(1)), int(match.group(2))
            if low < 1 or high <= low:
                raise RegimenContentError(item_path, f"invalid day range {item!r}")
            days.extend(range(low, high + 1))
        else:
            days.append(_int(item, item_path, minimum=1))
    if len(set(days)) != len(days):
        duplicates = sorted({d for d in days if days.count(d) > 1})
        raise RegimenContentError(path, f"day(s) listed twice: {duplicates}")
    return tuple(sorted(days))


def _verification(obj: _Obj) -> tuple[Verification, str]:
    verification = _enum(Verification, obj.req("verification"), obj.at("verification"))
    note = _opt_str(obj, "verification_note")
    if verification is Verification.PENDING and not note:
        raise RegimenContentError(
            obj.at("verification_note"), "is required when verification is pending (say what)"
        )
    return verification, note


def _cycle_rules(value: Any, path: str) -> tuple[CycleRule, ...]:
    rules: list[CycleRule] = []
    expected_first = 1
    items = list(_enumerate(value, path))
    for index, (item_path, item) in enumerate(items):
        obj = _Obj(item, item_path)
        cycles = _range(obj.req("cycles"), obj.at("cycles"))
        length = _int(
            obj.req("length_days"), obj.at("length_days"), minimum=1, maximum=MAX_CYCLE_LENGTH_DAYS
        )
        obj.done()
        if cycles.first != expected_first:
            raise RegimenContentError(
                obj.at("cycles"),
                f"cycle rules must be contiguous from cycle 1: expected to start at"
                f" cycle {expected_first}, got {cycles.first}",
            )
        if cycles.last is None and index != len(items) - 1:
            raise RegimenContentError(obj.at("cycles"), "only the last cycle rule may be open")
        rules.append(CycleRule(cycles=cycles, length_days=length))
        expected_first = (cycles.last or 0) + 1
    return tuple(rules)


def _cycle_lengths_for(
    rules: Sequence[CycleRule], cycles: NumberRange, max_cycles: int | None
) -> set[int]:
    """Distinct cycle lengths over the cycles of ``cycles`` that can be scheduled."""
    lengths: set[int] = set()
    for rule in rules:
        window = rule.cycles
        if max_cycles is not None and window.first > max_cycles:
            continue
        if window.overlaps(cycles):
            lengths.add(rule.length_days)
    return lengths


def _route(obj: _Obj) -> tuple[Route, RouteRule | None]:
    raw = obj.req("route")
    path = obj.at("route")
    if isinstance(raw, str):
        return _enum(Route, raw, path), None
    route_obj = _Obj(raw, path)
    default = _enum(Route, route_obj.req("default"), route_obj.at("default"))
    drugs = tuple(
        _str(item, item_path)
        for item_path, item in _enumerate(
            route_obj.req("on_days_with"), route_obj.at("on_days_with")
        )
    )
    other = _enum(Route, route_obj.req("route"), route_obj.at("route"))
    route_obj.done()
    if other is default:
        raise RegimenContentError(path, "route on shared days equals the default route")
    return default, RouteRule(on_days_with=drugs, route=other)


def _dose(value: Any, path: str) -> DoseSpec:
    obj = _Obj(value, path)
    basis = _enum(DoseBasis, obj.req("basis"), obj.at("basis"))
    amount = _number(obj.req("amount"), obj.at("amount"))
    obj.done()
    return DoseSpec(basis=basis, amount=amount)


def _schedule(
    value: Any, path: str, *, cycle_rules: Sequence[CycleRule], max_cycles: int | None
) -> tuple[DayRule, ...]:
    rules: list[DayRule] = []
    for item_path, item in _enumerate(value, path):
        obj = _Obj(item, item_path)
        cycles = _range(obj.req("cycles"), obj.at("cycles"))
        days = _days(obj.req("days"), obj.at("days"))
        obj.done()
        if max_cycles is not None and cycles.first > max_cycles:
            raise RegimenContentError(
                obj.at("cycles"), f"starts after the last cycle of the regimen ({max_cycles})"
            )
        for earlier in rules:
            if earlier.cycles.overlaps(cycles):
                raise RegimenContentError(
                    obj.at("cycles"), f"overlaps the rule for {earlier.cycles.label}"
                )
        lengths = _cycle_lengths_for(cycle_rules, cycles, max_cycles)
        if lengths and days[-1] > min(lengths):
            raise RegimenContentError(
                obj.at("days"),
                f"day {days[-1]} is beyond the cycle length ({min(lengths)} days) of"
                f" {cycles.label}",
            )
        rules.append(DayRule(cycles=cycles, days=days))
    return tuple(rules)


def _overrides(value: Any, path: str, *, schedule: Sequence[DayRule]) -> tuple[DoseOverride, ...]:
    overrides: list[DoseOverride] = []
    for item_path, item in _enumerate(value, path, allow_empty=True):
        obj = _Obj(item, item_path)
        cycles = _range(obj.req("cycles"), obj.at("cycles"))
        days = _days(obj.req("days"), obj.at("days"))
        amount = _number(obj.req("amount"), obj.at("amount"))
        label = _str(obj.req("label"), obj.at("label"))
        obj.done()
        covering = [rule for rule in schedule if rule.cycles.overlaps(cycles)]
        if not covering:
            raise RegimenContentError(obj.at("cycles"), "no scheduled cycles in this range")
        for rule in covering:
            missing = sorted(set(days) - set(rule.days))
            if missing:
                raise RegimenContentError(
                    obj.at("days"), f"day(s) {missing} are not dosing days in {rule.cycles.label}"
                )
        for earlier in overrides:
            if earlier.cycles.overlaps(cycles) and set(earlier.days) & set(days):
                raise RegimenContentError(item_path, "overlaps an earlier dose override")
        overrides.append(DoseOverride(cycles=cycles, days=days, amount=amount, label=label))
    return tuple(overrides)


def _age_rule(
    value: Any, path: str, *, cycle_rules: Sequence[CycleRule], max_cycles: int | None
) -> AgeRule:
    obj = _Obj(value, path)
    operator = _enum(AgeOperator, obj.req("operator"), obj.at("operator"))
    years = _int(obj.req("years"), obj.at("years"), minimum=18, maximum=110)
    amount = _number(obj.req("amount"), obj.at("amount"))
    from_cycle, from_day = 1, 1
    if obj.has("from"):
        start = _Obj(obj.req("from"), obj.at("from"))
        from_cycle = _int(start.req("cycle"), start.at("cycle"), minimum=1)
        from_day = _int(start.req("day"), start.at("day"), minimum=1)
        start.done()
    else:
        obj.opt("from")
    schedule: tuple[DayRule, ...] = ()
    if obj.has("schedule"):
        schedule = _schedule(
            obj.req("schedule"), obj.at("schedule"), cycle_rules=cycle_rules, max_cycles=max_cycles
        )
        if not any(rule.cycles.contains(from_cycle) for rule in schedule):
            raise RegimenContentError(
                obj.at("schedule"), f"does not cover cycle {from_cycle}, where the rule starts"
            )
    else:
        obj.opt("schedule")
    source = _str(obj.req("source"), obj.at("source"))
    verification, note = _verification(obj)
    obj.done()
    return AgeRule(
        operator=operator,
        years=years,
        amount=amount,
        from_cycle=from_cycle,
        from_day=from_day,
        schedule=schedule,
        source=source,
        verification=verification,
        verification_note=note,
    )


def _renal_bands(value: Any, path: str, *, standard_amount: float) -> tuple[RenalBand, ...]:
    bands: list[RenalBand] = []
    for item_path, item in _enumerate(value, path):
        obj = _Obj(item, item_path)
        raw_dialysis = obj.opt("dialysis")
        dialysis = False if raw_dialysis is None else _bool(raw_dialysis, obj.at("dialysis"))
        raw_min, raw_max = obj.opt("crcl_min"), obj.opt("crcl_max")
        crcl_min = None if raw_min is None else _number(raw_min, obj.at("crcl_min"))
        crcl_max = None if raw_max is None else _number(raw_max, obj.at("crcl_max"))
        amount = _number(obj.req("amount"), obj.at("amount"))
        raw_frequency = obj.opt("frequency")
        frequency = (
            Frequency.DAILY
            if raw_frequency is None
            else _enum(Frequency, raw_frequency, obj.at("frequency"))
        )
        text = _str(obj.req("text"), obj.at("text"))
        note = _opt_str(obj, "note")
        obj.done()
        if dialysis and (crcl_min is not None or crcl_max is not None):
            raise RegimenContentError(item_path, "a dialysis band has no CrCl bounds")
        if crcl_min is not None and crcl_max is not None and crcl_max <= crcl_min:
            raise RegimenContentError(item_path, "crcl_max must be above crcl_min")
        if amount > standard_amount:
            raise RegimenContentError(
                obj.at("amount"),
                f"renal amount {amount} is above the standard dose {standard_amount}",
            )
        bands.append(
            RenalBand(
                crcl_min=crcl_min,
                crcl_max=crcl_max,
                dialysis=dialysis,
                amount=amount,
                frequency=frequency,
                text=text,
                note=note,
            )
        )
    dialysis_bands = [b for b in bands if b.dialysis]
    if len(dialysis_bands) != 1:
        raise RegimenContentError(path, "needs exactly one dialysis band (dialysis: true)")
    # Non-dialysis bands must tile [0, ∞) without gaps or overlaps (min inclusive, max exclusive).
    ordered = sorted(
        (b for b in bands if not b.dialysis),
        key=lambda b: -math.inf if b.crcl_min is None else b.crcl_min,
    )
    previous_max: float | None = None
    for index, band in enumerate(ordered):
        if index == 0:
            if band.crcl_min is not None:
                raise RegimenContentError(path, "the lowest band must start at 0 (crcl_min: null)")
        elif band.crcl_min != previous_max:
            raise RegimenContentError(
                path,
                f"bands must be contiguous: a band ends at {previous_max}, next starts at"
                f" {band.crcl_min}",
            )
        if band.crcl_max is None and index != len(ordered) - 1:
            raise RegimenContentError(path, "only the highest band may be open-ended")
        previous_max = band.crcl_max
    if not ordered or ordered[-1].crcl_max is not None:
        raise RegimenContentError(path, "the highest band must be open-ended (crcl_max: null)")
    return tuple(bands)


def _renal_rule(value: Any, path: str, *, dose: DoseSpec) -> RenalRule:
    obj = _Obj(value, path)
    if dose.basis is not DoseBasis.FIXED_MG:
        raise RegimenContentError(path, "renal rules are only supported for fixed_mg doses")
    rule = _str(obj.req("rule"), obj.at("rule"))
    jurisdictions_obj = _Obj(obj.req("jurisdictions"), obj.at("jurisdictions"))
    items: list[RenalJurisdictionRule] = []
    for jurisdiction in Jurisdiction:
        key = jurisdiction.value
        j_obj = _Obj(jurisdictions_obj.req(key), jurisdictions_obj.at(key))
        label = _str(j_obj.req("label"), j_obj.at("label"))
        source = _str(j_obj.req("source"), j_obj.at("source"))
        verification, note = _verification(j_obj)
        bands = _renal_bands(j_obj.req("bands"), j_obj.at("bands"), standard_amount=dose.amount)
        j_obj.done()
        items.append(
            RenalJurisdictionRule(
                jurisdiction=jurisdiction,
                label=label,
                source=source,
                verification=verification,
                verification_note=note,
                bands=bands,
            )
        )
    jurisdictions_obj.done()
    obj.done()
    return RenalRule(rule=rule, jurisdictions=tuple(items))


def _bsa_cap(value: Any, path: str, *, dose: DoseSpec) -> BsaCap:
    obj = _Obj(value, path)
    if dose.basis is not DoseBasis.MG_PER_M2:
        raise RegimenContentError(path, "a BSA cap needs a mg_per_m2 dose")
    m2 = _number(obj.req("m2"), obj.at("m2"))
    source = _str(obj.req("source"), obj.at("source"))
    verification, note = _verification(obj)
    obj.done()
    return BsaCap(m2=m2, source=source, verification=verification, verification_note=note)


def _presentations(value: Any, path: str, *, concentration: float | None) -> Presentations:
    obj = _Obj(value, path)
    form = _enum(PresentationForm, obj.req("form"), obj.at("form"))
    items: list[Presentation] = []
    for item_path, item in _enumerate(obj.req("strengths"), obj.at("strengths")):
        p_obj = _Obj(item, item_path)
        mg = _number(p_obj.req("mg"), p_obj.at("mg"))
        raw_ml = p_obj.opt("ml")
        ml = None if raw_ml is None else _number(raw_ml, p_obj.at("ml"))
        p_obj.done()
        if ml is not None and form is not PresentationForm.VIAL:
            raise RegimenContentError(p_obj.at("ml"), "only vials have a volume")
        if (
            ml is not None
            and concentration is not None
            and not math.isclose(mg / ml, concentration)
        ):
            raise RegimenContentError(
                item_path, f"{mg} mg / {ml} mL does not match concentration {concentration} mg/mL"
            )
        if any(existing.strength_mg == mg for existing in items):
            raise RegimenContentError(p_obj.at("mg"), f"strength {mg} mg listed twice")
        items.append(Presentation(strength_mg=mg, volume_ml=ml))
    source = _str(obj.req("source"), obj.at("source"))
    verification, note = _verification(obj)
    obj.done()
    items.sort(key=lambda p: p.strength_mg, reverse=True)
    return Presentations(
        form=form,
        items=tuple(items),
        source=source,
        verification=verification,
        verification_note=note,
    )


def _premedication(value: Any, path: str) -> Premedication:
    obj = _Obj(value, path)
    timing = _str(obj.req("timing"), obj.at("timing"))
    timing_after = _opt_str(obj, "timing_after")
    before_minutes: NumberRange | None = None
    if obj.has("before_minutes"):
        before_minutes = _range(obj.req("before_minutes"), obj.at("before_minutes"))
        if before_minutes.last is None:
            raise RegimenContentError(obj.at("before_minutes"), "needs an upper bound")
    else:
        obj.opt("before_minutes")
    raw_steroid = obj.opt("backbone_steroid")
    steroid = None if raw_steroid is None else _str(raw_steroid, obj.at("backbone_steroid"))
    note = _opt_str(obj, "note")
    source = _str(obj.req("source"), obj.at("source"))
    verification, verification_note = _verification(obj)
    items: list[PremedicationItem] = []
    for item_path, item in _enumerate(obj.req("items"), obj.at("items"), allow_empty=True):
        i_obj = _Obj(item, item_path)
        raw_cycles = i_obj.opt("cycles")
        raw_when = i_obj.opt("when")
        when = (
            PremedicationTiming.BEFORE
            if raw_when is None
            else _enum(PremedicationTiming, raw_when, i_obj.at("when"))
        )
        if when is PremedicationTiming.AFTER and not timing_after:
            raise RegimenContentError(
                obj.at("timing_after"), "required when an item is given after the infusion"
            )
        items.append(
            PremedicationItem(
                name=_str(i_obj.req("name"), i_obj.at("name")),
                dose=_str(i_obj.req("dose"), i_obj.at("dose")),
                route=_str(i_obj.req("route"), i_obj.at("route")),
                rule=_str(i_obj.req("rule"), i_obj.at("rule")),
                text=_str(i_obj.req("text"), i_obj.at("text")),
                cycles=None if raw_cycles is None else _range(raw_cycles, i_obj.at("cycles")),
                when=when,
            )
        )
        i_obj.done()
    obj.done()
    return Premedication(
        timing=timing,
        before_minutes=before_minutes,
        timing_after=timing_after,
        backbone_steroid=steroid,
        note=note,
        source=source,
        verification=verification,
        verification_note=verification_note,
        items=tuple(items),
    )


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


def _infusion(value: Any, path: str) -> InfusionPlan:
    obj = _Obj(value, path)
    volume = _number(obj.req("volume_ml"), obj.at("volume_ml"))
    diluent = _str(obj.req("diluent"), obj.at("diluent"))
    note = _opt_str(obj, "note")
    source = _str(obj.req("source"), obj.at("source"))
    verification, verification_note = _verification(obj)
    steps_source = _str(obj.req("steps_source"), obj.at("steps_source"))
    steps_verification = _enum(
        Verification, obj.req("steps_verification"), obj.at("steps_verification")
    )
    rates: list[InfusionRate] = []
    expected_first = 1
    items = list(_enumerate(obj.req("by_infusion"), obj.at("by_infusion")))
    for index, (item_path, item) in enumerate(items):
        r_obj = _Obj(item, item_path)
        infusions = _range(r_obj.req("infusions"), r_obj.at("infusions"))
        total = _number(r_obj.req("total_minutes"), r_obj.at("total_minutes"))
        steps: list[InfusionStep] = []
        step_items = list(_enumerate(r_obj.req("steps"), r_obj.at("steps")))
        for s_index, (step_path, step) in enumerate(step_items):
            s_obj = _Obj(step, step_path)
            rate = _number(s_obj.req("rate_ml_h"), s_obj.at("rate_ml_h"))
            raw_minutes = s_obj.opt("minutes")
            minutes = None if raw_minutes is None else _number(raw_minutes, s_obj.at("minutes"))
            s_obj.done()
            is_last = s_index == len(step_items) - 1
            if (minutes is None) != is_last:
                raise RegimenContentError(
                    s_obj.at("minutes"), "only the last step runs until the bag is empty (null)"
                )
            steps.append(InfusionStep(rate_ml_h=rate, minutes=minutes))
        r_obj.done()
        if infusions.first != expected_first:
            raise RegimenContentError(
                r_obj.at("infusions"), f"must continue at infusion {expected_first}"
            )
        if infusions.last is None and index != len(items) - 1:
            raise RegimenContentError(r_obj.at("infusions"), "only the last entry may be open")
        computed = infusion_minutes(volume_ml=volume, steps=steps)
        if abs(computed - total) > INFUSION_TOTAL_TOLERANCE_MIN:
            raise RegimenContentError(
                r_obj.at("steps"),
                f"steps give {computed:.2f} min for {volume} mL, not total_minutes {total}",
            )
        rates.append(InfusionRate(infusions=infusions, total_minutes=total, steps=tuple(steps)))
        expected_first = (infusions.last or 0) + 1
    if rates[-1].infusions.last is not None:
        raise RegimenContentError(obj.at("by_infusion"), "the last entry must be open-ended")
    obj.done()
    return InfusionPlan(
        volume_ml=volume,
        diluent=diluent,
        note=note,
        source=source,
        verification=verification,
        verification_note=verification_note,
        steps_source=steps_source,
        steps_verification=steps_verification,
        by_infusion=tuple(rates),
    )


def _component(
    value: Any, path: str, *, cycle_rules: Sequence[CycleRule], max_cycles: int | None
) -> Component:
    obj = _Obj(value, path)
    drug = _str(obj.req("drug"), obj.at("drug"))
    if not _INN_RE.match(drug):
        raise RegimenContentError(obj.at("drug"), f"must be a lower-case INN (got {drug!r})")
    route, route_rule = _route(obj)
    dose = _dose(obj.req("dose"), obj.at("dose"))
    schedule = _schedule(
        obj.req("schedule"), obj.at("schedule"), cycle_rules=cycle_rules, max_cycles=max_cycles
    )
    overrides = (
        _overrides(obj.req("dose_overrides"), obj.at("dose_overrides"), schedule=schedule)
        if obj.has("dose_overrides")
        else ()
    )
    age_rule = (
        _age_rule(
            obj.req("age_rule"), obj.at("age_rule"), cycle_rules=cycle_rules, max_cycles=max_cycles
        )
        if obj.has("age_rule")
        else None
    )
    renal_rule = (
        _renal_rule(obj.req("renal_rule"), obj.at("renal_rule"), dose=dose)
        if obj.has("renal_rule")
        else None
    )
    bsa_cap = (
        _bsa_cap(obj.req("bsa_cap"), obj.at("bsa_cap"), dose=dose) if obj.has("bsa_cap") else None
    )
    min_interval = (
        _int(obj.req("min_interval_hours"), obj.at("min_interval_hours"), minimum=1)
        if obj.has("min_interval_hours")
        else None
    )
    concentration = (
        _number(obj.req("concentration_mg_ml"), obj.at("concentration_mg_ml"))
        if obj.has("concentration_mg_ml")
        else None
    )
    presentations = (
        _presentations(
            obj.req("presentations"), obj.at("presentations"), concentration=concentration
        )
        if obj.has("presentations")
        else None
    )
    number_infusions = (
        _bool(obj.req("number_infusions"), obj.at("number_infusions"))
        if obj.has("number_infusions")
        else False
    )
    infusion = _infusion(obj.req("infusion"), obj.at("infusion")) if obj.has("infusion") else None
    premedication = (
        _premedication(obj.req("premedication"), obj.at("premedication"))
        if obj.has("premedication")
        else None
    )
    administration_note = _opt_str(obj, "administration_note")
    instructions = _str(obj.req("patient_instructions"), obj.at("patient_instructions"))
    source = _str(obj.req("source"), obj.at("source"))
    verification, verification_note = _verification(obj)
    for key in ("dose_overrides", "age_rule", "renal_rule", "bsa_cap", "min_interval_hours"):
        obj.opt(key)
    for key in ("concentration_mg_ml", "presentations", "number_infusions", "infusion"):
        obj.opt(key)
    obj.opt("premedication")
    obj.done()

    # Precedence: an age rule with its own schedule replaces the days and the amount where it
    # applies (DKd: 20 mg weekly from week 2 at ≥ 75 instead of the split doses and the 40 mg day
    # 22 override), so it may sit beside dose overrides; otherwise one rule per component.
    overrides_apart = overrides and not (age_rule is not None and age_rule.schedule)
    combined = [
        key
        for key, rule in (
            ("dose_overrides", overrides_apart),
            ("age_rule", age_rule),
            ("renal_rule", renal_rule),
        )
        if rule
    ]
    if overrides and renal_rule is not None:
        combined = ["dose_overrides", "renal_rule"]
    if len(combined) > 1:
        raise RegimenContentError(
            path, f"{' and '.join(combined)} cannot be combined on one component (precedence)"
        )
    if number_infusions and route is not Route.IV:
        raise RegimenContentError(obj.at("number_infusions"), "only IV infusions are numbered")
    if infusion is not None and not number_infusions:
        raise RegimenContentError(
            obj.at("infusion"), "an infusion plan needs number_infusions: true"
        )
    if concentration is not None and (
        presentations is None or presentations.form is not PresentationForm.VIAL
    ):
        raise RegimenContentError(obj.at("concentration_mg_ml"), "needs vial presentations")
    # C5: the engine rejects bortezomib calendars with < 72 h between doses (V1, [PUB] P18).
    if drug == "bortezomib" and (min_interval is None or min_interval < 72):
        raise RegimenContentError(
            obj.at("min_interval_hours"), "bortezomib needs min_interval_hours: 72 or more (V1, C5)"
        )
    if min_interval is not None:
        min_gap_days = math.ceil(min_interval / 24)
        for index, rule in enumerate(schedule):
            gaps = [b - a for a, b in zip(rule.days, rule.days[1:], strict=False)]
            if gaps and min(gaps) < min_gap_days:
                raise RegimenContentError(
                    f"{obj.at('schedule')}[{index}].days",
                    f"days closer than {min_interval} h apart (min_interval_hours)",
                )
    return Component(
        drug=drug,
        route=route,
        route_rule=route_rule,
        dose=dose,
        schedule=schedule,
        dose_overrides=overrides,
        age_rule=age_rule,
        renal_rule=renal_rule,
        bsa_cap=bsa_cap,
        min_interval_hours=min_interval,
        presentations=presentations,
        concentration_mg_ml=concentration,
        number_infusions=number_infusions,
        infusion=infusion,
        premedication=premedication,
        administration_note=administration_note,
        patient_instructions=instructions,
        source=source,
        verification=verification,
        verification_note=verification_note,
    )


def regimen_spec_from_dict(data: Mapping[str, Any]) -> RegimenSpec:
    """Build and validate a :class:`RegimenSpec` from its definition (YAML/JSON mapping).

    Raises :class:`RegimenContentError` naming the path of the first problem found.
    """
    obj = _Obj(data, "")
    slug = _str(obj.req("slug"), "slug")
    if not _SLUG_RE.match(slug):
        raise RegimenContentError("slug", f"must be lower-case words joined by '-' (got {slug!r})")
    name = _str(obj.req("name"), "name")
    indication = _str(obj.req("indication"), "indication")
    source = _str(obj.req("source"), "source")
    author = _str(obj.req("author"), "author")
    raw_checker = obj.opt("checker")
    checker = None if raw_checker is None else _str(raw_checker, "checker")
    verification, verification_note = _verification(obj)

    notes_obj = obj.opt("jurisdiction_notes")
    jurisdiction_notes: list[JurisdictionNote] = []
    if notes_obj is not None:
        j_obj = _Obj(notes_obj, "jurisdiction_notes")
        for jurisdiction in Jurisdiction:
            raw = j_obj.opt(jurisdiction.value)
            if raw is not None:
                jurisdiction_notes.append(
                    JurisdictionNote(
                        jurisdiction=jurisdiction, text=_str(raw, j_obj.at(jurisdiction.value))
                    )
                )
        j_obj.done()

    cycle_rules = _cycle_rules(obj.req("cycle_rules"), "cycle_rules")
    raw_max = obj.opt("max_cycles")
    max_cycles = None if raw_max is None else _int(raw_max, "max_cycles", minimum=1)
    last_rule = cycle_rules[-1].cycles
    if last_rule.last is not None and (max_cycles is None or max_cycles > last_rule.last):
        raise RegimenContentError(
            "max_cycles",
            f"cycle rules end at cycle {last_rule.last}: max_cycles must be set and ≤"
            f" {last_rule.last} (or make the last cycle rule open-ended)",
        )

    components: list[Component] = []
    for item_path, item in _enumerate(obj.req("components"), "components"):
        component = _component(item, item_path, cycle_rules=cycle_rules, max_cycles=max_cycles)
        if any(c.drug == component.drug for c in components):
            raise RegimenContentError(
                f"{item_path}.drug",
                f"{component.drug} is listed twice (one administration per drug per day)",
            )
        components.append(component)
    drugs = {c.drug for c in components}

    for index, component in enumerate(components):
        path = f"components[{index}]"
        if component.route_rule is not None:
            unknown = sorted(set(component.route_rule.on_days_with) - (drugs - {component.drug}))
            if unknown:
                raise RegimenContentError(
                    f"{path}.route.on_days_with", f"not other drugs of this regimen: {unknown}"
                )
        premed = component.premedication
        if (
            premed is not None
            and premed.backbone_steroid is not None
            and premed.backbone_steroid not in drugs
        ):
            raise RegimenContentError(
                f"{path}.premedication.backbone_steroid",
                f"{premed.backbone_steroid} is not a drug of this regimen",
            )
        if verification is Verification.VERIFIED and component.verification is Verification.PENDING:
            raise RegimenContentError(
                f"{path}.verification",
                "a regimen marked verified cannot contain a pending component",
            )

    order_rule: OrderRule | None = None
    if obj.has("order_on_shared_days"):
        o_obj = _Obj(obj.req("order_on_shared_days"), "order_on_shared_days")
        order_drugs = tuple(
            _str(item, item_path)
            for item_path, item in _enumerate(o_obj.req("drugs"), o_obj.at("drugs"))
        )
        if len(set(order_drugs)) != len(order_drugs) or not set(order_drugs) <= drugs:
            raise RegimenContentError(o_obj.at("drugs"), "must list distinct drugs of this regimen")
        order_rule = OrderRule(
            drugs=order_drugs,
            source=_str(o_obj.req("source"), o_obj.at("source")),
            verification=_enum(Verification, o_obj.req("verification"), o_obj.at("verification")),
        )
        o_obj.done()
    else:
        obj.opt("order_on_shared_days")

    milestones: list[Milestone] = []
    raw_milestones = obj.opt("milestones")
    if raw_milestones is not None:
        for item_path, item in _enumerate(raw_milestones, "milestones", allow_empty=True):
            m_obj = _Obj(item, item_path)
            after = _int(m_obj.req("after_cycle"), m_obj.at("after_cycle"), minimum=1)
            if max_cycles is not None and after > max_cycles:
                raise RegimenContentError(
                    m_obj.at("after_cycle"), f"is after the last cycle ({max_cycles})"
                )
            label = _str(m_obj.req("label"), m_obj.at("label"))
            names_transplant = _TRANSPLANT_RE.search(label) is not None
            if m_obj.has("transplant"):
                transplant = _bool(m_obj.req("transplant"), m_obj.at("transplant"))
                if names_transplant and not transplant:
                    raise RegimenContentError(
                        m_obj.at("transplant"),
                        "is false but the label names a transplant (ASCT/high-dose therapy)",
                    )
            else:
                # Definitions stored before the flag existed: the label decides.
                m_obj.opt("transplant")
                transplant = names_transplant
            milestones.append(
                Milestone(
                    after_cycle=after,
                    label=label,
                    transplant=transplant,
                    source=_str(m_obj.req("source"), m_obj.at("source")),
                    verification=_enum(
                        Verification, m_obj.req("verification"), m_obj.at("verification")
                    ),
                )
            )
            m_obj.done()

    notes: list[str] = []
    raw_notes = obj.opt("notes")
    if raw_notes is not None:
        notes = [_str(item, p) for p, item in _enumerate(raw_notes, "notes", allow_empty=True)]

    settings: list[Setting] = []
    raw_settings = obj.opt("settings")
    if raw_settings is not None:
        for item_path, item in _enumerate(raw_settings, "settings"):
            setting = _enum(Setting, item, item_path)
            if setting in settings:
                raise RegimenContentError(item_path, f"{setting.value} is listed twice")
            settings.append(setting)

    supportive_care: list[SupportiveCareNote] = []
    raw_care = obj.opt("supportive_care")
    if raw_care is not None:
        for item_path, item in _enumerate(raw_care, "supportive_care"):
            c_obj = _Obj(item, item_path)
            text = _str(c_obj.req("text"), c_obj.at("text"))
            raw_patient_note = c_obj.opt("patient_note")
            patient_note = (
                None
                if raw_patient_note is None
                else _enum(PatientNote, raw_patient_note, c_obj.at("patient_note"))
            )
            care_source = _str(c_obj.req("source"), c_obj.at("source"))
            care_verification, care_note = _verification(c_obj)
            c_obj.done()
            supportive_care.append(
                SupportiveCareNote(
                    text=text,
                    patient_note=patient_note,
                    source=care_source,
                    verification=care_verification,
                    verification_note=care_note,
                )
            )
    obj.done()

    return RegimenSpec(
        slug=slug,
        name=name,
        indication=indication,
        source=source,
        author=author,
        checker=checker,
        verification=verification,
        verification_note=verification_note,
        jurisdiction_notes=tuple(jurisdiction_notes),
        cycle_rules=cycle_rules,
        max_cycles=max_cycles,
        components=tuple(components),
        order_on_shared_days=order_rule,
        milestones=tuple(milestones),
        notes=tuple(notes),
        settings=tuple(settings),
        supportive_care=tuple(supportive_care),
    )


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def _num_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _range_out(value: NumberRange) -> list[int | None]:
    return [value.first, value.last]


def _days_out(days: Sequence[int]) -> list[int | str]:
    """Canonical day list: runs of three or more consecutive days are written ``"a-b"``."""
    out: list[int | str] = []
    index = 0
    while index < len(days):
        end = index
        while end + 1 < len(days) and days[end + 1] == days[end] + 1:
            end += 1
        if end - index >= 2:
            out.append(f"{days[index]}-{days[end]}")
        else:
            out.extend(days[index : end + 1])
        index = end + 1
    return out


def _verification_out(verification: Verification, note: str) -> dict[str, Any]:
    out: dict[str, Any] = {"verification": verification.value}
    if note:
        out["verification_note"] = note
    return out


def _component_out(c: Component) -> dict[str, Any]:
    out: dict[str, Any] = {"drug": c.drug}
    if c.route_rule is None:
        out["route"] = c.route.value
    else:
        out["route"] = {
            "default": c.route.value,
            "on_days_with": list(c.route_rule.on_days_with),
            "route": c.route_rule.route.value,
        }
    out["dose"] = {"basis": c.dose.basis.value, "amount": c.dose.amount}
    out["schedule"] = [
        {"cycles": _range_out(r.cycles), "days": _days_out(r.days)} for r in c.schedule
    ]
    if c.dose_overrides:
        out["dose_overrides"] = [
            {
                "cycles": _range_out(o.cycles),
                "days": _days_out(o.days),
                "amount": o.amount,
                "label": o.label,
            }
            for o in c.dose_overrides
        ]
    if c.age_rule is not None:
        a = c.age_rule
        age: dict[str, Any] = {"operator": a.operator.value, "years": a.years, "amount": a.amount}
        if (a.from_cycle, a.from_day) != (1, 1):
            age["from"] = {"cycle": a.from_cycle, "day": a.from_day}
        if a.schedule:
            age["schedule"] = [
                {"cycles": _range_out(r.cycles), "days": _days_out(r.days)} for r in a.schedule
            ]
        age["source"] = a.source
        age.update(_verification_out(a.verification, a.verification_note))
        out["age_rule"] = age
    if c.renal_rule is not None:
        jurisdictions: dict[str, Any] = {}
        for j in c.renal_rule.jurisdictions:
            bands: list[dict[str, Any]] = []
            for b in j.bands:
                band: dict[str, Any] = {}
                if b.dialysis:
                    band["dialysis"] = True
                else:
                    band["crcl_min"] = b.crcl_min
                    band["crcl_max"] = b.crcl_max
                band.update({"amount": b.amount, "frequency": b.frequency.value, "text": b.text})
                if b.note:
                    band["note"] = b.note
                bands.append(band)
            jurisdictions[j.jurisdiction.value] = {
                "label": j.label,
                "source": j.source,
                **_verification_out(j.verification, j.verification_note),
                "bands": bands,
            }
        out["renal_rule"] = {"rule": c.renal_rule.rule, "jurisdictions": jurisdictions}
    if c.bsa_cap is not None:
        out["bsa_cap"] = {
            "m2": c.bsa_cap.m2,
            "source": c.bsa_cap.source,
            **_verification_out(c.bsa_cap.verification, c.bsa_cap.verification_note),
        }
    if c.min_interval_hours is not None:
        out["min_interval_hours"] = c.min_interval_hours
    if c.presentations is not None:
        p = c.presentations
        strengths: list[dict[str, Any]] = []
        for item in p.items:
            entry: dict[str, Any] = {"mg": item.strength_mg}
            if item.volume_ml is not None:
                entry["ml"] = item.volume_ml
            strengths.append(entry)
        out["presentations"] = {
            "form": p.form.value,
            "strengths": strengths,
            "source": p.source,
            **_verification_out(p.verification, p.verification_note),
        }
    if c.concentration_mg_ml is not None:
        out["concentration_mg_ml"] = c.concentration_mg_ml
    if c.number_infusions:
        out["number_infusions"] = True
    if c.infusion is not None:
        i = c.infusion
        out["infusion"] = {
            "volume_ml": i.volume_ml,
            "diluent": i.diluent,
            "note": i.note,
            "source": i.source,
            **_verification_out(i.verification, i.verification_note),
            "steps_source": i.steps_source,
            "steps_verification": i.steps_verification.value,
            "by_infusion": [
                {
                    "infusions": _range_out(r.infusions),
                    "total_minutes": r.total_minutes,
                    "steps": [{"rate_ml_h": s.rate_ml_h, "minutes": s.minutes} for s in r.steps],
                }
                for r in i.by_infusion
            ],
        }
    if c.premedication is not None:
        pm = c.premedication
        items_out: list[dict[str, Any]] = []
        for item_pm in pm.items:
            entry_pm: dict[str, Any] = {
                "name": item_pm.name,
                "dose": item_pm.dose,
                "route": item_pm.route,
                "rule": item_pm.rule,
                "text": item_pm.text,
            }
            if item_pm.cycles is not None:
                entry_pm["cycles"] = _range_out(item_pm.cycles)
            if item_pm.when is not PremedicationTiming.BEFORE:
                entry_pm["when"] = item_pm.when.value
            items_out.append(entry_pm)
        out["premedication"] = {
            "timing": pm.timing,
            **(
                {}
                if pm.before_minutes is None
                else {"before_minutes": _range_out(pm.before_minutes)}
            ),
            **({"timing_after": pm.timing_after} if pm.timing_after else {}),
            "backbone_steroid": pm.backbone_steroid,
            "note": pm.note,
            "source": pm.source,
            **_verification_out(pm.verification, pm.verification_note),
            "items": items_out,
        }
    if c.administration_note:
        out["administration_note"] = c.administration_note
    out["patient_instructions"] = c.patient_instructions
    out["source"] = c.source
    out.update(_verification_out(c.verification, c.verification_note))
    return out


def regimen_spec_to_dict(spec: RegimenSpec) -> dict[str, Any]:
    """The canonical JSON-ready definition; ``regimen_spec_from_dict`` reads it back unchanged."""
    out: dict[str, Any] = {
        "slug": spec.slug,
        "name": spec.name,
        "indication": spec.indication,
        "source": spec.source,
        "author": spec.author,
        "checker": spec.checker,
        **_verification_out(spec.verification, spec.verification_note),
    }
    if spec.jurisdiction_notes:
        out["jurisdiction_notes"] = {n.jurisdiction.value: n.text for n in spec.jurisdiction_notes}
    out["cycle_rules"] = [
        {"cycles": _range_out(r.cycles), "length_days": r.length_days} for r in spec.cycle_rules
    ]
    out["max_cycles"] = spec.max_cycles
    if spec.order_on_shared_days is not None:
        o = spec.order_on_shared_days
        out["order_on_shared_days"] = {
            "drugs": list(o.drugs),
            "source": o.source,
            "verification": o.verification.value,
        }
    out["components"] = [_component_out(c) for c in spec.components]
    if spec.milestones:
        out["milestones"] = [
            {
                "after_cycle": m.after_cycle,
                "label": m.label,
                **({"transplant": True} if m.transplant else {}),
                "source": m.source,
                "verification": m.verification.value,
            }
            for m in spec.milestones
        ]
    if spec.notes:
        out["notes"] = list(spec.notes)
    if spec.settings:
        out["settings"] = [s.value for s in spec.settings]
    if spec.supportive_care:
        out["supportive_care"] = [
            {
                "text": n.text,
                **({"patient_note": n.patient_note.value} if n.patient_note else {}),
                "source": n.source,
                **_verification_out(n.verification, n.verification_note),
            }
            for n in spec.supportive_care
        ]
    return out
