"""MGUS vs smouldering myeloma vs multiple myeloma (IMWG 2014) — domain-reference §2, D1–D5.

As in staging, unknown inputs are never read as normal (G1): the classification is evaluated
over every completion of the unknown findings, reported only when all completions agree, and
``missing`` names the inputs that could change it. Where the rule compares with the laboratory's
own limit (calcium ULN, haemoglobin LLN) and that limit is not given, the completions range over
the accepted limits (``CALCIUM_ULN_RANGE_MMOL_L``, ``HAEMOGLOBIN_LLN_RANGE_G_L``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from myeloma_core.errors import InvalidInput
from myeloma_core.units import (
    ACCEPTED_UNITS,
    Analyte,
    LabValue,
    bounded_number,
    check_lab,
    convert,
    exact,
    format_number,
    lab_value,
    percentage,
    unit_label,
)
from myeloma_core.vocabulary import Finding

SOURCE = "IMWG 2014 diagnostic criteria: Rajkumar SV et al., Lancet Oncol 2014;15:e538"


R = TypeVar("R", bound=Hashable)


class Classification(StrEnum):
    MULTIPLE_MYELOMA = "multiple_myeloma"
    SMOULDERING_MYELOMA = "smouldering_myeloma"
    MGUS = "mgus"


CLASSIFICATION_ORDER = tuple(Classification)
CLASSIFICATION_NAMES = {
    Classification.MULTIPLE_MYELOMA: "multiple myeloma",
    Classification.SMOULDERING_MYELOMA: "smouldering myeloma",
    Classification.MGUS: "MGUS",
}

# Myeloma-defining event codes (api-v1 / templates).
MDE_HYPERCALCAEMIA = "hypercalcaemia"
MDE_RENAL = "renal_insufficiency"
MDE_ANAEMIA = "anaemia"
MDE_BONE = "bone_lesions"
MDE_BMPC_60 = "bmpc_60"
MDE_FLC_RATIO_100 = "flc_ratio_100"
MDE_MRI = "mri_focal_lesions"

# Thresholds in the source's units with the source's operators (§2).
CALCIUM_ABSOLUTE = {"mmol/L": Decimal("2.75"), "mg/dL": Decimal(11)}  # D1 C: > 2.75 (> 11)
CALCIUM_ABOVE_ULN = {"mmol/L": Decimal("0.25"), "mg/dL": Decimal(1)}  # D1 C: > ULN + 0.25 (+ 1)
CREATININE_ABOVE = {"umol/L": Decimal(177), "mg/dL": Decimal(2)}  # D1 R: > 177 µmol/L (> 2)
CRCL_BELOW_ML_MIN = Decimal(40)  # D1 R: CrCl < 40 mL/min
HAEMOGLOBIN_BELOW_G_L = Decimal(100)  # D1 A: Hb < 100 g/L
HAEMOGLOBIN_BELOW_LLN_G_L = Decimal(20)  # D1 A: > 20 g/L below LLN
BMPC_MDE_FROM = Decimal(60)  # D1 S: ≥ 60 %
BMPC_MM_FROM = Decimal(10)  # D2 ≥ 10 %; D3 10–60 %; D4 < 10 %
FLC_RATIO_FROM = Decimal(100)  # D1 Li: ratio ≥ 100 …
INVOLVED_FLC_FROM_MG_L = Decimal(100)  # … and involved FLC ≥ 100 mg/L
MRI_LESIONS_ABOVE = 1  # D1 M: > 1 focal lesion
SERUM_M_SMM_FROM_G_L = Decimal(30)  # D3 ≥ 30 g/L; D4 < 30 g/L
URINE_M_SMM_FROM_MG_24H = Decimal(500)  # D3 ≥ 500 mg/24 h

# Accepted laboratory limits (plausibility, not clinical rules). They also bound what an unknown
# limit can be: with calcium 2.35 mmol/L no accepted ULN makes "> ULN + 0.25 mmol/L" true.
CALCIUM_ULN_RANGE_MMOL_L = (Decimal("2.2"), Decimal("3.0"))
HAEMOGLOBIN_LLN_RANGE_G_L = (Decimal(100), Decimal(150))

MDE_NAMES = {
    MDE_HYPERCALCAEMIA: "hypercalcaemia",
    MDE_RENAL: "renal insufficiency",
    MDE_ANAEMIA: "anaemia",
    MDE_BONE: "bone lesions",
    MDE_BMPC_60: "clonal plasma cells ≥ 60 %",
    MDE_FLC_RATIO_100: "free light chain ratio ≥ 100",
    MDE_MRI: "> 1 MRI focal lesion",
}

FIELD_NAMES = {
    "clonal_bone_marrow_plasma_cells_percent": "clonal bone-marrow plasma cells",
    "biopsy_proven_plasmacytoma": "biopsy-proven plasmacytoma",
    "serum_m_protein": "serum M-protein",
    "urine_m_protein_mg_24h": "urinary M-protein",
    "calcium": "calcium",
    "calcium_upper_limit_normal": "calcium upper limit of normal",
    "creatinine": "creatinine",
    "creatinine_clearance_ml_min": "creatinine clearance",
    "haemoglobin": "haemoglobin",
    "haemoglobin_lower_limit_normal": "haemoglobin lower limit of normal",
    "bone_lesions": "bone imaging",
    "involved_flc_mg_l": "involved free light chain",
    "uninvolved_flc_mg_l": "uninvolved free light chain",
    "mri_focal_lesions": "MRI focal lesions",
    "amyloidosis": "amyloidosis",
    "crab_attributable": "whether CRAB features are due to the plasma-cell disorder",
}

BMPC_BELOW_10 = "clonal BMPC < 10 %"
BMPC_10_TO_60 = "clonal BMPC 10 to < 60 %"
BMPC_FROM_60 = "clonal BMPC ≥ 60 %"
_BMPC_BANDS = (BMPC_BELOW_10, BMPC_10_TO_60, BMPC_FROM_60)


@dataclass(frozen=True, slots=True, kw_only=True)
class DiagnosisInput:
    clonal_bone_marrow_plasma_cells_percent: float | None = None
    biopsy_proven_plasmacytoma: Finding = Finding.UNKNOWN
    serum_m_protein: LabValue | None = None
    urine_m_protein_mg_24h: float | None = None
    calcium: LabValue | None = None
    calcium_upper_limit_normal: LabValue | None = None
    creatinine: LabValue | None = None
    creatinine_clearance_ml_min: float | None = None
    haemoglobin: LabValue | None = None
    haemoglobin_lower_limit_normal: LabValue | None = None
    bone_lesions: Finding = Finding.UNKNOWN
    involved_flc_mg_l: float | None = None
    uninvolved_flc_mg_l: float | None = None
    mri_focal_lesions: int | None = None
    amyloidosis: Finding = Finding.UNKNOWN
    # Clinician attestation that the CRAB features are due to the plasma-cell disorder.
    crab_attributable: Finding = Finding.UNKNOWN

    def __post_init__(self) -> None:
        if self.clonal_bone_marrow_plasma_cells_percent is not None:
            percentage(
                self.clonal_bone_marrow_plasma_cells_percent,
                field="clonal_bone_marrow_plasma_cells_percent",
            )
        for name in ("biopsy_proven_plasmacytoma", "bone_lesions", "amyloidosis"):
            _finding(getattr(self, name), name)
        _finding(self.crab_attributable, "crab_attributable")
        check_lab(self.serum_m_protein, Analyte.M_PROTEIN, "serum_m_protein")
        check_lab(self.calcium, Analyte.CALCIUM, "calcium")
        check_lab(self.creatinine, Analyte.CREATININE, "creatinine")
        check_lab(self.haemoglobin, Analyte.HAEMOGLOBIN, "haemoglobin")
        uln = check_lab(
            self.calcium_upper_limit_normal, Analyte.CALCIUM, "calcium_upper_limit_normal"
        )
        if uln is not None:
            _within(
                uln,
                CALCIUM_ULN_RANGE_MMOL_L,
                "mmol/L",
                "calcium_upper_limit_normal",
                "The calcium upper limit of normal (total serum calcium)",
            )
        lln = check_lab(
            self.haemoglobin_lower_limit_normal,
            Analyte.HAEMOGLOBIN,
            "haemoglobin_lower_limit_normal",
        )
        if lln is not None:
            _within(
                lln,
                HAEMOGLOBIN_LLN_RANGE_G_L,
                "g/L",
                "haemoglobin_lower_limit_normal",
                "The haemoglobin lower limit of normal",
            )
        numbers = (
            ("urine_m_protein_mg_24h", "Urinary M-protein", " mg/24 h", 0, 50_000, True),
            ("creatinine_clearance_ml_min", "Creatinine clearance", " mL/min", 0, 300, True),
        )
        for name, label, unit, low, high, low_inclusive in numbers:
            value = getattr(self, name)
            if value is not None:
                bounded_number(
                    value,
                    field=name,
                    label=label,
                    unit=unit,
                    low=low,
                    high=high,
                    low_inclusive=low_inclusive,
                )
        for name, label in (
            ("involved_flc_mg_l", "the involved free light chain"),
            ("uninvolved_flc_mg_l", "the uninvolved free light chain"),
        ):
            value = getattr(self, name)
            if value is not None:  # mg/L only (api-v1); the plausible range of units.py
                lab_value(Analyte.FREE_LIGHT_CHAIN, value, "mg/L", field=name, label=label)
        lesions = self.mri_focal_lesions
        if lesions is not None and (
            isinstance(lesions, bool) or not isinstance(lesions, int) or not 0 <= lesions <= 500
        ):
            raise InvalidInput(
                "mri_focal_lesions",
                f"The number of MRI focal lesions must be a whole number from 0 to 500; "
                f"got {lesions!r}.",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class DiagnosisResult:
    classification: Classification | None
    possible_classifications: tuple[Classification, ...]
    myeloma_defining_events_met: tuple[str, ...]
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
    source: str


def _finding(value: object, field: str) -> Finding:
    if isinstance(value, str):
        try:
            return Finding(value)
        except ValueError:
            pass
    raise InvalidInput(field, f'{field} must be "present", "absent" or "unknown"; got {value!r}.')


def _within(
    lab: LabValue, bounds: tuple[Decimal, Decimal], unit: str, field: str, label: str
) -> None:
    value = lab.exact_in(unit)
    if not bounds[0] <= value <= bounds[1]:
        others = "; ".join(
            f"{format_number(convert(lab.analyte, bounds[0], unit, other), places=2)} to "
            f"{format_number(convert(lab.analyte, bounds[1], unit, other), places=2)} "
            f"{unit_label(other)}"
            for other in ACCEPTED_UNITS[lab.analyte]
            if other != unit
        )
        raise InvalidInput(
            field,
            f"{label} must be from {format_number(bounds[0])} to {format_number(bounds[1])} "
            f"{unit_label(unit)} ({others}); got {lab.describe()}.",
        )


# --- features: each input reduced to what the rules distinguish --------------------------------


@dataclass(frozen=True, slots=True)
class _Feature:
    key: str
    domain: tuple[Hashable, ...]
    needs: tuple[str, ...]  # the inputs that would decide it when unknown
    reason: str | None = None


def _bool_domain(finding: Finding) -> tuple[bool, ...]:
    if finding == Finding.PRESENT:
        return (True,)
    if finding == Finding.ABSENT:
        return (False,)
    return (False, True)


def _hypercalcaemia(inp: DiagnosisInput) -> _Feature:
    """D1 C: > ULN + 0.25 mmol/L (+ 1 mg/dL) or > 2.75 mmol/L (> 11 mg/dL), in the unit entered."""
    calcium, uln = inp.calcium, inp.calcium_upper_limit_normal
    if calcium is None:
        return _Feature("C", (False, True), ("calcium",))
    unit = calcium.canonical_unit
    value, absolute, margin = exact(calcium.value), CALCIUM_ABSOLUTE[unit], CALCIUM_ABOVE_ULN[unit]
    shown, u = f"Calcium {calcium.describe()}", unit_label(unit)
    if value > absolute:
        return _Feature(
            "C", (True,), (), f"{shown} > {absolute} {u} ⇒ hypercalcaemia (D1 C, if attributable)"
        )
    if uln is not None:
        limit = uln.exact_in(unit) + margin
        uln_text = f"upper limit of normal {uln.describe(unit)} + {margin} {u}"
        if value > limit:
            return _Feature(
                "C",
                (True,),
                (),
                f"{shown} > {uln_text} = {format_number(limit)} {u} ⇒ hypercalcaemia (D1 C, if "
                "attributable)",
            )
        return _Feature(
            "C",
            (False,),
            (),
            f"{shown} is not > {absolute} {u} and not > {uln_text} = {format_number(limit)} {u} "
            "⇒ no hypercalcaemia",
        )
    lowest = convert(Analyte.CALCIUM, CALCIUM_ULN_RANGE_MMOL_L[0], "mmol/L", unit)
    if value > lowest + margin:
        return _Feature(
            "C",
            (False, True),
            ("calcium_upper_limit_normal",),
            f"{shown} is not > {absolute} {u}; whether it is > ULN + {margin} {u} depends on the "
            "laboratory's upper limit of normal (not given)",
        )
    return _Feature(
        "C",
        (False,),
        (),
        f"{shown} is not > {absolute} {u}, nor > ULN + {margin} {u} for any accepted upper limit "
        f"of normal (≥ {format_number(lowest, places=2)} {u}) ⇒ no hypercalcaemia",
    )


def _renal(inp: DiagnosisInput) -> _Feature:
    """D1 R: CrCl < 40 mL/min or creatinine > 177 µmol/L (> 2 mg/dL), in the unit entered.

    The reference gives the input as "CrCl or serum creatinine": the criterion is judged on
    whichever was entered, and is unknown only when neither was.
    """
    creatinine, crcl = inp.creatinine, inp.creatinine_clearance_ml_min
    if creatinine is None and crcl is None:
        return _Feature("R", (False, True), ("creatinine_clearance_ml_min", "creatinine"))
    facts: list[str] = []
    met = False
    if creatinine is not None:
        unit = creatinine.canonical_unit
        threshold = CREATININE_ABOVE[unit]
        above = exact(creatinine.value) > threshold
        met = met or above
        facts.append(
            f"creatinine {creatinine.describe()} {'>' if above else 'is not >'} "
            f"{threshold} {unit_label(unit)}"
        )
    if crcl is not None:
        below = exact(crcl) < CRCL_BELOW_ML_MIN
        met = met or below
        facts.append(
            f"creatinine clearance {format_number(crcl)} mL/min "
            f"{'<' if below else 'is not <'} 40 mL/min"
        )
    text = "; ".join(facts)
    text = text[0].upper() + text[1:]
    if met:
        return _Feature("R", (True,), (), f"{text} ⇒ renal insufficiency (D1 R, if attributable)")
    if crcl is None:
        text += " (creatinine clearance not given: judged on creatinine)"
    elif creatinine is None:
        text += " (creatinine not given: judged on creatinine clearance)"
    return _Feature("R", (False,), (), f"{text} ⇒ no renal insufficiency")


def _anaemia(inp: DiagnosisInput) -> _Feature:
    """D1 A: Hb < 100 g/L or > 20 g/L below the LLN, compared in g/L."""
    hb, lln = inp.haemoglobin, inp.haemoglobin_lower_limit_normal
    if hb is None:
        return _Feature("A", (False, True), ("haemoglobin",))
    value = hb.exact_in("g/L")
    shown = f"Haemoglobin {hb.describe('g/L')}"
    if value < HAEMOGLOBIN_BELOW_G_L:
        return _Feature("A", (True,), (), f"{shown} < 100 g/L ⇒ anaemia (D1 A, if attributable)")
    if lln is not None:
        gap = lln.exact_in("g/L") - value
        lln_text = f"lower limit of normal {lln.describe('g/L')}"
        if gap > HAEMOGLOBIN_BELOW_LLN_G_L:
            return _Feature(
                "A",
                (True,),
                (),
                f"{shown} is {format_number(gap)} g/L below the {lln_text} (> 20 g/L) ⇒ anaemia "
                "(D1 A, if attributable)",
            )
        return _Feature(
            "A",
            (False,),
            (),
            f"{shown} is not < 100 g/L and not > 20 g/L below the {lln_text} ⇒ no anaemia",
        )
    highest = HAEMOGLOBIN_LLN_RANGE_G_L[1]
    if highest - value > HAEMOGLOBIN_BELOW_LLN_G_L:
        return _Feature(
            "A",
            (False, True),
            ("haemoglobin_lower_limit_normal",),
            f"{shown} is not < 100 g/L; whether it is > 20 g/L below the lower limit of normal "
            "depends on the laboratory's limit (not given)",
        )
    return _Feature(
        "A",
        (False,),
        (),
        f"{shown} is not < 100 g/L, nor > 20 g/L below any accepted lower limit of normal "
        f"(≤ {format_number(highest)} g/L) ⇒ no anaemia",
    )


def _flc(inp: DiagnosisInput) -> _Feature:
    """D1 Li: involved/uninvolved sFLC ratio ≥ 100 and involved FLC ≥ 100 mg/L."""
    involved, uninvolved = inp.involved_flc_mg_l, inp.uninvolved_flc_mg_l
    if involved is not None and exact(involved) < INVOLVED_FLC_FROM_MG_L:
        return _Feature(
            "flc",
            (False,),
            (),
            f"Involved free light chain {format_number(involved)} mg/L < 100 mg/L ⇒ the free "
            "light chain criterion is not met",
        )
    if involved is None or uninvolved is None:
        needs = tuple(
            name
            for name, value in (
                ("involved_flc_mg_l", involved),
                ("uninvolved_flc_mg_l", uninvolved),
            )
            if value is None
        )
        return _Feature("flc", (False, True), needs)
    ratio = exact(involved) / exact(uninvolved)
    shown = (
        f"Free light chain ratio {format_number(involved)}/{format_number(uninvolved)} = "
        f"{format_number(ratio, places=2)}"
    )
    if exact(involved) >= FLC_RATIO_FROM * exact(uninvolved):
        return _Feature(
            "flc",
            (True,),
            (),
            f"{shown} ≥ 100 with involved free light chain {format_number(involved)} mg/L ≥ "
            "100 mg/L ⇒ myeloma-defining event (D1 Li)",
        )
    return _Feature(
        "flc", (False,), (), f"{shown} < 100 ⇒ the free light chain criterion is not met"
    )


def _features(inp: DiagnosisInput) -> list[_Feature]:
    features: list[_Feature] = []
    bmpc = inp.clonal_bone_marrow_plasma_cells_percent
    if bmpc is None:
        features.append(_Feature("bmpc", _BMPC_BANDS, ("clonal_bone_marrow_plasma_cells_percent",)))
    else:
        value, shown = exact(bmpc), f"Clonal bone-marrow plasma cells {format_number(bmpc)} %"
        if value >= BMPC_MDE_FROM:
            features.append(
                _Feature(
                    "bmpc",
                    (BMPC_FROM_60,),
                    (),
                    f"{shown} ≥ 60 % ⇒ myeloma-defining event (D1 S), and ≥ 10 % (D2)",
                )
            )
        elif value >= BMPC_MM_FROM:
            features.append(_Feature("bmpc", (BMPC_10_TO_60,), (), f"{shown}: ≥ 10 % and < 60 %"))
        else:
            features.append(_Feature("bmpc", (BMPC_BELOW_10,), (), f"{shown} < 10 %"))
    features.append(
        _Feature(
            "plasmacytoma",
            _bool_domain(inp.biopsy_proven_plasmacytoma),
            ("biopsy_proven_plasmacytoma",),
        )
    )
    m_protein = inp.serum_m_protein
    if m_protein is None:
        features.append(_Feature("serum_m_30", (False, True), ("serum_m_protein",)))
    else:
        at_least = m_protein.exact_in("g/L") >= SERUM_M_SMM_FROM_G_L
        features.append(
            _Feature(
                "serum_m_30",
                (at_least,),
                (),
                f"Serum M-protein {m_protein.describe('g/L')} {'≥' if at_least else '<'} 30 g/L",
            )
        )
    urine = inp.urine_m_protein_mg_24h
    if urine is None:
        features.append(_Feature("urine_500", (False, True), ("urine_m_protein_mg_24h",)))
    else:
        at_least = exact(urine) >= URINE_M_SMM_FROM_MG_24H
        features.append(
            _Feature(
                "urine_500",
                (at_least,),
                (),
                f"Urinary M-protein {format_number(urine)} mg/24 h "
                f"{'≥' if at_least else '<'} 500 mg/24 h",
            )
        )
    features += [_hypercalcaemia(inp), _renal(inp), _anaemia(inp)]
    bone = Finding(inp.bone_lesions)
    features.append(
        _Feature(
            "B",
            _bool_domain(bone),
            ("bone_lesions",),
            None
            if bone == Finding.UNKNOWN
            else (
                "Osteolytic bone lesion(s) on radiography, CT or PET-CT ⇒ bone disease (D1 B, if "
                "attributable)"
                if bone == Finding.PRESENT
                else "No osteolytic bone lesion"
            ),
        )
    )
    features.append(
        _Feature("attributable", _bool_domain(inp.crab_attributable), ("crab_attributable",))
    )
    features.append(_flc(inp))
    lesions = inp.mri_focal_lesions
    if lesions is None:
        features.append(_Feature("mri", (False, True), ("mri_focal_lesions",)))
    else:
        above = lesions > MRI_LESIONS_ABOVE
        features.append(
            _Feature(
                "mri",
                (above,),
                (),
                f"{lesions} MRI focal lesion{'' if lesions == 1 else 's'} "
                + ("> 1 ⇒ myeloma-defining event (D1 M)" if above else "(criterion is > 1)"),
            )
        )
    amyloidosis = Finding(inp.amyloidosis)
    features.append(
        _Feature(
            "amyloidosis",
            _bool_domain(amyloidosis),
            ("amyloidosis",),
            {
                Finding.PRESENT: "Amyloidosis present: excludes smouldering myeloma and MGUS",
                Finding.ABSENT: "No amyloidosis",
                Finding.UNKNOWN: None,
            }[amyloidosis],
        )
    )
    return features


def _crab_counts(case: Mapping[str, Hashable]) -> bool:
    return bool(case["attributable"]) and any(bool(case[key]) for key in ("C", "R", "A", "B"))


def _mde(case: Mapping[str, Hashable]) -> bool:
    return (
        _crab_counts(case) or case["bmpc"] == BMPC_FROM_60 or bool(case["flc"]) or bool(case["mri"])
    )


def _classify_case(case: Mapping[str, Hashable]) -> Classification | None:
    """D2 before D3 before D4 (D5)."""
    mde = _mde(case)
    if (case["bmpc"] != BMPC_BELOW_10 or case["plasmacytoma"]) and mde:
        return Classification.MULTIPLE_MYELOMA
    if (
        not mde
        and not case["amyloidosis"]
        and (case["serum_m_30"] or case["urine_500"] or case["bmpc"] == BMPC_10_TO_60)
    ):
        return Classification.SMOULDERING_MYELOMA
    if (
        not case["serum_m_30"]
        and case["bmpc"] == BMPC_BELOW_10
        and not _crab_counts(case)
        and not case["amyloidosis"]
    ):
        return Classification.MGUS
    return None


def _explore(
    features: Sequence[_Feature], rule: Callable[[Mapping[str, Hashable]], R]
) -> tuple[list[R], list[str]]:
    """Outcomes over every completion, and the keys of the features that change the outcome."""
    keys = [feature.key for feature in features]
    table = []
    for combo in itertools.product(*(feature.domain for feature in features)):
        table.append((combo, rule(dict(zip(keys, combo, strict=True)))))
    influential = []
    for index, feature in enumerate(features):
        if len(feature.domain) < 2:
            continue
        first_seen: dict[tuple[Hashable, ...], R] = {}
        for combo, outcome in table:
            rest = combo[:index] + combo[index + 1 :]
            if first_seen.setdefault(rest, outcome) != outcome:
                influential.append(feature.key)
                break
    return [outcome for _, outcome in table], influential


_FIELD_ORDER = tuple(DiagnosisInput.__dataclass_fields__)
_CRAB_CODES = (
    ("C", MDE_HYPERCALCAEMIA),
    ("R", MDE_RENAL),
    ("A", MDE_ANAEMIA),
    ("B", MDE_BONE),
)


def classify(inp: DiagnosisInput) -> DiagnosisResult:
    """MGUS / smouldering MM / MM (IMWG 2014, Rajkumar, Lancet Oncol 2014;15:e538) — §2 D1–D5.

    D2 MM: clonal BMPC ≥ 10 % or biopsy-proven plasmacytoma, and ≥ 1 myeloma-defining event
    (D1: CRAB attributable to the clone; BMPC ≥ 60 %; sFLC ratio ≥ 100 with involved FLC
    ≥ 100 mg/L; > 1 MRI focal lesion). D3 SMM: serum M-protein ≥ 30 g/L or urinary ≥ 500 mg/24 h
    and/or BMPC 10–60 %, no MDE, no amyloidosis. D4 non-IgM MGUS: serum M-protein < 30 g/L, BMPC
    < 10 %, no CRAB or amyloidosis attributable to the clone. D5: D2 before D3 before D4.
    """
    features = _features(inp)
    by_key = {feature.key: feature for feature in features}
    outcomes, influential = _explore(features, _classify_case)
    possible = tuple(c for c in CLASSIFICATION_ORDER if c in outcomes)
    classification = outcomes[0] if len(set(outcomes)) == 1 else None
    needed = {name for key in influential for name in by_key[key].needs}
    missing = tuple(name for name in _FIELD_ORDER if name in needed)

    def certain(key: str, value: Hashable = True) -> bool:
        return by_key[key].domain == (value,)

    events = [code for key, code in _CRAB_CODES if certain(key) and certain("attributable")]
    if certain("bmpc", BMPC_FROM_60):
        events.append(MDE_BMPC_60)
    if certain("flc"):
        events.append(MDE_FLC_RATIO_100)
    if certain("mri"):
        events.append(MDE_MRI)

    reasons = [feature.reason for feature in features if feature.reason is not None]
    crab_present = [key for key, _ in _CRAB_CODES if certain(key)]
    attestation = Finding(inp.crab_attributable)
    if crab_present and attestation == Finding.ABSENT:
        reasons.append(
            "CRAB feature(s) present but attested as not due to the plasma-cell disorder: they "
            "are not myeloma-defining events"
        )
    elif crab_present and attestation == Finding.UNKNOWN:
        reasons.append(
            "CRAB feature(s) present, but whether they are due to the plasma-cell disorder is "
            "not recorded: they count only if attributable (clinician attestation needed)"
        )
    elif crab_present:
        reasons.append("CRAB feature(s) attested as due to the plasma-cell disorder")
    if inp.calcium is not None:
        reasons.append(
            "Whether albumin-corrected calcium must be used is not verified in the sources: "
            "the calcium was used as entered"
        )
    reasons.append(_conclusion(classification, possible, missing, events, by_key))
    return DiagnosisResult(
        classification=classification,
        possible_classifications=possible,
        myeloma_defining_events_met=tuple(events),
        missing=missing,
        reasons=tuple(reasons),
        source=SOURCE,
    )


def _conclusion(
    classification: Classification | None,
    possible: tuple[Classification, ...],
    missing: tuple[str, ...],
    events: list[str],
    by_key: Mapping[str, _Feature],
) -> str:
    if classification is Classification.MULTIPLE_MYELOMA:
        basis = (
            "clonal bone-marrow plasma cells ≥ 10 %"
            if by_key["bmpc"].domain in ((BMPC_10_TO_60,), (BMPC_FROM_60,))
            else "a biopsy-proven plasmacytoma"
        )
        listed = f" ({', '.join(MDE_NAMES[e] for e in events)})" if events else ""
        return (
            f"{basis[0].upper() + basis[1:]} with at least one myeloma-defining event{listed} ⇒ "
            "multiple myeloma (D2; takes precedence over smouldering myeloma, D5)"
        )
    if classification is Classification.SMOULDERING_MYELOMA:
        return (
            "No myeloma-defining event and no amyloidosis, with serum M-protein (IgG/IgA) "
            "≥ 30 g/L, urinary M-protein ≥ 500 mg/24 h and/or clonal plasma cells 10–60 % ⇒ "
            "smouldering myeloma (D3)"
        )
    if classification is Classification.MGUS:
        return (
            "Serum M-protein < 30 g/L, clonal plasma cells < 10 % and no CRAB or amyloidosis "
            "attributable to the clone ⇒ MGUS (D4; the non-IgM definition — IgM and light-chain "
            "MGUS are defined differently)"
        )
    if possible:
        names = " or ".join(CLASSIFICATION_NAMES[c] for c in possible)
        fields = "; ".join(FIELD_NAMES[name] for name in missing)
        return (
            f"Not decided: {names} still possible with the values given — depends on {fields}; "
            "unknown findings are not read as normal"
            if missing
            else f"Not decided: {names} still possible with the values given"
        )
    return (
        "The values given meet none of the IMWG 2014 definitions of multiple myeloma, "
        "smouldering myeloma or non-IgM MGUS (for example amyloidosis, or a myeloma-defining "
        "event with < 10 % clonal plasma cells and no plasmacytoma): clinical review needed"
    )
