"""CTCAE laboratory grades and the infusion-related reaction grade — domain-reference §22 T1–T3.

Every grade carries its CTCAE version. A grade that needs the laboratory's lower limit of normal
(LLN) and does not have it is a range, never "normal" (G1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import Verification
from myeloma_core.toxicity_counts import TERM_LABELS, Count, Term, unit_label
from myeloma_core.toxicity_tables import CtcaeTable
from myeloma_core.units import exact, format_number


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
    unit = unit_label(rule.unit)
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


CTCAE_V5_SOURCE = "NCI CTCAE v5.0 (domain-reference §22 T2)"


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
