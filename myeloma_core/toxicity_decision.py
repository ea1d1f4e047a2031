"""The decision before each dose and the infusion rates — domain-reference §22 T4–T7, §14.

The isatuximab decision (T4–T5, X7, X24, X26) never reduces the dose; partner drugs (T7) get
"review" unless a label-verified rule exists. The infusion timeline gives the rate steps after a
reaction (T6, X22–X24).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import InfusionStep, Verification, infusion_minutes
from myeloma_core.toxicity_grading import Grade, grade_text
from myeloma_core.toxicity_tables import Action, IsatuximabRules, PartnerDrugRules
from myeloma_core.units import format_number


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
