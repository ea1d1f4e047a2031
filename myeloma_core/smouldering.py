"""Smouldering myeloma: IMWG 2/20/20 risk and the EHA-EMN 2025 follow-up — domain-reference §3."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from myeloma_core.errors import InvalidInput
from myeloma_core.units import Analyte, LabValue, check_lab, exact, format_number, percentage

SOURCE = (
    "IMWG 2/20/20 model: Mateos MV et al., Blood Cancer J 2020;10:102 (Lakshman A et al., 2018); "
    "follow-up: EHA-EMN 2025 guidelines, Dimopoulos MA et al., Nat Rev Clin Oncol 2025;22:680–700"
)

# Thresholds in the source's unit, strict ">" (§3.1).
M_PROTEIN_ABOVE_G_DL = Decimal(2)
FLC_RATIO_ABOVE = Decimal(20)
BMPC_ABOVE_PERCENT = Decimal(20)
FLC_RATIO_MAX = 10000

F_M_PROTEIN = "m_protein"
F_FLC_RATIO = "flc_ratio"
F_BMPC = "bone_marrow_plasma_cells_percent"


class SmoulderingRisk(StrEnum):
    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"


RISK_ORDER = (SmoulderingRisk.LOW, SmoulderingRisk.INTERMEDIATE, SmoulderingRisk.HIGH)
TWO_YEAR_PROGRESSION_PERCENT = {
    SmoulderingRisk.LOW: 6,
    SmoulderingRisk.INTERMEDIATE: 18,
    SmoulderingRisk.HIGH: 44,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUp:
    every_months_min: int | None
    every_months_max: int | None
    text: str


FOLLOW_UP = {
    SmoulderingRisk.LOW: FollowUp(
        every_months_min=6,
        every_months_max=6,
        text="Reassess every 6 months (EHA-EMN 2025, low-risk smouldering myeloma).",
    ),
    SmoulderingRisk.INTERMEDIATE: FollowUp(
        every_months_min=3,
        every_months_max=6,
        text="Reassess every 3–6 months (EHA-EMN 2025, intermediate-risk smouldering myeloma).",
    ),
    SmoulderingRisk.HIGH: FollowUp(
        every_months_min=None,
        every_months_max=None,
        text=(
            "The EHA-EMN 2025 summary gives no follow-up interval for high-risk smouldering "
            "myeloma; see the treatment options for high-risk smouldering myeloma."
        ),
    ),
}
UNDECIDED_FOLLOW_UP = FollowUp(
    every_months_min=None,
    every_months_max=None,
    text=(
        "Risk group not decided, so no follow-up interval is given: enter the missing values "
        "(EHA-EMN 2025: every 6 months if low risk, every 3–6 months if intermediate risk)."
    ),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SmoulderingAssessment:
    risk: SmoulderingRisk | None
    possible_risks: tuple[SmoulderingRisk, ...]
    factors_present: tuple[str, ...]
    follow_up: FollowUp
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    source: str
    two_year_progression_percent: int | None


def _risk_for(count: int) -> SmoulderingRisk:
    """S1: 0 factors ⇒ low, 1 ⇒ intermediate, 2–3 ⇒ high."""
    if count == 0:
        return SmoulderingRisk.LOW
    if count == 1:
        return SmoulderingRisk.INTERMEDIATE
    return SmoulderingRisk.HIGH


def _flc_ratio(value: float | None) -> float | None:
    if value is None:
        return None
    rule = f"more than 0 and at most {FLC_RATIO_MAX}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(
            F_FLC_RATIO,
            f"The involved/uninvolved free light chain ratio must be a number {rule}; "
            f"got {value!r}.",
        )
    if not math.isfinite(value) or value <= 0 or value > FLC_RATIO_MAX:
        shown = format_number(value) if math.isfinite(value) else str(value)
        raise InvalidInput(
            F_FLC_RATIO,
            f"The involved/uninvolved free light chain ratio (no unit) must be {rule}; "
            f"got {shown}.",
        )
    return float(value)


def risk_2_20_20(
    *,
    m_protein: LabValue | None,
    flc_ratio: float | None,
    bone_marrow_plasma_cells_percent: float | None,
) -> SmoulderingAssessment:
    """IMWG 2/20/20 risk of smouldering MM (Mateos, Blood Cancer J 2020) — domain-ref §3.1 S1.

    Risk factors (strict ">"): serum M-protein > 2 g/dL, involved/uninvolved sFLC ratio > 20,
    clonal BMPC > 20 %. 0 ⇒ low (2-y progression 6 %), 1 ⇒ intermediate (18 %), 2–3 ⇒ high
    (44 %). Follow-up per EHA-EMN 2025 (§3.2 S2). An unknown factor is counted both ways (G1).
    """
    m_protein = check_lab(m_protein, Analyte.M_PROTEIN, F_M_PROTEIN)
    ratio = _flc_ratio(flc_ratio)
    bmpc = (
        None
        if bone_marrow_plasma_cells_percent is None
        else percentage(bone_marrow_plasma_cells_percent, field=F_BMPC)
    )

    # (factor code, input field, state: True/False/None, reason)
    factors: list[tuple[str, str, bool | None, str]] = []
    if m_protein is None:
        factors.append(("m_protein", F_M_PROTEIN, None, "Serum M-protein not given"))
    else:
        above = m_protein.exact_in("g/dL") > M_PROTEIN_ABOVE_G_DL
        shown = f"Serum M-protein {m_protein.describe('g/dL')}"
        factors.append(
            (
                "m_protein",
                F_M_PROTEIN,
                above,
                f"{shown} > 2 g/dL: risk factor"
                if above
                else f"{shown} is not > 2 g/dL: no risk factor",
            )
        )
    if ratio is None:
        factors.append(("flc_ratio", F_FLC_RATIO, None, "Free light chain ratio not given"))
    else:
        above = exact(ratio) > FLC_RATIO_ABOVE
        shown = f"Involved/uninvolved free light chain ratio {format_number(ratio)}"
        factors.append(
            (
                "flc_ratio",
                F_FLC_RATIO,
                above,
                f"{shown} > 20: risk factor" if above else f"{shown} is not > 20: no risk factor",
            )
        )
    if bmpc is None:
        factors.append(
            ("bone_marrow_plasma_cells", F_BMPC, None, "Clonal bone-marrow plasma cells not given")
        )
    else:
        above = exact(bmpc) > BMPC_ABOVE_PERCENT
        shown = f"Clonal bone-marrow plasma cells {format_number(bmpc)} %"
        factors.append(
            (
                "bone_marrow_plasma_cells",
                F_BMPC,
                above,
                f"{shown} > 20 %: risk factor"
                if above
                else f"{shown} is not > 20 %: no risk factor",
            )
        )

    domains = [(True, False) if state is None else (state,) for _, _, state, _ in factors]
    outcomes = [(combo, _risk_for(sum(combo))) for combo in itertools.product(*domains)]
    possible = tuple(risk for risk in RISK_ORDER if any(r is risk for _, r in outcomes))
    missing = []
    for index, (_, field, state, _) in enumerate(factors):
        if state is not None:
            continue
        groups: dict[tuple[bool, ...], SmoulderingRisk] = {}
        for combo, outcome in outcomes:
            rest = combo[:index] + combo[index + 1 :]
            if groups.setdefault(rest, outcome) is not outcome:
                missing.append(field)
                break

    risk = possible[0] if len(possible) == 1 else None
    present = tuple(code for code, _, state, _ in factors if state is True)
    reasons = [reason for _, _, _, reason in factors]
    known_count = len(present)
    if risk is None:
        shown = " or ".join(r.value for r in possible)
        reasons.append(
            f"{known_count} risk factor{'' if known_count == 1 else 's'} known to be present; "
            f"risk {shown} depending on the missing values"
        )
    else:
        unknown = sum(1 for _, _, state, _ in factors if state is None)
        counted = (
            f"{known_count} risk factor{'' if known_count == 1 else 's'}"
            if unknown == 0
            else f"at least {known_count} risk factors"
        )
        reasons.append(
            f"{counted} ⇒ {risk.value} risk (2-year progression in the model cohort "
            f"{TWO_YEAR_PROGRESSION_PERCENT[risk]} %)"
        )
    reasons.append(
        "The 2/20/20 model applies to patients whose diagnosis is smouldering myeloma "
        "(IMWG 2014; no myeloma-defining event)."
    )
    return SmoulderingAssessment(
        risk=risk,
        possible_risks=possible,
        factors_present=present,
        follow_up=UNDECIDED_FOLLOW_UP if risk is None else FOLLOW_UP[risk],
        missing=tuple(missing),
        reasons=tuple(reasons),
        source=SOURCE,
        two_year_progression_percent=None if risk is None else TWO_YEAR_PROGRESSION_PERCENT[risk],
    )
