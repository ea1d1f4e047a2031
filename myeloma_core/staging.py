"""Staging and genomic risk: ISS, R-ISS, R2-ISS and the IMS/IMWG 2025 high-risk definition.

Domain reference §4–§7 with G1–G4. Unknown inputs are never read as normal (G1): every rule is
evaluated over every completion of the unknown inputs (a missing lab by its threshold bands, a
missing finding as present and as absent), a stage is reported only when all completions agree,
and ``missing`` names exactly the unknown inputs whose value could change the result.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from myeloma_core.errors import InvalidInput
from myeloma_core.units import (
    Analyte,
    LabValue,
    check_lab,
    exact,
    format_near,
    format_number,
    lab_value,
    percentage,
    unit_label,
)
from myeloma_core.vocabulary import Finding

ISS_SOURCE = "International Staging System (ISS): Greipp PR et al., J Clin Oncol 2005"
R_ISS_SOURCE = "Revised ISS (R-ISS): Palumbo A et al., J Clin Oncol 2015;33:2863"
R2_ISS_SOURCE = (
    "Second revision of the ISS (R2-ISS): D'Agostino M et al., J Clin Oncol 2022;40:3406 "
    "(erratum J Clin Oncol 2022;40:4032)"
)
IMS_IMWG_SOURCE = (
    "IMS/IMWG consensus definition of high-risk multiple myeloma: Avet-Loiseau H et al., "
    "J Clin Oncol 2025;43:2739–51 (erratum J Clin Oncol 2025;43:2553)"
)

STAGE_ORDER = ("I", "II", "III", "IV")

# Thresholds in the source's own unit (G2) with the source's operator (G3).
B2M_ISS_I_BELOW = Decimal("3.5")  # mg/L, ISS I needs β2M < 3.5 (Greipp 2005; §4 I1)
B2M_ISS_III_FROM = Decimal("5.5")  # mg/L, ISS III is β2M ≥ 5.5 (not "> 5.5"; §4, §17 #6)
ALBUMIN_ISS_I_FROM = Decimal("3.5")  # g/dL, ISS I needs albumin ≥ 3.5 g/dL (= 35 g/L; U2)
B2M_H1D_FROM = Decimal("5.5")  # mg/L, IMS/IMWG H1d β2M ≥ 5.5
CREATININE_H1D_BELOW = Decimal("1.2")  # mg/dL, IMS/IMWG H1d creatinine < 1.2 (U1: 106.08 µmol/L)
CCF_H1A_FROM = Decimal(20)  # %, IMS/IMWG H1a del(17p) clonal fraction ≥ 20 %


class Del1p32(StrEnum):
    ABSENT = "absent"
    MONOALLELIC = "monoallelic"
    BIALLELIC = "biallelic"
    UNKNOWN = "unknown"


class LdhStatus(StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    UNKNOWN = "unknown"


class HighRiskStatus(StrEnum):
    HIGH_RISK = "high_risk"
    NOT_HIGH_RISK = "not_high_risk"
    NOT_ASSESSABLE = "not_assessable"


# IMS/IMWG 2025 criterion codes (api-v1).
H1A = "del17p_or_tp53"
H1B = "translocation_with_1q_or_del1p32"
H1C = "del1p32"
H1D = "b2m_with_normal_creatinine"
IMS_CRITERIA = (H1A, H1B, H1C, H1D)

IMS_CAVEATS = (
    "The β2-microglobulin criterion (β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL) "
    "is a clinical surrogate; the IMS/IMWG panel states it is not a substitute for genomic "
    "profiling.",
    "Interphase FISH alone is not sufficient for this definition: profile by next-generation "
    "or whole-genome sequencing (NGS/WGS) on bone-marrow CD138-purified plasma cells.",
    "Assess risk at diagnosis and again at relapse.",
    "An erratum to the IMS/IMWG paper exists (J Clin Oncol 2025;43:2553); its content has not "
    "yet been reviewed for this app.",
)

# API field paths (api-v1) of the staging inputs, in the order ``missing`` lists them.
F_B2M = "beta2_microglobulin"
F_ALBUMIN = "albumin"
F_CREATININE = "creatinine"
F_LDH = "ldh_status"
F_LDH_VALUE = "ldh.value"
F_LDH_ULN = "ldh.upper_limit_normal"
F_DEL17P = "cytogenetics.del_17p"
F_CCF = "cytogenetics.del_17p_clonal_fraction_percent"
F_TP53 = "cytogenetics.tp53_mutation"
F_T_4_14 = "cytogenetics.t_4_14"
F_T_14_16 = "cytogenetics.t_14_16"
F_T_14_20 = "cytogenetics.t_14_20"
F_GAIN_1Q = "cytogenetics.gain_1q"
F_DEL1P32 = "cytogenetics.del_1p32"

FIELD_NAMES: dict[str, str] = {
    F_B2M: "β2-microglobulin",
    F_ALBUMIN: "albumin",
    F_CREATININE: "creatinine",
    F_LDH: "LDH status",
    F_DEL17P: "del(17p)",
    F_CCF: "del(17p) clonal fraction",
    F_TP53: "TP53 mutation",
    F_T_4_14: "t(4;14)",
    F_T_14_16: "t(14;16)",
    F_T_14_20: "t(14;20)",
    F_GAIN_1Q: "1q+",
    F_DEL1P32: "del(1p32)",
}

_FINDING_ATTRIBUTES = {
    "del_17p": F_DEL17P,
    "tp53_mutation": F_TP53,
    "t_4_14": F_T_4_14,
    "t_14_16": F_T_14_16,
    "t_14_20": F_T_14_20,
    "gain_1q": F_GAIN_1Q,
}


def ldh_status_from_value(*, value: float, upper_limit_normal: float) -> LdhStatus:
    """LDH status from the lab's value and upper limit of normal — domain-reference G4 (P4b).

    "High" is above the reporting laboratory's ULN. A value exactly at the ULN counts as normal
    (within the reference range): the equality case is UNVERIFIED in the sources and flagged for
    clinical-lead sign-off (G4). Both numbers are in U/L, each within the LDH plausible range
    (``myeloma_core.units``: a value in µkat/L falls below it).
    """
    lab_value(Analyte.LDH, value, "U/L", field=F_LDH_VALUE, label="LDH")
    lab_value(
        Analyte.LDH,
        upper_limit_normal,
        "U/L",
        field=F_LDH_ULN,
        label="the LDH upper limit of normal",
    )
    return LdhStatus.HIGH if exact(value) > exact(upper_limit_normal) else LdhStatus.NORMAL


def ldh_status_checked(*, stated: LdhStatus, value: float, upper_limit_normal: float) -> LdhStatus:
    """The LDH status of a value and its ULN; a stated status that contradicts them is refused.

    ``ldh_status: normal`` with a value above the ULN (or ``high`` with a value ≤ ULN, G4) is
    two inputs that disagree: guessing which one is right could change R-ISS and R2-ISS, so it
    is an error at both fields (G1: never resolved silently).
    """
    from_value = ldh_status_from_value(value=value, upper_limit_normal=upper_limit_normal)
    stated = LdhStatus(stated)
    if stated is not LdhStatus.UNKNOWN and stated is not from_value:
        relation = "above" if from_value is LdhStatus.HIGH else "at or below"
        raise InvalidInput(
            F_LDH,
            f'LDH status "{stated.value}" contradicts the LDH value {format_number(value)} U/L, '
            f"which is {relation} the upper limit of normal {format_number(upper_limit_normal)} "
            "U/L (high = above the upper limit; a value equal to it counts as normal, G4). "
            "Correct the LDH status or the LDH value.",
            also=(F_LDH_VALUE,),
        )
    return from_value


def _enum_member(enum: type[StrEnum], value: object, field: str) -> Any:
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    allowed = ", ".join(f'"{member.value}"' for member in enum)
    raise InvalidInput(field, f"{field} must be one of {allowed}; got {value!r}.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Cytogenetics:
    """Genomic findings on CD138-purified bone-marrow plasma cells; omitted means unknown."""

    del_17p: Finding = Finding.UNKNOWN
    tp53_mutation: Finding = Finding.UNKNOWN
    t_4_14: Finding = Finding.UNKNOWN
    t_14_16: Finding = Finding.UNKNOWN
    t_14_20: Finding = Finding.UNKNOWN
    gain_1q: Finding = Finding.UNKNOWN
    del_17p_clonal_fraction_percent: float | None = None
    del_1p32: Del1p32 = Del1p32.UNKNOWN

    def __post_init__(self) -> None:
        for attribute, path in _FINDING_ATTRIBUTES.items():
            _enum_member(Finding, getattr(self, attribute), path)
        _enum_member(Del1p32, self.del_1p32, F_DEL1P32)
        fraction = self.del_17p_clonal_fraction_percent
        if fraction is None:
            return
        percentage(fraction, field=F_CCF)
        # Contradictory entries are not resolved by guessing which one is right (G1): the error
        # names both fields.
        if self.del_17p == Finding.ABSENT and fraction > 0:
            raise InvalidInput(
                F_CCF,
                "The del(17p) clonal fraction must be left empty (or 0 %) when del(17p) is "
                f"absent; got {format_number(fraction)} % with del(17p) marked absent. Correct "
                "del(17p) or its clonal fraction.",
                also=(F_DEL17P,),
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class StagingInput:
    beta2_microglobulin: LabValue | None = None
    albumin: LabValue | None = None
    creatinine: LabValue | None = None
    ldh: LdhStatus = LdhStatus.UNKNOWN
    cytogenetics: Cytogenetics = Cytogenetics()

    def __post_init__(self) -> None:
        check_lab(self.beta2_microglobulin, Analyte.BETA2_MICROGLOBULIN, F_B2M)
        check_lab(self.albumin, Analyte.ALBUMIN, F_ALBUMIN)
        check_lab(self.creatinine, Analyte.CREATININE, F_CREATININE)
        _enum_member(LdhStatus, self.ldh, F_LDH)
        if not isinstance(self.cytogenetics, Cytogenetics):
            raise InvalidInput("cytogenetics", "cytogenetics must be a Cytogenetics record.")


@dataclass(frozen=True, slots=True, kw_only=True)
class StageResult:
    system: str
    stage: str | None
    possible_stages: tuple[str, ...]
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    source: str
    score: float | None = None
    score_range: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HighRiskResult:
    status: HighRiskStatus
    criteria_met: tuple[str, ...]
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    source: str
    caveats: tuple[str, ...] = IMS_CAVEATS


@dataclass(frozen=True, slots=True, kw_only=True)
class StagingAssessment:
    iss: StageResult
    r_iss: StageResult
    r2_iss: StageResult
    high_risk_ims_imwg_2025: HighRiskResult


# --- completions of the unknown inputs ---------------------------------------------------------


class _B2m(StrEnum):
    BELOW_3_5 = "β2-microglobulin < 3.5 mg/L"
    FROM_3_5_BELOW_5_5 = "β2-microglobulin ≥ 3.5 and < 5.5 mg/L"
    FROM_5_5 = "β2-microglobulin ≥ 5.5 mg/L"


class _Albumin(StrEnum):
    BELOW_3_5 = "albumin < 3.5 g/dL"
    FROM_3_5 = "albumin ≥ 3.5 g/dL"


class _Creatinine(StrEnum):
    BELOW_1_2 = "creatinine < 1.2 mg/dL"
    FROM_1_2 = "creatinine ≥ 1.2 mg/dL"


class _Ccf(StrEnum):
    BELOW_20 = "clonal fraction < 20 %"
    FROM_20 = "clonal fraction ≥ 20 %"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Case:
    """One completion: every input reduced to the bands the rules distinguish."""

    b2m: _B2m
    albumin: _Albumin
    creatinine: _Creatinine
    ldh_high: bool
    del_17p: bool
    ccf: _Ccf
    tp53: bool
    t_4_14: bool
    t_14_16: bool
    t_14_20: bool
    gain_1q: bool
    del_1p32: Del1p32


_CASE_ATTRIBUTE = {
    F_B2M: "b2m",
    F_ALBUMIN: "albumin",
    F_CREATININE: "creatinine",
    F_LDH: "ldh_high",
    F_DEL17P: "del_17p",
    F_CCF: "ccf",
    F_TP53: "tp53",
    F_T_4_14: "t_4_14",
    F_T_14_16: "t_14_16",
    F_T_14_20: "t_14_20",
    F_GAIN_1Q: "gain_1q",
    F_DEL1P32: "del_1p32",
}


def _b2m_band(lab: LabValue) -> _B2m:
    value = lab.exact_in("mg/L")
    if value >= B2M_ISS_III_FROM:
        return _B2m.FROM_5_5
    if value < B2M_ISS_I_BELOW:
        return _B2m.BELOW_3_5
    return _B2m.FROM_3_5_BELOW_5_5


def _albumin_band(lab: LabValue) -> _Albumin:
    return _Albumin.FROM_3_5 if lab.exact_in("g/dL") >= ALBUMIN_ISS_I_FROM else _Albumin.BELOW_3_5


def _creatinine_band(lab: LabValue) -> _Creatinine:
    below = lab.exact_in("mg/dL") < CREATININE_H1D_BELOW
    return _Creatinine.BELOW_1_2 if below else _Creatinine.FROM_1_2


def _finding_domain(finding: Finding) -> tuple[bool, ...]:
    if finding == Finding.PRESENT:
        return (True,)
    if finding == Finding.ABSENT:
        return (False,)
    return (False, True)


def _domains(inp: StagingInput) -> dict[str, tuple[Hashable, ...]]:
    """Each input's possible bands: one if known, every band if unknown (G1)."""
    cyto = inp.cytogenetics
    fraction = cyto.del_17p_clonal_fraction_percent
    ldh: tuple[bool, ...] = {LdhStatus.HIGH: (True,), LdhStatus.NORMAL: (False,)}.get(
        LdhStatus(inp.ldh), (False, True)
    )
    return {
        F_B2M: tuple(_B2m)
        if inp.beta2_microglobulin is None
        else (_b2m_band(inp.beta2_microglobulin),),
        F_ALBUMIN: tuple(_Albumin) if inp.albumin is None else (_albumin_band(inp.albumin),),
        F_CREATININE: tuple(_Creatinine)
        if inp.creatinine is None
        else (_creatinine_band(inp.creatinine),),
        F_LDH: ldh,
        F_DEL17P: _finding_domain(cyto.del_17p),
        F_CCF: tuple(_Ccf)
        if fraction is None
        else ((_Ccf.FROM_20,) if exact(fraction) >= CCF_H1A_FROM else (_Ccf.BELOW_20,)),
        F_TP53: _finding_domain(cyto.tp53_mutation),
        F_T_4_14: _finding_domain(cyto.t_4_14),
        F_T_14_16: _finding_domain(cyto.t_14_16),
        F_T_14_20: _finding_domain(cyto.t_14_20),
        F_GAIN_1Q: _finding_domain(cyto.gain_1q),
        F_DEL1P32: tuple(v for v in Del1p32 if v is not Del1p32.UNKNOWN)
        if cyto.del_1p32 == Del1p32.UNKNOWN
        else (Del1p32(cyto.del_1p32),),
    }


R = TypeVar("R", bound=Hashable)
Combo = tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class _Space:
    """Every completion of the unknowns among ``fields`` (other inputs are not read)."""

    fields: tuple[str, ...]
    cases: tuple[tuple[Combo, _Case], ...]

    def outcomes(self, rule: Callable[[_Case], R]) -> tuple[tuple[Combo, R], ...]:
        return tuple((combo, rule(case)) for combo, case in self.cases)


def _space(inp: StagingInput, fields: Sequence[str]) -> _Space:
    domains = _domains(inp)
    first: dict[str, Any] = {_CASE_ATTRIBUTE[name]: dom[0] for name, dom in domains.items()}
    base = _Case(**first)
    cases = []
    for combo in itertools.product(*(domains[name] for name in fields)):
        changes: dict[str, Any] = {
            _CASE_ATTRIBUTE[name]: value for name, value in zip(fields, combo, strict=True)
        }
        cases.append((combo, replace(base, **changes)))
    return _Space(tuple(fields), tuple(cases))


def _influential(fields: Sequence[str], outcomes: Sequence[tuple[Combo, Hashable]]) -> list[str]:
    """The fields whose value, the others held fixed, changes the outcome in some completion."""
    found = []
    for index, name in enumerate(fields):
        first_seen: dict[Combo, Hashable] = {}
        for combo, outcome in outcomes:
            rest = combo[:index] + combo[index + 1 :]
            if first_seen.setdefault(rest, outcome) != outcome:
                found.append(name)
                break
    return found


def _stages(outcomes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(outcomes), key=STAGE_ORDER.index))


def _names(fields: Iterable[str]) -> str:
    items = [FIELD_NAMES[name] for name in fields]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _either(stages: Sequence[str]) -> str:
    return ", ".join(stages[:-1]) + " or " + stages[-1] if len(stages) > 1 else "".join(stages)


# --- ISS ---------------------------------------------------------------------------------------


def _iss_of(case: _Case) -> str:
    if case.b2m is _B2m.FROM_5_5:
        return "III"
    if case.b2m is _B2m.BELOW_3_5 and case.albumin is _Albumin.FROM_3_5:
        return "I"
    return "II"


def _iss_reason(inp: StagingInput) -> str:
    b2m, albumin = inp.beta2_microglobulin, inp.albumin
    albumin_text = None if albumin is None else f"albumin {albumin.describe('g/dL')}"
    if b2m is not None:
        b2m_text = f"β2-microglobulin {b2m.describe()}"
        band = _b2m_band(b2m)
        albumin_role = "albumin not needed" if albumin is None else "regardless of albumin"
        if band is _B2m.FROM_5_5:
            return f"{b2m_text} ≥ 5.5 mg/L ⇒ ISS III ({albumin_role})"
        if band is _B2m.FROM_3_5_BELOW_5_5:
            return f"{b2m_text} is ≥ 3.5 mg/L and < 5.5 mg/L ⇒ ISS II ({albumin_role})"
        if albumin is None:
            return (
                f"{b2m_text} < 3.5 mg/L but albumin not given ⇒ ISS I if albumin ≥ 3.5 g/dL "
                "(35 g/L), otherwise ISS II"
            )
        if _albumin_band(albumin) is _Albumin.FROM_3_5:
            return f"{b2m_text} < 3.5 mg/L and {albumin_text} ≥ 3.5 g/dL ⇒ ISS I"
        return f"{b2m_text} < 3.5 mg/L but {albumin_text} < 3.5 g/dL ⇒ ISS II"
    if albumin is None:
        return "β2-microglobulin and albumin not given ⇒ ISS I, II or III possible"
    if _albumin_band(albumin) is _Albumin.BELOW_3_5:
        return (
            f"β2-microglobulin not given; {albumin_text} < 3.5 g/dL rules out ISS I ⇒ ISS II "
            "(β2-microglobulin < 5.5 mg/L) or III (β2-microglobulin ≥ 5.5 mg/L)"
        )
    return (
        f"β2-microglobulin not given; {albumin_text} ≥ 3.5 g/dL ⇒ ISS I (β2-microglobulin "
        "< 3.5 mg/L), II (3.5 to < 5.5 mg/L) or III (≥ 5.5 mg/L)"
    )


def iss(inp: StagingInput) -> StageResult:
    """ISS (Greipp, JCO 2005) — domain-reference §4 I1.

    III: β2M ≥ 5.5 mg/L (whatever the albumin); I: β2M < 3.5 mg/L and albumin ≥ 3.5 g/dL
    (35 g/L); II: otherwise.
    """
    space = _space(inp, (F_B2M, F_ALBUMIN))
    outcomes = space.outcomes(_iss_of)
    stages = _stages(stage for _, stage in outcomes)
    return StageResult(
        system="ISS",
        stage=stages[0] if len(stages) == 1 else None,
        possible_stages=stages,
        missing=tuple(_influential(space.fields, outcomes)),
        reasons=(_iss_reason(inp),),
        source=ISS_SOURCE,
    )


# --- R-ISS -------------------------------------------------------------------------------------

_R_ISS_FIELDS = (F_B2M, F_ALBUMIN, F_LDH, F_DEL17P, F_T_4_14, F_T_14_16)


def _r_iss_of(case: _Case) -> str:
    stage = _iss_of(case)
    high_risk_ca = case.del_17p or case.t_4_14 or case.t_14_16
    if stage == "I" and not high_risk_ca and not case.ldh_high:
        return "I"
    if stage == "III" and (high_risk_ca or case.ldh_high):
        return "III"
    return "II"


def _high_risk_ca_text(cyto: Cytogenetics) -> str:
    names = {"del_17p": "del(17p)", "t_4_14": "t(4;14)", "t_14_16": "t(14;16)"}
    by_state: dict[str, list[str]] = {state.value: [] for state in Finding}
    for attribute, name in names.items():
        by_state[Finding(getattr(cyto, attribute)).value].append(name)
    present, unknown = by_state[Finding.PRESENT], by_state[Finding.UNKNOWN]
    if present:
        return f"high-risk cytogenetics present ({', '.join(present)})"
    if unknown:
        return f"high-risk cytogenetics not known ({', '.join(unknown)} unknown)"
    return "standard-risk cytogenetics (del(17p), t(4;14) and t(14;16) absent)"


def _ldh_text(ldh: LdhStatus) -> str:
    return {
        LdhStatus.HIGH: "LDH above the upper limit of normal",
        LdhStatus.NORMAL: "LDH within the normal range (≤ upper limit of normal)",
        LdhStatus.UNKNOWN: "LDH unknown",
    }[LdhStatus(ldh)]


def r_iss(inp: StagingInput) -> StageResult:
    """R-ISS (Palumbo, JCO 2015;33:2863) — domain-reference §5 R1.

    I: ISS I, standard-risk CA and LDH ≤ ULN; III: ISS III and (high-risk CA — del(17p),
    t(4;14) or t(14;16) — or LDH > ULN); II: all other combinations.
    """
    space = _space(inp, _R_ISS_FIELDS)
    outcomes = space.outcomes(_r_iss_of)
    stages = _stages(stage for _, stage in outcomes)
    missing = _influential(space.fields, outcomes)
    iss_stages = _stages(_iss_of(case) for _, case in space.cases)
    reasons: list[str] = []
    if iss_stages == ("II",):
        reasons.append(
            "ISS II ⇒ R-ISS II whatever the cytogenetics and LDH (R-ISS I needs ISS I, "
            "R-ISS III needs ISS III)"
        )
    else:
        reasons.append(
            f"ISS {_either(iss_stages)}; {_high_risk_ca_text(inp.cytogenetics)}; "
            f"{_ldh_text(inp.ldh)}"
        )
        if len(stages) == 1:
            reasons.append(
                {
                    "I": "ISS I with standard-risk cytogenetics and LDH ≤ upper limit of normal "
                    "⇒ R-ISS I",
                    "II": "Neither the R-ISS I nor the R-ISS III criteria are met ⇒ R-ISS II",
                    "III": "ISS III with high-risk cytogenetics and/or LDH above the upper limit "
                    "of normal ⇒ R-ISS III",
                }[stages[0]]
            )
        else:
            reasons.append(f"R-ISS {_either(stages)} — depends on {_names(missing)}")
    if inp.cytogenetics.gain_1q == Finding.PRESENT:
        reasons.append("1q+ is not an R-ISS high-risk abnormality (it is scored in R2-ISS)")
    reasons.append(
        "R-ISS high-risk cytogenetics are by interphase FISH on CD138-purified plasma cells; "
        "positivity cut-offs are laboratory-defined"
    )
    return StageResult(
        system="R-ISS",
        stage=stages[0] if len(stages) == 1 else None,
        possible_stages=stages,
        missing=tuple(missing),
        reasons=tuple(reasons),
        source=R_ISS_SOURCE,
    )


# --- R2-ISS ------------------------------------------------------------------------------------

_R2_ISS_FIELDS = (F_B2M, F_ALBUMIN, F_LDH, F_DEL17P, F_T_4_14, F_GAIN_1Q)
_ISS_POINTS = {"I": 0.0, "II": 1.0, "III": 1.5}
# (field, points, name) — §6; t(14;16) is not scored.
_R2_FEATURES = (
    (F_DEL17P, 1.0, "del(17p)"),
    (F_LDH, 1.0, "LDH"),
    (F_T_4_14, 1.0, "t(4;14)"),
    (F_GAIN_1Q, 0.5, "1q+ (gain or amplification)"),
)


def _r2_points(case: _Case) -> float:
    return (
        _ISS_POINTS[_iss_of(case)]
        + (1.0 if case.del_17p else 0.0)
        + (1.0 if case.ldh_high else 0.0)
        + (1.0 if case.t_4_14 else 0.0)
        + (0.5 if case.gain_1q else 0.0)
    )


def _r2_stage(points: float) -> str:
    """R2 group table (§6): 0 ⇒ I; 0.5–1 ⇒ II; 1.5–2.5 ⇒ III; 3–5 ⇒ IV."""
    if points == 0:
        return "I"
    if points <= 1:
        return "II"
    if points <= 2.5:
        return "III"
    return "IV"


def _points(points: float) -> str:
    return f"{format_number(points)} point{'' if points == 1 else 's'}"


def _r2_feature_text(inp: StagingInput, name: str, points: float, words: str) -> str:
    if name == F_LDH:
        state = {LdhStatus.HIGH: "present", LdhStatus.NORMAL: "absent"}.get(
            LdhStatus(inp.ldh), "unknown"
        )
        shown = {
            "present": "LDH above the upper limit of normal",
            "absent": "LDH normal",
            "unknown": "LDH unknown",
        }[state]
    else:
        state = Finding(getattr(inp.cytogenetics, name.removeprefix("cytogenetics."))).value
        shown = words if state == "present" else f"{words} {state}"
    if state == "present":
        return f"{shown}: {_points(points)}"
    if state == "absent":
        return f"{shown}: 0 points"
    return f"{shown}: 0 or {_points(points)}"


def r2_iss(inp: StagingInput) -> StageResult:
    """R2-ISS (D'Agostino, JCO 2022;40:3406; erratum 40:4032) — domain-reference §6 R2.

    Points: ISS II 1, ISS III 1.5, del(17p) 1, LDH > ULN 1, t(4;14) 1, 1q+ 0.5 (t(14;16) is not
    scored). Groups: 0 ⇒ I, 0.5–1 ⇒ II, 1.5–2.5 ⇒ III, 3–5 ⇒ IV. Unknown features give a range.
    """
    space = _space(inp, _R2_ISS_FIELDS)
    points = space.outcomes(_r2_points)
    groups = tuple((combo, _r2_stage(total)) for combo, total in points)
    stages = _stages(stage for _, stage in groups)
    low, high = min(total for _, total in points), max(total for _, total in points)
    missing = _influential(space.fields, groups)
    iss_stages = _stages(_iss_of(case) for _, case in space.cases)
    iss_points = sorted({_ISS_POINTS[stage] for stage in iss_stages})
    if len(iss_points) == 1:
        iss_text = f"ISS {iss_stages[0]}: {_points(iss_points[0])}"
    else:
        shown = " to ".join(format_number(p) for p in (iss_points[0], iss_points[-1]))
        iss_text = f"ISS {_either(iss_stages)}: {shown} points"
    reasons = [iss_text]
    reasons += [_r2_feature_text(inp, *feature) for feature in _R2_FEATURES]
    if inp.cytogenetics.t_14_16 == Finding.PRESENT:
        reasons.append("t(14;16) is not scored in R2-ISS")
    if low == high:
        reasons.append(f"Total {format_number(low)} points ⇒ R2-ISS {stages[0]}")
    else:
        total = f"Total {format_number(low)} to {format_number(high)} points"
        if len(stages) == 1:
            score_only = _influential(space.fields, points)
            reasons.append(
                f"{total} ⇒ R2-ISS {stages[0]} either way ({_names(score_only)} changes only "
                "the points, not the group)"
            )
        else:
            reasons.append(f"{total} ⇒ R2-ISS {_either(stages)} — depends on {_names(missing)}")
    return StageResult(
        system="R2-ISS",
        stage=stages[0] if len(stages) == 1 else None,
        possible_stages=stages,
        missing=tuple(missing),
        reasons=tuple(reasons),
        source=R2_ISS_SOURCE,
        score=low if low == high else None,
        score_range=(low, high),
    )


# --- IMS/IMWG 2025 -----------------------------------------------------------------------------

_IMS_FIELDS = (
    F_B2M,
    F_CREATININE,
    F_DEL17P,
    F_CCF,
    F_TP53,
    F_T_4_14,
    F_T_14_16,
    F_T_14_20,
    F_GAIN_1Q,
    F_DEL1P32,
)
_GENOMIC_FIELDS = frozenset(_IMS_FIELDS) - {F_B2M, F_CREATININE}


def _ims_criteria(case: _Case) -> frozenset[str]:
    met = set()
    # H1a: del(17p) with clonal fraction ≥ 20 %, or TP53 mutation.
    if (case.del_17p and case.ccf is _Ccf.FROM_20) or case.tp53:
        met.add(H1A)
    # H1b: t(4;14), t(14;16) or t(14;20) co-occurring with 1q+ or del(1p32) (either kind).
    translocation = case.t_4_14 or case.t_14_16 or case.t_14_20
    if translocation and (case.gain_1q or case.del_1p32 is not Del1p32.ABSENT):
        met.add(H1B)
    # H1c: biallelic del(1p32), or monoallelic del(1p32) co-occurring with 1q+.
    if case.del_1p32 is Del1p32.BIALLELIC or (
        case.del_1p32 is Del1p32.MONOALLELIC and case.gain_1q
    ):
        met.add(H1C)
    # H1d: β2M ≥ 5.5 mg/L with creatinine < 1.2 mg/dL.
    if case.b2m is _B2m.FROM_5_5 and case.creatinine is _Creatinine.BELOW_1_2:
        met.add(H1D)
    return frozenset(met)


def _word(finding: Finding | Del1p32) -> str:
    return str(finding.value) if isinstance(finding, StrEnum) else str(finding)


def _criterion_verdict(code: str, outcomes: Sequence[tuple[Combo, frozenset[str]]]) -> str:
    states = {code in criteria for _, criteria in outcomes}
    if states == {True}:
        return "met"
    if states == {False}:
        return "not met"
    return "undetermined"


def _h1a_facts(cyto: Cytogenetics) -> str:
    fraction = cyto.del_17p_clonal_fraction_percent
    if cyto.del_17p == Finding.PRESENT and fraction is not None:
        operator = "≥" if exact(fraction) >= CCF_H1A_FROM else "<"
        del17p = (
            f"del(17p) present with clonal fraction {format_number(fraction)} % {operator} 20 %"
        )
    elif cyto.del_17p == Finding.PRESENT:
        del17p = "del(17p) present, clonal fraction not given"
    elif cyto.del_17p == Finding.UNKNOWN and fraction is not None:
        del17p = f"del(17p) unknown (clonal fraction {format_number(fraction)} % entered)"
    else:
        del17p = f"del(17p) {_word(cyto.del_17p)}"
    return f"{del17p}; TP53 mutation {_word(cyto.tp53_mutation)}"


def _h1b_facts(cyto: Cytogenetics) -> str:
    translocations = ", ".join(
        f"{name} {_word(getattr(cyto, attribute))}"
        for attribute, name in (
            ("t_4_14", "t(4;14)"),
            ("t_14_16", "t(14;16)"),
            ("t_14_20", "t(14;20)"),
        )
    )
    return f"{translocations}; 1q+ {_word(cyto.gain_1q)}; del(1p32) {_word(cyto.del_1p32)}"


def _h1d_facts(inp: StagingInput) -> str:
    b2m, creatinine = inp.beta2_microglobulin, inp.creatinine
    if b2m is None:
        b2m_text = "β2-microglobulin not given"
    else:
        operator = "≥" if b2m.exact_in("mg/L") >= B2M_H1D_FROM else "<"
        b2m_text = f"β2-microglobulin {b2m.describe()} {operator} 5.5 mg/L"
    if creatinine is None:
        creatinine_text = "creatinine not given"
    else:
        in_mg_dl = creatinine.exact_in("mg/dL")
        operator = "<" if in_mg_dl < CREATININE_H1D_BELOW else "≥"
        shown = f"{format_number(creatinine.value)} {unit_label(creatinine.canonical_unit)}"
        if creatinine.canonical_unit != "mg/dL":
            shown += f" ({format_near(in_mg_dl, CREATININE_H1D_BELOW)} mg/dL)"
        creatinine_text = f"creatinine {shown} {operator} 1.2 mg/dL"
    return f"{b2m_text}; {creatinine_text}"


def high_risk_ims_imwg_2025(inp: StagingInput) -> HighRiskResult:
    """High-risk MM, IMS/IMWG 2025 (Avet-Loiseau, JCO 2025;43:2739–51) — domain-reference §7.

    High risk if ≥ 1 of: H1a del(17p) with clonal fraction ≥ 20 % or TP53 mutation; H1b t(4;14),
    t(14;16) or t(14;20) with 1q+ or del(1p32); H1c biallelic del(1p32), or monoallelic del(1p32)
    with 1q+; H1d β2M ≥ 5.5 mg/L with creatinine < 1.2 mg/dL. Not high risk only when every
    completion of the unknowns meets none; otherwise not assessable (G1).
    """
    space = _space(inp, _IMS_FIELDS)
    outcomes = space.outcomes(_ims_criteria)
    definitely_met = tuple(
        code for code in IMS_CRITERIA if all(code in criteria for _, criteria in outcomes)
    )
    any_met = tuple((combo, bool(criteria)) for combo, criteria in outcomes)
    missing = _influential(space.fields, any_met)
    if definitely_met:
        status = HighRiskStatus.HIGH_RISK
    elif not any(met for _, met in any_met):
        status = HighRiskStatus.NOT_HIGH_RISK
    else:
        status = HighRiskStatus.NOT_ASSESSABLE

    cyto = inp.cytogenetics
    verdicts = {code: _criterion_verdict(code, outcomes) for code in IMS_CRITERIA}
    reasons = [
        f"H1a (del(17p) with clonal fraction ≥ 20 % or TP53 mutation): {_h1a_facts(cyto)} "
        f"⇒ {verdicts[H1A]}",
        f"H1b (t(4;14), t(14;16) or t(14;20) with 1q+ or del(1p32)): {_h1b_facts(cyto)} "
        f"⇒ {verdicts[H1B]}",
        "H1c (biallelic del(1p32), or monoallelic del(1p32) with 1q+): "
        f"del(1p32) {_word(cyto.del_1p32)}; 1q+ {_word(cyto.gain_1q)} ⇒ {verdicts[H1C]}",
        "H1d (β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL): "
        f"{_h1d_facts(inp)} ⇒ {verdicts[H1D]}",
    ]
    if status is HighRiskStatus.HIGH_RISK:
        reasons.append("At least one criterion is met ⇒ high risk")
        if definitely_met == (H1D,):
            reasons.append(
                "High risk rests on the β2-microglobulin criterion only: genomic profiling is "
                "still needed (the clinical criterion does not replace it)"
            )
    elif status is HighRiskStatus.NOT_HIGH_RISK:
        reasons.append(
            "No criterion is met ⇒ not high risk (a translocation alone, 1q+ alone or "
            "monoallelic del(1p32) alone is not high risk by this definition)"
        )
    else:
        label = (
            "not assessable (genomic profile missing)"
            if _GENOMIC_FIELDS & set(missing)
            else "not assessable"
        )
        reasons.append(
            f"No criterion is met with the values given, but {_names(missing)} could change "
            f"that ⇒ {label}; unknown results are not read as normal"
        )
    return HighRiskResult(
        status=status,
        criteria_met=definitely_met,
        missing=tuple(missing),
        reasons=tuple(reasons),
        source=IMS_IMWG_SOURCE,
    )


def assess(inp: StagingInput) -> StagingAssessment:
    """All four systems for one patient (domain-reference §4–§7)."""
    return StagingAssessment(
        iss=iss(inp),
        r_iss=r_iss(inp),
        r2_iss=r2_iss(inp),
        high_risk_ims_imwg_2025=high_risk_ims_imwg_2025(inp),
    )
