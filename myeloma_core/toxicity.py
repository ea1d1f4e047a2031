"""Toxicity grading and the decision before each dose — domain-reference §22 (T1–T10), §13–§14.

CTCAE laboratory grades (T1–T3) come from rule tables shipped as content (content/toxicity/)
and validated here; every grade carries its CTCAE version. A grade that needs the laboratory's
lower limit of normal (LLN) and does not have it is a range, never "normal" (G1). ASTCT CRS and
ICANS (T8–T9) and the KVA scale (T10) are fixed published scales and live in code with their
sources. The isatuximab decision (T4–T5, X7, X24, X26) never reduces the dose; partner drugs
(T7) get "review" unless a label-verified rule exists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import InfusionStep, Verification, infusion_minutes
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
        shown = f"{format_number(self.value)} {_unit_label(self.unit)}"
        if self.unit in (COUNT_UNIT, HAEMOGLOBIN_UNIT):
            return shown
        table_unit = HAEMOGLOBIN_UNIT if self.term is Term.HAEMOGLOBIN else COUNT_UNIT
        return f"{shown} ({format_number(self.in_table_unit)} {_unit_label(table_unit)})"


def _unit_label(unit: str) -> str:
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
            f"The {label} must be {accepted}; got {format_number(number)} {_unit_label(canonical)}."
        )
        if canonical == COUNT_UNIT and number / _PER_MICROLITRE_FACTOR <= maximum:
            message += (
                f" Was it entered in /µL? {format_number(number)} /µL is "
                f"{format_number(number / _PER_MICROLITRE_FACTOR)} ×10⁹/L."
            )
        raise InvalidInput(field, message)
    return Count(term=term, value=float(value), unit=canonical, in_table_unit=in_table)


# --------------------------------------------------------------------------------------------------
# CTCAE tables (content) and grading (T1–T3)
# --------------------------------------------------------------------------------------------------


class ToxicityContentError(ValueError):
    """A toxicity content file that does not validate: ``path`` names the offending key."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _req(data: Mapping[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise ToxicityContentError(path, "must be a mapping")
    if key not in data:
        raise ToxicityContentError(f"{path}.{key}", "is required")
    return data[key]


def _text(data: Mapping[str, Any], key: str, path: str, *, blank: bool = False) -> str:
    value = _req(data, key, path)
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise ToxicityContentError(f"{path}.{key}", "must be a non-empty text")
    return value.strip()


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ToxicityContentError(path, "must be a number")
    return exact(value)


def _verification(data: Mapping[str, Any], path: str) -> Verification:
    value = _req(data, "verification", path)
    try:
        return Verification(value)
    except ValueError:
        raise ToxicityContentError(f"{path}.verification", "must be verified or pending") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Governance:
    """Who wrote a rule table and who checked it (the governed-content workflow fills these)."""

    source: str
    verification: Verification
    verification_note: str
    author: str
    checker: str | None


def _governance(data: Mapping[str, Any], path: str) -> Governance:
    checker = _req(data, "checker", path)
    if checker is not None and (not isinstance(checker, str) or not checker.strip()):
        raise ToxicityContentError(f"{path}.checker", "must be a name or null")
    return Governance(
        source=_text(data, "source", path),
        verification=_verification(data, path),
        verification_note=_text(data, "verification_note", path, blank=True),
        author=_text(data, "author", path),
        checker=checker,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeThreshold:
    grade: int
    below: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class TermThresholds:
    term: Term
    name: str
    unit: str
    grade_1_below_lln: bool
    thresholds: tuple[GradeThreshold, ...]  # ascending grade, descending ``below``


@dataclass(frozen=True, slots=True, kw_only=True)
class FebrileNeutropeniaRule:
    grade: int
    neutrophils_below: Decimal
    single_temperature_above: Decimal
    sustained_temperature_at_least: Decimal
    sustained_minutes_more_than: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CtcaeTable:
    version: str
    default: bool
    governance: Governance
    terms: Mapping[Term, TermThresholds]
    febrile_neutropenia: FebrileNeutropeniaRule


def _term_thresholds(term: Term, data: Any, path: str) -> TermThresholds:
    unit = _text(data, "unit", path)
    expected_unit = HAEMOGLOBIN_UNIT if term is Term.HAEMOGLOBIN else COUNT_UNIT
    if unit != expected_unit:
        raise ToxicityContentError(f"{path}.unit", f"must be {expected_unit}")
    below_lln = _req(data, "grade_1_below_lln", path)
    if not isinstance(below_lln, bool):
        raise ToxicityContentError(f"{path}.grade_1_below_lln", "must be true or false")
    raw = _req(data, "grades", path)
    if not isinstance(raw, list) or not raw:
        raise ToxicityContentError(f"{path}.grades", "must be a non-empty list")
    thresholds: list[GradeThreshold] = []
    for index, item in enumerate(raw):
        item_path = f"{path}.grades.{index}"
        grade = _req(item, "grade", item_path)
        if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
            raise ToxicityContentError(f"{item_path}.grade", "must be a whole number 1–4")
        below = _decimal(_req(item, "below", item_path), f"{item_path}.below")
        if below <= 0:
            raise ToxicityContentError(f"{item_path}.below", "must be more than 0")
        if thresholds and (grade <= thresholds[-1].grade or below >= thresholds[-1].below):
            raise ToxicityContentError(
                item_path, "grades must rise while the thresholds fall (a higher grade is lower)"
            )
        thresholds.append(GradeThreshold(grade=grade, below=below))
    if below_lln and thresholds[0].grade != 2:
        raise ToxicityContentError(f"{path}.grades", "grade 1 is below the LLN: start at grade 2")
    if not below_lln and thresholds[0].grade != 1:
        raise ToxicityContentError(f"{path}.grades", "without an LLN rule start at grade 1")
    return TermThresholds(
        term=term,
        name=_text(data, "term", path),
        unit=unit,
        grade_1_below_lln=below_lln,
        thresholds=tuple(thresholds),
    )


def ctcae_table_from_dict(data: Any, path: str = "ctcae") -> CtcaeTable:
    """Validate one CTCAE content record (content/toxicity/ctcae-*.yaml)."""
    if _req(data, "kind", path) != "ctcae_thresholds":
        raise ToxicityContentError(f"{path}.kind", "must be ctcae_thresholds")
    version = _text(data, "ctcae_version", path)
    default = _req(data, "default", path)
    if not isinstance(default, bool):
        raise ToxicityContentError(f"{path}.default", "must be true or false")
    governance = _governance(data, path)
    if default and governance.verification is not Verification.VERIFIED:
        raise ToxicityContentError(f"{path}.default", "a pending version is never the default")
    raw_terms = _req(data, "terms", path)
    if not isinstance(raw_terms, Mapping) or not raw_terms:
        raise ToxicityContentError(f"{path}.terms", "must name at least one term")
    terms: dict[Term, TermThresholds] = {}
    for key, value in raw_terms.items():
        try:
            term = Term(key)
        except ValueError:
            names = ", ".join(t.value for t in Term)
            raise ToxicityContentError(f"{path}.terms.{key}", f"must be one of {names}") from None
        terms[term] = _term_thresholds(term, value, f"{path}.terms.{key}")
    fn = _req(data, "febrile_neutropenia", path)
    fn_path = f"{path}.febrile_neutropenia"
    minutes = _req(fn, "sustained_minutes_more_than", fn_path)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ToxicityContentError(f"{fn_path}.sustained_minutes_more_than", "must be minutes > 0")
    grade = _req(fn, "grade", fn_path)
    if grade not in (3, 4):
        raise ToxicityContentError(f"{fn_path}.grade", "must be 3 or 4")
    return CtcaeTable(
        version=version,
        default=default,
        governance=governance,
        terms=terms,
        febrile_neutropenia=FebrileNeutropeniaRule(
            grade=grade,
            neutrophils_below=_decimal(
                _req(fn, "neutrophils_below", fn_path), f"{fn_path}.neutrophils_below"
            ),
            single_temperature_above=_decimal(
                _req(fn, "single_temperature_above_celsius", fn_path),
                f"{fn_path}.single_temperature_above_celsius",
            ),
            sustained_temperature_at_least=_decimal(
                _req(fn, "sustained_temperature_at_least_celsius", fn_path),
                f"{fn_path}.sustained_temperature_at_least_celsius",
            ),
            sustained_minutes_more_than=minutes,
        ),
    )


def ctcae_tables(tables: Sequence[CtcaeTable]) -> dict[str, CtcaeTable]:
    """The tables by version; exactly one default, and it is verified (T1, T3)."""
    by_version: dict[str, CtcaeTable] = {}
    for table in tables:
        if table.version in by_version:
            raise ToxicityContentError("ctcae_version", f"{table.version} is defined twice")
        by_version[table.version] = table
    defaults = [t.version for t in tables if t.default]
    if len(defaults) != 1:
        raise ToxicityContentError("default", "exactly one CTCAE version must be the default")
    return by_version


def default_version(tables: Mapping[str, CtcaeTable]) -> str:
    return next(version for version, table in tables.items() if table.default)


@dataclass(frozen=True, slots=True, kw_only=True)
class Grade:
    """One CTCAE grade with its version (T1). ``grade`` is None when only a range is known."""

    key: str
    term: str
    ctcae_version: str
    grade: int | None
    possible_grades: tuple[int, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()
    verification: Verification = Verification.VERIFIED

    @property
    def worst_possible(self) -> int | None:
        return max(self.possible_grades) if self.possible_grades else None


def grade_count(
    table: CtcaeTable, value: Count, *, lower_limit: Count | None = None, field: str | None = None
) -> Grade:
    """The CTCAE grade of a decreased count (T2/T3) in the table's unit, comparing with ``<``."""
    key = field or value.term.value
    rule = table.terms.get(value.term)
    verification = table.governance.verification
    if rule is None:
        return Grade(
            key=key,
            term=TERM_LABELS[value.term],
            ctcae_version=table.version,
            grade=None,
            possible_grades=(),
            reasons=(
                f"Not assessable: CTCAE v{table.version} has no {TERM_LABELS[value.term]} "
                "thresholds in the verified content; grade it with v5.0.",
            ),
            verification=verification,
        )
    shown = value.describe()
    unit = _unit_label(rule.unit)
    for threshold in reversed(rule.thresholds):
        if value.in_table_unit < threshold.below:
            return Grade(
                key=key,
                term=rule.name,
                ctcae_version=table.version,
                grade=threshold.grade,
                possible_grades=(threshold.grade,),
                reasons=(
                    f"{rule.name}: {shown} is below {format_number(threshold.below)} {unit} → "
                    f"grade {threshold.grade} (CTCAE v{table.version}).",
                ),
                verification=verification,
            )
    lowest_counted = rule.thresholds[0].below
    if not rule.grade_1_below_lln:
        reason = (
            f"{rule.name}: {shown} is not below {format_number(lowest_counted)} {unit} → grade 0 "
            f"(CTCAE v{table.version})."
        )
        return Grade(
            key=key,
            term=rule.name,
            ctcae_version=table.version,
            grade=0,
            possible_grades=(0,),
            reasons=(reason,),
            verification=verification,
        )
    if lower_limit is None:
        return Grade(
            key=key,
            term=rule.name,
            ctcae_version=table.version,
            grade=None,
            possible_grades=(0, 1),
            reasons=(
                f"{rule.name}: {shown} is not below {format_number(lowest_counted)} {unit}, so "
                f"grade 0–1; grade 1 starts below the laboratory's lower limit of normal, which "
                "is missing (LLN missing).",
            ),
            missing=(f"lower_limits.{key}",),
            verification=verification,
        )
    below_lln = value.in_table_unit < lower_limit.in_table_unit
    grade = 1 if below_lln else 0
    relation = "below" if below_lln else "at or above"
    return Grade(
        key=key,
        term=rule.name,
        ctcae_version=table.version,
        grade=grade,
        possible_grades=(grade,),
        reasons=(
            f"{rule.name}: {shown} is {relation} the lower limit of normal "
            f"{lower_limit.describe()} and not below {format_number(lowest_counted)} {unit} → "
            f"grade {grade} (CTCAE v{table.version}).",
        ),
        verification=verification,
    )


TEMPERATURE_RANGE = (Decimal(25), Decimal(45))


def temperature(value: Any, *, field: str = "temperature_celsius") -> Decimal:
    """A body temperature in °C, 25–45 (a value in °F is named as such)."""
    low, high = TEMPERATURE_RANGE
    rule = f"from {low} to {high} °C"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(field, f"The temperature must be a number {rule}; got {value!r}.")
    number = exact(value)
    if not low <= number <= high:
        message = f"The temperature must be {rule}; got {format_number(number)} °C."
        celsius = (number - 32) * 5 / 9
        if low <= celsius <= high:
            message += (
                f" Was it in °F? {format_number(number)} °F is {format_number(celsius, places=1)}"
                " °C."
            )
        raise InvalidInput(field, message)
    return number


def grade_febrile_neutropenia(
    table: CtcaeTable,
    *,
    neutrophils: Count | None,
    temperature_celsius: Decimal | None,
    fever_sustained_over_one_hour: bool | None = None,
) -> Grade:
    """T2: ANC < 1.0 ×10⁹/L with a single temperature > 38.3 °C or ≥ 38.0 °C for > 1 h → G3."""
    rule = table.febrile_neutropenia
    name = "Febrile neutropenia"
    version = table.version
    verification = table.governance.verification
    fever_rule = (
        f"a single temperature above {rule.single_temperature_above} °C or at least "
        f"{rule.sustained_temperature_at_least} °C sustained over "
        f"{rule.sustained_minutes_more_than} min"
    )
    missing: list[str] = []
    fever: bool | None
    if temperature_celsius is None:
        fever = None
        missing.append("temperature_celsius")
    elif temperature_celsius > rule.single_temperature_above:
        fever = True
    elif temperature_celsius >= rule.sustained_temperature_at_least:
        fever = fever_sustained_over_one_hour
        if fever is None:
            missing.append("fever_sustained_over_one_hour")
    else:
        fever = False
    neutropenic: bool | None
    if neutrophils is None:
        neutropenic = None
        missing.append("neutrophils")
    else:
        neutropenic = neutrophils.in_table_unit < rule.neutrophils_below
    anc_text = (
        "neutrophil count missing"
        if neutrophils is None
        else f"neutrophils {neutrophils.describe()}"
    )
    temp_text = (
        "temperature missing"
        if temperature_celsius is None
        else f"temperature {format_number(temperature_celsius)} °C"
    )
    facts = f"{anc_text}, {temp_text}"
    if fever is False or neutropenic is False:
        grade: int | None = 0
        possible: tuple[int, ...] = (0,)
        reason = (
            f"{name}: no — needs neutrophils below {format_number(rule.neutrophils_below)} ×10⁹/L "
            f"with {fever_rule}; {facts}."
        )
        missing = []
    elif fever and neutropenic:
        grade, possible = rule.grade, (rule.grade,)
        reason = f"{name}: {facts} → grade {rule.grade} (CTCAE v{version})."
    else:
        grade, possible = None, (0, rule.grade)
        reason = f"{name}: not assessable ({facts}); {fever_rule} with a low count is grade 3."
    return Grade(
        key="febrile_neutropenia",
        term=name,
        ctcae_version=version,
        grade=grade,
        possible_grades=possible,
        reasons=(reason,),
        missing=tuple(missing),
        verification=verification,
    )


def grade_text(grade: Grade) -> str:
    """ "3", or "0–1" when only a range is known, or "not assessable"."""
    if grade.grade is not None:
        return str(grade.grade)
    if grade.possible_grades:
        return f"{min(grade.possible_grades)}–{max(grade.possible_grades)}"
    return "not assessable"


@dataclass(frozen=True, slots=True, kw_only=True)
class Grading:
    ctcae_version: str
    verification: Verification
    grades: tuple[Grade, ...]
    missing: tuple[str, ...]
    source: str
    verification_note: str

    def get(self, key: str) -> Grade | None:
        return next((g for g in self.grades if g.key == key), None)


def grade_labs(
    table: CtcaeTable,
    *,
    counts: Mapping[Term, Count],
    lower_limits: Mapping[Term, Count] | None = None,
    temperature_celsius: Decimal | None = None,
    fever_sustained_over_one_hour: bool | None = None,
) -> Grading:
    """Grade the values sent (only those), febrile neutropenia when a temperature is sent."""
    limits = lower_limits or {}
    for term, limit in limits.items():
        if term not in counts:
            continue
        if limit.term is not term:
            raise InvalidInput(f"lower_limits.{term.value}", "must be a value of the same count.")
    grades = [
        grade_count(table, counts[term], lower_limit=limits.get(term))
        for term in Term
        if term in counts
    ]
    if temperature_celsius is not None:
        grades.append(
            grade_febrile_neutropenia(
                table,
                neutrophils=counts.get(Term.NEUTROPHILS),
                temperature_celsius=temperature_celsius,
                fever_sustained_over_one_hour=fever_sustained_over_one_hour,
            )
        )
    missing = tuple(dict.fromkeys(m for g in grades for m in g.missing))
    return Grading(
        ctcae_version=table.version,
        verification=table.governance.verification,
        grades=tuple(grades),
        missing=missing,
        source=table.governance.source,
        verification_note=table.governance.verification_note,
    )


# --------------------------------------------------------------------------------------------------
# Infusion-related reaction (T2) and the ASTCT scales (T8–T9), KVA (T10)
# --------------------------------------------------------------------------------------------------

CTCAE_V5_SOURCE = "NCI CTCAE v5.0 (domain-reference §22 T2)"
ASTCT_SOURCE = (
    "ASTCT consensus grading, Lee et al., Biol Blood Marrow Transplant 2019;25:625 "
    "(domain-reference §13.2–§13.3, §22 T8–T9) [PUB] P11a, P11b"
)
KVA_SOURCE = (
    "KVA scale, belantamab mafodotin label (DREAMM-2 era), domain-reference §13.4, §22 T10 "
    "[PUB] P12"
)


def infusion_reaction_grade(
    *,
    interruption_indicated: bool,
    prompt_response: bool,
    hospitalisation: bool,
    life_threatening: bool,
) -> int:
    """CTCAE v5.0 infusion-related reaction (T2): G1 mild, no interruption; G2 interruption
    indicated, responds promptly; G3 prolonged or recurrent, hospitalisation; G4
    life-threatening."""
    if life_threatening:
        return 4
    if hospitalisation or (interruption_indicated and not prompt_response):
        return 3
    if interruption_indicated:
        return 2
    return 1


class Hypotension(StrEnum):
    NONE = "none"
    NO_VASOPRESSOR = "no_vasopressor"
    ONE_VASOPRESSOR = "one_vasopressor"
    MULTIPLE_VASOPRESSORS = "multiple_vasopressors"


class Hypoxia(StrEnum):
    NONE = "none"
    LOW_FLOW = "low_flow"
    HIGH_FLOW = "high_flow"
    POSITIVE_PRESSURE = "positive_pressure"


_HYPOTENSION_GRADE = {
    Hypotension.NONE: 0,
    Hypotension.NO_VASOPRESSOR: 2,
    Hypotension.ONE_VASOPRESSOR: 3,
    Hypotension.MULTIPLE_VASOPRESSORS: 4,
}
_HYPOTENSION_TEXT = {
    Hypotension.NONE: "no hypotension",
    Hypotension.NO_VASOPRESSOR: "hypotension not requiring vasopressors",
    Hypotension.ONE_VASOPRESSOR: "hypotension requiring one vasopressor (± vasopressin)",
    Hypotension.MULTIPLE_VASOPRESSORS: "hypotension requiring multiple vasopressors",
}
_HYPOXIA_GRADE = {
    Hypoxia.NONE: 0,
    Hypoxia.LOW_FLOW: 2,
    Hypoxia.HIGH_FLOW: 3,
    Hypoxia.POSITIVE_PRESSURE: 4,
}
_HYPOXIA_TEXT = {
    Hypoxia.NONE: "no hypoxia",
    Hypoxia.LOW_FLOW: "hypoxia needing low-flow nasal cannula (≤ 6 L/min) or blow-by",
    Hypoxia.HIGH_FLOW: "hypoxia needing high-flow nasal cannula (> 6 L/min), facemask, "
    "non-rebreather or Venturi mask",
    Hypoxia.POSITIVE_PRESSURE: "hypoxia needing positive pressure (CPAP, BiPAP, ventilation)",
}
CRS_FEVER_CELSIUS = Decimal(38)
VASOPRESSIN = "vasopressin"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScaleGrade:
    """A grade on a published scale; ``grade`` None with ``possible_grades`` when inputs lack."""

    grade: int | None
    possible_grades: tuple[int, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    source: str


def hypotension_from_vasopressors(vasopressors: Sequence[str]) -> Hypotension:
    """T8: vasopressin does not count towards "multiple vasopressors" (one vasopressor ± it)."""
    names = {name.strip().lower() for name in vasopressors if name.strip()}
    counted = names - {VASOPRESSIN}
    if len(counted) >= 2:
        return Hypotension.MULTIPLE_VASOPRESSORS
    if names:
        return Hypotension.ONE_VASOPRESSOR
    return Hypotension.NO_VASOPRESSOR


def grade_crs(
    *,
    temperature_celsius: Decimal | None,
    fever_masked_by_treatment: bool,
    hypotension: Hypotension | None,
    hypoxia: Hypoxia | None,
) -> ScaleGrade:
    """ASTCT CRS (T8): fever ≥ 38 °C required unless masked by antipyretics or anti-cytokine
    therapy; grade = the more severe of hypotension and hypoxia (fever alone = grade 1)."""
    missing: list[str] = []
    reasons: list[str] = []
    organ_grades: list[tuple[int, ...]] = []
    for name, value, grades, texts in (
        ("hypotension", hypotension, _HYPOTENSION_GRADE, _HYPOTENSION_TEXT),
        ("hypoxia", hypoxia, _HYPOXIA_GRADE, _HYPOXIA_TEXT),
    ):
        if value is None:
            missing.append(name)
            organ_grades.append((0, 2, 3, 4))
        else:
            organ_grades.append((grades[value],))  # type: ignore[index]
            reasons.append(f"{texts[value]} → grade {grades[value]}.")  # type: ignore[index]
    organ_possible = sorted({max(h, o) for h in organ_grades[0] for o in organ_grades[1]})
    fever: bool | None
    if fever_masked_by_treatment:
        fever = None
        reasons.insert(
            0,
            "Fever masked by antipyretics or anti-cytokine therapy: fever is not required; the "
            "grade follows hypotension and hypoxia.",
        )
    elif temperature_celsius is None:
        fever = None
        missing.insert(0, "temperature_celsius")
    else:
        fever = temperature_celsius >= CRS_FEVER_CELSIUS
        reasons.insert(
            0,
            f"Temperature {format_number(temperature_celsius)} °C: "
            + ("fever (≥ 38 °C)." if fever else "no fever (below 38 °C)."),
        )
    if fever is False:
        possible: list[int] = [0]
        reasons.append(
            "No CRS by ASTCT: fever ≥ 38 °C is required unless masked by treatment; look for "
            "another cause of any hypotension or hypoxia."
        )
    elif fever is True:
        possible = sorted({max(1, g) for g in organ_possible})
    elif fever_masked_by_treatment:
        # Without fever, grade 1 cannot be told from resolved CRS; organ signs grade themselves.
        possible = sorted({g for o in organ_possible for g in ((0, 1) if o == 0 else (o,))})
    else:
        possible = sorted({0} | {max(1, g) for g in organ_possible})
    grade = possible[0] if len(possible) == 1 else None
    if grade is not None and fever is not False:
        reasons.append(f"CRS grade {grade} (ASTCT 2019).")
    elif grade is None:
        reasons.append(
            "Not assessable as one grade: possible grades "
            + ", ".join(str(g) for g in possible)
            + (f"; missing {', '.join(missing)}." if missing else ".")
        )
    return ScaleGrade(
        grade=grade,
        possible_grades=tuple(possible),
        reasons=tuple(reasons),
        missing=tuple(missing),
        source=ASTCT_SOURCE,
    )


class Consciousness(StrEnum):
    NORMAL = "normal"
    AWAKENS_SPONTANEOUSLY = "awakens_spontaneously"
    AWAKENS_TO_VOICE = "awakens_to_voice"
    AWAKENS_TO_TOUCH = "awakens_to_touch"
    UNAROUSABLE = "unarousable"


class Seizure(StrEnum):
    NONE = "none"
    RAPIDLY_RESOLVING = "rapidly_resolving"
    PROLONGED = "prolonged"


class MotorWeakness(StrEnum):
    NONE = "none"
    FOCAL = "focal"


class CerebralOedema(StrEnum):
    NONE = "none"
    FOCAL = "focal"
    DIFFUSE = "diffuse"


# ICE items and their maxima (T9): orientation 4, naming 3, commands 1, writing 1, attention 1.
ICE_ITEMS = {"orientation": 4, "naming": 3, "commands": 1, "writing": 1, "attention": 1}

_ICANS_DOMAINS: dict[str, tuple[type[StrEnum], dict[str, int], str]] = {
    "consciousness": (
        Consciousness,
        {
            "normal": 0,
            "awakens_spontaneously": 1,
            "awakens_to_voice": 2,
            "awakens_to_touch": 3,
            "unarousable": 4,
        },
        "depressed level of consciousness",
    ),
    "seizure": (Seizure, {"none": 0, "rapidly_resolving": 3, "prolonged": 4}, "seizure"),
    "motor_weakness": (MotorWeakness, {"none": 0, "focal": 4}, "motor findings"),
    "cerebral_oedema": (
        CerebralOedema,
        {"none": 0, "focal": 3, "diffuse": 4},
        "raised intracranial pressure / cerebral oedema",
    ),
}


def ice_score(items: Mapping[str, Any], *, field: str = "ice") -> int:
    """ICE score 0–10 from its five items, each within its own maximum (T9)."""
    unknown = sorted(set(items) - set(ICE_ITEMS))
    if unknown:
        raise InvalidInput(
            f"{field}.{unknown[0]}",
            f"Unknown ICE item {unknown[0]!r}; the items are {', '.join(ICE_ITEMS)}.",
        )
    total = 0
    for name, maximum in ICE_ITEMS.items():
        value = items.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            raise InvalidInput(
                f"{field}.{name}",
                f"ICE {name} must be a whole number from 0 to {maximum} points; got {value!r}.",
            )
        total += value
    return total


def ice_grade(score: int) -> int:
    """T9 / §13.3: ICE 10 → 0; 7–9 → 1; 3–6 → 2; 0–2 → 3."""
    if score >= 10:
        return 0
    if score >= 7:
        return 1
    if score >= 3:
        return 2
    return 3


def grade_icans(
    *,
    ice: Mapping[str, Any] | None,
    unable_to_perform_ice: bool,
    domains: Mapping[str, str | None],
) -> tuple[int | None, ScaleGrade]:
    """ASTCT ICANS (T9): the worst domain. ICE 0 in an awake patient unable to do it (e.g.
    global aphasia) is grade 3; an unarousable patient is grade 4 (by consciousness)."""
    reasons: list[str] = []
    missing: list[str] = []
    if ice is not None and unable_to_perform_ice:
        raise InvalidInput(
            "unable_to_perform_ice",
            "Give either the ICE items or unable_to_perform_ice: true, not both (ice and "
            "unable_to_perform_ice contradict each other).",
        )
    score: int | None = None
    ice_possible: tuple[int, ...]
    if ice is not None:
        score = ice_score(ice)
        ice_possible = (ice_grade(score),)
        reasons.append(f"ICE score {score}/10 → grade {ice_possible[0]}.")
    elif unable_to_perform_ice:
        score = 0
        ice_possible = (3,)
        reasons.append(
            "Unable to perform the ICE assessment: ICE 0 → grade 3 when awake; grade 4 needs an "
            "unarousable patient (consciousness domain)."
        )
    else:
        ice_possible = (0, 1, 2, 3)
        missing.append("ice")
    per_domain: list[tuple[int, ...]] = [ice_possible]
    for name, (enum, grades, label) in _ICANS_DOMAINS.items():
        raw = domains.get(name)
        if raw is None:
            missing.append(name)
            per_domain.append(tuple(sorted(set(grades.values()))))
            continue
        try:
            value = enum(raw)
        except ValueError:
            allowed = ", ".join(grades)
            raise InvalidInput(name, f"{name} must be one of {allowed}; got {raw!r}.") from None
        per_domain.append((grades[value.value],))
        reasons.append(f"{label}: {value.value.replace('_', ' ')} → grade {grades[value.value]}.")
    possible = sorted({max(combo) for combo in _product(per_domain)})
    grade = possible[0] if len(possible) == 1 else None
    if grade is None:
        reasons.append(
            f"Not assessable as one grade: possible grades {', '.join(map(str, possible))}; "
            f"missing {', '.join(missing)}."
        )
    else:
        reasons.append(f"ICANS grade {grade} (ASTCT 2019: the worst domain).")
    return score, ScaleGrade(
        grade=grade,
        possible_grades=tuple(possible),
        reasons=tuple(reasons),
        missing=tuple(missing),
        source=ASTCT_SOURCE,
    )


def _product(options: Sequence[tuple[int, ...]]) -> list[tuple[int, ...]]:
    combos: list[tuple[int, ...]] = [()]
    for choices in options:
        combos = [(*combo, choice) for combo in combos for choice in choices]
    return combos


class CornealExam(StrEnum):
    NORMAL = "normal"
    MILD_SUPERFICIAL = "mild_superficial"
    MODERATE_SUPERFICIAL = "moderate_superficial"
    SEVERE_SUPERFICIAL = "severe_superficial"
    EPITHELIAL_DEFECT = "epithelial_defect"


_CORNEA_GRADE = {
    CornealExam.NORMAL: 0,
    CornealExam.MILD_SUPERFICIAL: 1,
    CornealExam.MODERATE_SUPERFICIAL: 2,
    CornealExam.SEVERE_SUPERFICIAL: 3,
    CornealExam.EPITHELIAL_DEFECT: 4,
}
# §13.4 "Action (label-based, from P12)", by KVA grade.
KVA_ACTIONS = {
    0: "No keratopathy or visual-acuity change: continue at the current dose.",
    1: "Continue at the current dose.",
    2: "Withhold until the corneal exam and the BCVA are both grade 1 or better; then resume at "
    "the same dose (consider a reduced dose).",
    3: "Withhold until grade 1 or better; then resume at a reduced dose.",
    4: "Consider permanent discontinuation; if treatment continues, withhold until grade 1 or "
    "better, then resume at a reduced dose.",
}
MAX_BCVA_LINES = 20


def bcva_grade(lines_decline: int, *, worse_than_20_200: bool) -> int:
    """§13.4: 1 line → 1; 2–3 lines → 2; more than 3 lines → 3; Snellen worse than 20/200 → 4."""
    if worse_than_20_200:
        return 4
    if lines_decline > 3:
        return 3
    if lines_decline >= 2:
        return 2
    return 1 if lines_decline == 1 else 0


def grade_kva(
    *, corneal_exam: CornealExam, bcva_lines_decline: Any, snellen_worse_than_20_200: bool
) -> tuple[ScaleGrade, str]:
    """KVA (T10): the worse of the corneal finding and the BCVA change, in the worse eye."""
    lines = bcva_lines_decline
    if isinstance(lines, bool) or not isinstance(lines, int) or not 0 <= lines <= MAX_BCVA_LINES:
        raise InvalidInput(
            "bcva_lines_decline",
            f"The decline in best-corrected visual acuity must be a whole number of Snellen lines "
            f"from 0 to {MAX_BCVA_LINES} (worse eye); got {lines!r}.",
        )
    cornea = _CORNEA_GRADE[corneal_exam]
    vision = bcva_grade(lines, worse_than_20_200=snellen_worse_than_20_200)
    grade = max(cornea, vision)
    vision_text = (
        "Snellen worse than 20/200"
        if snellen_worse_than_20_200
        else f"BCVA decline {lines} line{'s' if lines != 1 else ''}"
    )
    reasons = (
        f"Corneal exam {corneal_exam.value.replace('_', ' ')} → grade {cornea}.",
        f"{vision_text} → grade {vision}.",
        f"KVA grade {grade}: the worse of the two, in the worse eye.",
    )
    return (
        ScaleGrade(
            grade=grade,
            possible_grades=(grade,),
            reasons=reasons,
            missing=(),
            source=KVA_SOURCE,
        ),
        KVA_ACTIONS[grade],
    )


# --------------------------------------------------------------------------------------------------
# Decisions before a dose (T4, T5, T7)
# --------------------------------------------------------------------------------------------------


class Action(StrEnum):
    GIVE = "give"
    DELAY = "delay"
    DISCONTINUE = "discontinue"
    REVIEW = "review"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoveryValue:
    value: Decimal
    text: str
    source: str
    verification: Verification


@dataclass(frozen=True, slots=True, kw_only=True)
class IsatuximabRules:
    """content/toxicity/isatuximab-actions.yaml, validated."""

    governance: Governance
    no_dose_reduction_text: str
    neutropenia_delay_at_grade: int
    delay_for_febrile_neutropenia: bool
    delay_for_neutropenic_infection: bool
    neutropenia_text: str
    neutropenia_source: str
    recovery: RecoveryValue
    reaction_interrupt_at_grade: int
    reaction_discontinue_at_grade: int
    reaction_text: str
    reaction_source: str
    half_rate_minutes: float
    half_rate_text: str
    half_rate_verification: Verification


def _grade_value(data: Mapping[str, Any], key: str, path: str) -> int:
    value = _req(data, key, path)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise ToxicityContentError(f"{path}.{key}", "must be a grade 1–4")
    return value


def _flag(data: Mapping[str, Any], key: str, path: str) -> bool:
    value = _req(data, key, path)
    if not isinstance(value, bool):
        raise ToxicityContentError(f"{path}.{key}", "must be true or false")
    return value


def isatuximab_rules_from_dict(data: Any, path: str = "isatuximab") -> IsatuximabRules:
    """Validate the isatuximab action table; it can never allow a dose reduction (X7)."""
    if _req(data, "kind", path) != "isatuximab_actions":
        raise ToxicityContentError(f"{path}.kind", "must be isatuximab_actions")
    if _req(data, "dose_reduction", path) is not False:
        raise ToxicityContentError(
            f"{path}.dose_reduction", "must be false: isatuximab is never dose-reduced (X7)"
        )
    neutropenia = _req(data, "neutropenia", path)
    n_path = f"{path}.neutropenia"
    recovery = _req(neutropenia, "recovery_anc", n_path)
    r_path = f"{n_path}.recovery_anc"
    if _req(recovery, "unit", r_path) != COUNT_UNIT:
        raise ToxicityContentError(f"{r_path}.unit", f"must be {COUNT_UNIT}")
    reaction = _req(data, "infusion_reaction", path)
    i_path = f"{path}.infusion_reaction"
    interrupt = _grade_value(reaction, "interrupt_at_grade", i_path)
    discontinue = _grade_value(reaction, "discontinue_at_grade", i_path)
    if discontinue <= interrupt:
        raise ToxicityContentError(
            f"{i_path}.discontinue_at_grade", "must be above interrupt_at_grade"
        )
    half_rate = _req(reaction, "half_rate_restart", i_path)
    h_path = f"{i_path}.half_rate_restart"
    half_minutes = _decimal(_req(half_rate, "minutes", h_path), f"{h_path}.minutes")
    if half_minutes <= 0:
        raise ToxicityContentError(f"{h_path}.minutes", "must be more than 0")
    return IsatuximabRules(
        governance=_governance(data, path),
        no_dose_reduction_text=_text(data, "no_dose_reduction_text", path),
        neutropenia_delay_at_grade=_grade_value(neutropenia, "delay_at_grade", n_path),
        delay_for_febrile_neutropenia=_flag(neutropenia, "delay_for_febrile_neutropenia", n_path),
        delay_for_neutropenic_infection=_flag(
            neutropenia, "delay_for_neutropenic_infection", n_path
        ),
        neutropenia_text=_text(neutropenia, "text", n_path),
        neutropenia_source=_text(neutropenia, "source", n_path),
        recovery=RecoveryValue(
            value=_decimal(_req(recovery, "value", r_path), f"{r_path}.value"),
            text=_text(recovery, "text", r_path),
            source=_text(recovery, "source", r_path),
            verification=_verification(recovery, r_path),
        ),
        reaction_interrupt_at_grade=interrupt,
        reaction_discontinue_at_grade=discontinue,
        reaction_text=_text(reaction, "text", i_path),
        reaction_source=_text(reaction, "source", i_path),
        half_rate_minutes=float(half_minutes),
        half_rate_text=_text(half_rate, "text", h_path),
        half_rate_verification=_verification(half_rate, h_path),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldRule:
    """A label-verified hold: ``term`` at ``grade_at_least`` or worse → ``action``."""

    term: Term
    grade_at_least: int
    action: Action
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerDrugRules:
    drug: str
    dose_levels: tuple[str, ...]
    dose_levels_source: str
    dose_levels_verification: Verification
    holds: tuple[HoldRule, ...]
    governance: Governance


def partner_drug_rules_from_dict(
    data: Any, path: str = "partner_drugs"
) -> dict[str, PartnerDrugRules]:
    """Validate content/toxicity/partner-drugs.yaml: drug → rules (T7)."""
    if _req(data, "kind", path) != "partner_drug_rules":
        raise ToxicityContentError(f"{path}.kind", "must be partner_drug_rules")
    raw = _req(data, "drugs", path)
    if not isinstance(raw, list):
        raise ToxicityContentError(f"{path}.drugs", "must be a list")
    rules: dict[str, PartnerDrugRules] = {}
    for index, item in enumerate(raw):
        d_path = f"{path}.drugs.{index}"
        drug = _text(item, "drug", d_path).lower()
        if drug in rules:
            raise ToxicityContentError(f"{d_path}.drug", f"{drug} is listed twice")
        if drug == "isatuximab":
            raise ToxicityContentError(f"{d_path}.drug", "isatuximab has its own action table")
        levels = _req(item, "dose_levels", d_path)
        l_path = f"{d_path}.dose_levels"
        values = _req(levels, "values", l_path)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ToxicityContentError(f"{l_path}.values", "must be a list of doses as text")
        governance = _governance(item, d_path)
        holds: list[HoldRule] = []
        raw_holds = _req(item, "holds", d_path)
        if not isinstance(raw_holds, list):
            raise ToxicityContentError(f"{d_path}.holds", "must be a list")
        for h_index, hold in enumerate(raw_holds):
            h_path = f"{d_path}.holds.{h_index}"
            try:
                term = Term(_req(hold, "term", h_path))
                action = Action(_req(hold, "action", h_path))
            except ValueError:
                raise ToxicityContentError(h_path, "term or action is not known") from None
            if action is Action.GIVE:
                raise ToxicityContentError(f"{h_path}.action", "a hold cannot be 'give'")
            holds.append(
                HoldRule(
                    term=term,
                    grade_at_least=_grade_value(hold, "grade_at_least", h_path),
                    action=action,
                    text=_text(hold, "text", h_path),
                )
            )
        if holds and governance.verification is not Verification.VERIFIED:
            # A pending rule decides nothing (T7); it must not look as if it did.
            raise ToxicityContentError(f"{d_path}.holds", "holds need a verified label source")
        rules[drug] = PartnerDrugRules(
            drug=drug,
            dose_levels=tuple(values),
            dose_levels_source=_text(levels, "source", l_path),
            dose_levels_verification=_verification(levels, l_path),
            holds=tuple(holds),
            governance=governance,
        )
    return rules


@dataclass(frozen=True, slots=True, kw_only=True)
class InfusionReaction:
    """The reaction at the previous isatuximab infusion (api-v1 dose-check)."""

    grade: int
    improved_to_grade_1_or_less: bool | None
    hospitalisation: bool | None


def infusion_reaction(
    data: Mapping[str, Any], *, field: str = "infusion_reaction"
) -> InfusionReaction:
    grade = data.get("grade")
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
        raise InvalidInput(
            f"{field}.grade",
            f"The infusion-reaction grade must be a CTCAE grade from 1 to 4; got {grade!r}.",
        )
    flags: dict[str, bool | None] = {}
    for key in ("improved_to_grade_1_or_less", "hospitalisation"):
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            raise InvalidInput(f"{field}.{key}", f"{key} must be true or false; got {value!r}.")
        flags[key] = value
    return InfusionReaction(
        grade=grade,
        improved_to_grade_1_or_less=flags["improved_to_grade_1_or_less"],
        hospitalisation=flags["hospitalisation"],
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DoseDecision:
    drug: str
    action: Action
    dose_reduction: bool | None
    reasons: tuple[str, ...]
    source: str
    verification: Verification


_PRECEDENCE = (Action.DISCONTINUE, Action.DELAY, Action.REVIEW, Action.GIVE)


def _worst(actions: Sequence[Action]) -> Action:
    return next(a for a in _PRECEDENCE if a in actions)


def isatuximab_decision(
    rules: IsatuximabRules,
    *,
    neutrophils: Grade | None,
    febrile_neutropenia: bool | None,
    neutropenic_infection: bool | None,
    reaction: InfusionReaction | None,
) -> DoseDecision:
    """T4/T5 (X7, X24, X26): give, delay, discontinue or review — never a reduced dose.

    Discontinue (reaction) outranks delay (neutropenia), which outranks review (something needed
    is unknown), which outranks give. Unknown is never normal: a missing count or an unanswered
    febrile-neutropenia / infection question is "review", naming what is missing.
    """
    actions: list[Action] = []
    reasons: list[str] = []
    sources = [rules.governance.source]
    # Neutropenia (X26)
    delay_grade = rules.neutropenia_delay_at_grade
    if neutrophils is None:
        actions.append(Action.REVIEW)
        reasons.append("Not assessable: missing neutrophil count (needed for X26).")
    elif neutrophils.grade is not None and neutrophils.grade >= delay_grade:
        actions.append(Action.DELAY)
        reasons.append(
            f"Neutropenia grade {neutrophils.grade} (CTCAE v{neutrophils.ctcae_version}): "
            f"{rules.neutropenia_text}"
        )
    elif neutrophils.grade is None and (neutrophils.worst_possible or 0) >= delay_grade:
        actions.append(Action.REVIEW)
        reasons.append(
            "Neutropenia grade not assessable ("
            + "–".join(str(g) for g in neutrophils.possible_grades)
            + f"): grade {delay_grade} or worse would delay the dose (X26)."
        )
    else:
        shown = (
            str(neutrophils.grade)
            if neutrophils.grade is not None
            else "–".join(str(g) for g in neutrophils.possible_grades)
        )
        reasons.append(
            f"Neutrophils grade {shown} (CTCAE v{neutrophils.ctcae_version}): below grade "
            f"{delay_grade}, no delay for neutropenia."
        )
    for flag, applies, label in (
        (febrile_neutropenia, rules.delay_for_febrile_neutropenia, "febrile neutropenia"),
        (neutropenic_infection, rules.delay_for_neutropenic_infection, "neutropenic infection"),
    ):
        if not applies:
            continue
        if flag is None:
            actions.append(Action.REVIEW)
            reasons.append(f"Not assessable: missing whether there is {label} (X26).")
        elif flag:
            actions.append(Action.DELAY)
            reasons.append(f"{label.capitalize()}: {rules.neutropenia_text}")
    if Action.DELAY in actions:
        recovery = rules.recovery
        reasons.append(
            f"Recovery: ANC ≥ {format_number(recovery.value)} ×10⁹/L — {recovery.text}"
            + (" (pending verification)" if recovery.verification is Verification.PENDING else "")
        )
        sources.append(rules.neutropenia_source)
    # Infusion reaction at the previous infusion (X24)
    if reaction is not None:
        sources.append(rules.reaction_source)
        if reaction.grade >= rules.reaction_discontinue_at_grade:
            actions.append(Action.DISCONTINUE)
            reasons.append(
                f"Infusion reaction grade {reaction.grade} (prolonged, recurrent, needing "
                "hospitalisation or life-threatening): permanently discontinue. "
                + rules.reaction_text
            )
        elif reaction.grade >= rules.reaction_interrupt_at_grade:
            if reaction.hospitalisation or reaction.improved_to_grade_1_or_less is False:
                actions.append(Action.DISCONTINUE)
                why = (
                    "needed hospitalisation"
                    if reaction.hospitalisation
                    else "did not improve to grade 1 or less"
                )
                reasons.append(
                    f"Infusion reaction grade {reaction.grade} that {why}: permanently "
                    f"discontinue. {rules.reaction_text}"
                )
            elif reaction.hospitalisation is None or reaction.improved_to_grade_1_or_less is None:
                actions.append(Action.REVIEW)
                missing = [
                    key
                    for key, value in (
                        ("improved_to_grade_1_or_less", reaction.improved_to_grade_1_or_less),
                        ("hospitalisation", reaction.hospitalisation),
                    )
                    if value is None
                ]
                reasons.append(
                    f"Infusion reaction grade {reaction.grade}: not assessable, missing "
                    f"{', '.join(missing)} (X24)."
                )
            else:
                reasons.append(
                    f"Infusion reaction grade {reaction.grade} improved to grade 1 or less "
                    "without hospitalisation: may be given; escalate the rate only without a "
                    "reaction, and on a new grade 2 reaction interrupt and resume at half the "
                    "initial rate (X22, X24)."
                )
        else:
            reasons.append(
                f"Infusion reaction grade {reaction.grade}: no interruption needed (X24 starts at "
                f"grade {rules.reaction_interrupt_at_grade})."
            )
    reasons.append(rules.no_dose_reduction_text)
    action = _worst(actions) if actions else Action.GIVE
    return DoseDecision(
        drug="isatuximab",
        action=action,
        dose_reduction=False,
        reasons=tuple(reasons),
        source="; ".join(dict.fromkeys(sources)),
        verification=rules.governance.verification,
    )


def partner_decision(
    drug: str, rules: Mapping[str, PartnerDrugRules], grades: Mapping[str, Grade]
) -> DoseDecision:
    """T7: a label-verified hold rule decides; anything else is "review", never a number."""
    rule = rules.get(drug)
    if rule is None:
        return DoseDecision(
            drug=drug,
            action=Action.REVIEW,
            dose_reduction=None,
            reasons=(f"No dose-level or hold rule for {drug} in the content: clinician review.",),
            source="domain-reference §22 T7",
            verification=Verification.PENDING,
        )
    governance = rule.governance
    if governance.verification is not Verification.VERIFIED:
        findings = [f"{g.term} grade {grade_text(g)}" for g in grades.values()]
        reasons = [
            f"The hold rule for {drug} is pending verification: clinician review, no automatic "
            "dose. " + governance.verification_note,
        ]
        if findings:
            reasons.append("Today's grades: " + "; ".join(findings) + ".")
        if rule.dose_levels:
            reasons.append(
                f"Dose levels ({rule.dose_levels_verification.value}): "
                + " → ".join(rule.dose_levels)
                + f" ({rule.dose_levels_source})."
            )
        return DoseDecision(
            drug=drug,
            action=Action.REVIEW,
            dose_reduction=None,
            reasons=tuple(reasons),
            source=governance.source,
            verification=Verification.PENDING,
        )
    actions: list[Action] = []
    reasons = []
    for hold in rule.holds:
        grade = grades.get(hold.term.value)
        if grade is None:
            actions.append(Action.REVIEW)
            reasons.append(f"Not assessable: missing {hold.term.value} ({hold.text}).")
        elif grade.grade is not None and grade.grade >= hold.grade_at_least:
            actions.append(hold.action)
            reasons.append(f"{grade.term} grade {grade.grade}: {hold.text}")
        elif grade.grade is None and (grade.worst_possible or 0) >= hold.grade_at_least:
            actions.append(Action.REVIEW)
            reasons.append(f"{grade.term} grade not assessable: {hold.text}")
    if not actions:
        reasons.append(f"No hold rule for {drug} applies today.")
    return DoseDecision(
        drug=drug,
        action=_worst(actions) if actions else Action.GIVE,
        dose_reduction=False if not actions else None,
        reasons=tuple(reasons),
        source=governance.source,
        verification=Verification.VERIFIED,
    )


# --------------------------------------------------------------------------------------------------
# Infusion rates (T6, X22–X24)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TimedStep:
    from_minute: float
    rate_ml_h: float


@dataclass(frozen=True, slots=True, kw_only=True)
class InfusionTimeline:
    """The rate steps of one infusion from minute 0, and the total from the steps (X23)."""

    volume_ml: float
    steps: tuple[TimedStep, ...]
    total_minutes: float
    half_initial_rate: bool


def half_rate_restart(
    steps: Sequence[InfusionStep], *, half_rate_minutes: float
) -> tuple[InfusionStep, ...]:
    """X24/T5: after a grade 2 reaction improves to grade 1 or less, restart at half the initial
    rate for ``half_rate_minutes``, then the table again from its initial rate."""
    first = steps[0]
    return (InfusionStep(rate_ml_h=first.rate_ml_h / 2, minutes=half_rate_minutes), *steps)


def infusion_timeline(
    steps: Sequence[InfusionStep], *, volume_ml: float, half_rate_minutes: float | None = None
) -> InfusionTimeline:
    """Steps with their start minute until the bag is empty; the total computed from the steps.

    ``half_rate_minutes`` given: the restart after a grade 2 reaction (``half_rate_restart``).
    """
    used = (
        tuple(steps)
        if half_rate_minutes is None
        else half_rate_restart(steps, half_rate_minutes=half_rate_minutes)
    )
    total = infusion_minutes(volume_ml=volume_ml, steps=used)
    timed: list[TimedStep] = []
    minute = 0.0
    for step in used:
        if minute >= total:
            break
        timed.append(TimedStep(from_minute=minute, rate_ml_h=step.rate_ml_h))
        if step.minutes is None:
            break
        minute += step.minutes
    return InfusionTimeline(
        volume_ml=volume_ml,
        steps=tuple(timed),
        total_minutes=total,
        half_initial_rate=half_rate_minutes is not None,
    )


# --------------------------------------------------------------------------------------------------
# The whole rule content, validated together (the governed-content adapter's entry point)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ToxicityContent:
    ctcae: Mapping[str, CtcaeTable]
    isatuximab: IsatuximabRules
    partner_drugs: Mapping[str, PartnerDrugRules]

    @property
    def default_ctcae_version(self) -> str:
        return default_version(self.ctcae)

    def ctcae_table(self, version: str | None) -> CtcaeTable:
        """The table of ``version`` (None → the default); an unknown version is an input error."""
        chosen = self.default_ctcae_version if version is None else version
        table = self.ctcae.get(chosen)
        if table is None:
            offered = ", ".join(
                f"'{v}'"
                + (
                    " (pending verification)"
                    if t.governance.verification is Verification.PENDING
                    else " (default)"
                    if t.default
                    else ""
                )
                for v, t in self.ctcae.items()
            )
            raise InvalidInput(
                "ctcae_version", f"CTCAE version must be one of {offered}; got {version!r}."
            )
        return table


def toxicity_content_from_documents(
    *, ctcae: Sequence[Any], isatuximab: Any, partner_drugs: Any
) -> ToxicityContent:
    """Validate every toxicity document (as loaded from YAML) into the domain rule content."""
    tables = [
        ctcae_table_from_dict(document, path=f"ctcae[{index}]")
        for index, document in enumerate(ctcae)
    ]
    return ToxicityContent(
        ctcae=ctcae_tables(tables),
        isatuximab=isatuximab_rules_from_dict(isatuximab),
        partner_drugs=partner_drug_rules_from_dict(partner_drugs),
    )
