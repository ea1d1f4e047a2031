"""IMWG 2016 category of one assessment — domain-reference §21 R1–R8 (with §10–§11).

R1 the track of measurable disease; R2–R7 the category with its reasons in words and numbers; R8
progression against the nadir; and the anti-CD38 antibody interference on SPE/IFE (SARCLISA SmPC
4.4, 4.5). Unknown is never normal (G1): a category that needs a missing value is not reached and
the result says what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from myeloma_core.response_types import (
    DEPTH,
    IMWG_SOURCE,
    SARCLISA_SOURCE,
    AntiCd38,
    Assessment,
    Category,
    Clonality,
    Ife,
    Isotype,
    LightChain,
    MeasurableDisease,
    Measure,
    Quantity,
    ShiftAssay,
    Track,
    base_text,
)
from myeloma_core.units import format_near, format_number
from myeloma_core.vocabulary import Finding

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


_HUNDRED = Decimal(100)


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
        f"dFLC {change} from baseline (from {base_text(Measure.FLC, base)} to "
        f"{base_text(Measure.FLC, value)})"
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


def shallowest(depths: Sequence[Category]) -> Category:
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


def missing_text(fields: Sequence[str]) -> str:
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
class Categorised:
    category: Category
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    criteria: tuple[str, ...]
    sources: tuple[str, ...]


def categorise(
    current: Assessment,
    earlier: Sequence[Assessment],
    baseline: Assessment,
    disease: MeasurableDisease,
    isotype: Isotype | None,
    anti_cd38: AntiCd38 | None,
) -> Categorised:
    pd = _progression(current, earlier, disease.track, baseline)
    if pd.criteria:
        return Categorised(Category.PD, pd.reasons, (), (), (), pd.criteria, (IMWG_SOURCE,))

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
            return Categorised(
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
            return Categorised(Category.SCR, cr.reasons, (), tuple(notes), (), (), tuple(sources))
        if cr.scr_missing:
            notes.append(f"sCR not assessable: missing {missing_text(cr.scr_missing)}")
        return Categorised(
            Category.CR, cr.reasons, cr.scr_missing, tuple(notes), (), (), tuple(sources)
        )
    missing = list(cr.missing)
    cr_data_given = (
        current.serum_ife is not Ife.UNKNOWN
        or current.urine_ife is not Ife.UNKNOWN
        or current.bone_marrow_plasma_cells_percent is not None
    )
    if missing and cr_data_given:
        notes.append(f"CR not assessable: missing {missing_text(missing)}")

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
        return Categorised(
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
            return Categorised(
                Category.NE,
                ("nothing measured at this assessment",),
                tuple(missing),
                tuple(notes),
                (),
                (),
                tuple(sources),
            )
        reasons.append("no measurable disease: neither CR nor PD reached")
        return Categorised(
            Category.SD, tuple(reasons), tuple(missing), tuple(notes), (), (), tuple(sources)
        )
    if not measured:
        return Categorised(
            Category.NE,
            (f"not evaluable: missing {missing_text(missing) or 'the tracked values'}",),
            tuple(missing),
            tuple(notes),
            (),
            (),
            tuple(sources),
        )
    depths = [c.depth for c in measured if c.depth is not None]
    category = shallowest(depths)
    if not_measured and DEPTH[category] > DEPTH[Category.SD]:
        notes.append(f"{category.value} not reached: missing {missing_text(component_missing)}")
        category = Category.SD
    if category is Category.SD:
        reasons.append("no response category reached and no progression: SD")
    return Categorised(
        category, tuple(reasons), tuple(missing), tuple(notes), (), (), tuple(sources)
    )
