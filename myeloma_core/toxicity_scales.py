"""ASTCT CRS and ICANS (T8–T9) and the KVA scale (T10) — domain-reference §13.2–§13.4, §22.

Fixed published scales, in code with their sources; a missing input gives the range of possible
grades, never grade 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from myeloma_core.errors import InvalidInput
from myeloma_core.units import format_number

# --------------------------------------------------------------------------------------------------
# Infusion-related reaction (T2) and the ASTCT scales (T8–T9), KVA (T10)
# --------------------------------------------------------------------------------------------------


ASTCT_SOURCE = (
    "ASTCT consensus grading, Lee et al., Biol Blood Marrow Transplant 2019;25:625 "
    "(domain-reference §13.2–§13.3, §22 T8–T9) [PUB] P11a, P11b"
)
KVA_SOURCE = (
    "KVA scale, belantamab mafodotin label (DREAMM-2 era), domain-reference §13.4, §22 T10 "
    "[PUB] P12"
)


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
