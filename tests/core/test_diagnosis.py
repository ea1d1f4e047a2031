"""IMWG 2014 diagnosis — domain-reference §2 (D1–D5), §18.2 cases 14–15, §18.1 case 5 side check.

Expected values are taken from the reference text, not from the code.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from myeloma_core.diagnosis import Classification, DiagnosisInput, classify
from myeloma_core.errors import InvalidInput
from myeloma_core.units import Analyte, LabValue, lab_value
from myeloma_core.vocabulary import Finding

P, A, U = Finding.PRESENT, Finding.ABSENT, Finding.UNKNOWN
MM = Classification.MULTIPLE_MYELOMA
SMM = Classification.SMOULDERING_MYELOMA
MGUS = Classification.MGUS


def lab(analyte: Analyte, value: float, unit: str) -> LabValue:
    return lab_value(analyte, value, unit)


# Everything known and unremarkable: no CRAB, no SLiM, no amyloidosis, BMPC 30 %.
QUIET = DiagnosisInput(
    clonal_bone_marrow_plasma_cells_percent=30,
    biopsy_proven_plasmacytoma=A,
    serum_m_protein=lab(Analyte.M_PROTEIN, 15, "g/L"),
    urine_m_protein_mg_24h=100,
    calcium=lab(Analyte.CALCIUM, 2.4, "mmol/L"),
    calcium_upper_limit_normal=lab(Analyte.CALCIUM, 2.6, "mmol/L"),
    creatinine=lab(Analyte.CREATININE, 80, "umol/L"),
    creatinine_clearance_ml_min=90,
    haemoglobin=lab(Analyte.HAEMOGLOBIN, 135, "g/L"),
    haemoglobin_lower_limit_normal=lab(Analyte.HAEMOGLOBIN, 120, "g/L"),
    bone_lesions=A,
    involved_flc_mg_l=50,
    uninvolved_flc_mg_l=10,
    mri_focal_lesions=0,
    amyloidosis=A,
    crab_attributable=P,
)


def quiet(**changes: Any) -> DiagnosisInput:
    return replace(QUIET, **changes)


# --- §18.2 worked examples ---------------------------------------------------------------------


CASE_14 = DiagnosisInput(
    serum_m_protein=lab(Analyte.M_PROTEIN, 2.6, "g/dL"),  # IgG
    clonal_bone_marrow_plasma_cells_percent=25,
    involved_flc_mg_l=180,  # κ
    uninvolved_flc_mg_l=8,  # λ
    haemoglobin=lab(Analyte.HAEMOGLOBIN, 13.1, "g/dL"),
    calcium=lab(Analyte.CALCIUM, 2.35, "mmol/L"),
    creatinine=lab(Analyte.CREATININE, 0.9, "mg/dL"),
    mri_focal_lesions=0,  # whole-body MRI: no focal lesion
    bone_lesions=A,  # the case states "no CRAB"
    amyloidosis=A,  # D3 requires no amyloidosis; the case presumes none
)


def test_case_14_smouldering_myeloma() -> None:
    """Ratio 22.5 < 100; BMPC 25 % < 60 %; no MRI lesion; no CRAB ⇒ no MDE; BMPC 10–60 % ⇒ SMM."""
    result = classify(CASE_14)
    assert result.classification is SMM
    assert result.possible_classifications == (SMM,)
    assert result.myeloma_defining_events_met == ()
    assert result.missing == ()
    assert "Rajkumar" in result.source
    assert any("180/8 = 22.5" in reason for reason in result.reasons)


def test_case_14_without_a_recorded_amyloidosis_status_is_only_possibly_smm() -> None:
    """G1: amyloidosis not recorded is unknown; D3 needs its absence."""
    result = classify(replace(CASE_14, amyloidosis=U))
    assert (result.classification, result.possible_classifications, result.missing) == (
        None,
        (SMM,),
        ("amyloidosis",),
    )


def test_case_15_slim_bmpc_is_multiple_myeloma() -> None:
    """70 F; clonal BMPC 65 %; M-protein 1.8 g/dL; no CRAB, no lesions ⇒ MM (D2, D5)."""
    result = classify(
        DiagnosisInput(
            clonal_bone_marrow_plasma_cells_percent=65,
            serum_m_protein=lab(Analyte.M_PROTEIN, 1.8, "g/dL"),
            bone_lesions=A,
            mri_focal_lesions=0,
        )
    )
    assert result.classification is MM
    assert result.possible_classifications == (MM,)
    assert result.myeloma_defining_events_met == ("bmpc_60",)
    assert result.missing == ()


@pytest.mark.parametrize(
    "changes",
    [
        {"creatinine": lab(Analyte.CREATININE, 2.4, "mg/dL")},
        {"creatinine": lab(Analyte.CREATININE, 212, "umol/L")},
        {"creatinine_clearance_ml_min": 29.3},
    ],
)
def test_case_5_side_check_renal_mde_if_attributable(changes: dict[str, Any]) -> None:
    """Case 5: creatinine 2.4 > 2 mg/dL and CG CrCl 29.3 < 40 mL/min ⇒ renal MDE."""
    result = classify(quiet(**changes))
    assert result.classification is MM
    assert result.myeloma_defining_events_met == ("renal_insufficiency",)


# --- D1 boundaries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bmpc", "expected"),
    [(9.9, MGUS), (10, SMM), (59.9, SMM), (60, MM), (65, MM)],
)
def test_bone_marrow_plasma_cell_boundaries(bmpc: float, expected: Classification) -> None:
    """D4 < 10 %; D3 10–60 %; D1 S ≥ 60 % is an MDE ⇒ MM, not SMM (D5)."""
    result = classify(quiet(clonal_bone_marrow_plasma_cells_percent=bmpc))
    assert result.classification is expected
    assert ("bmpc_60" in result.myeloma_defining_events_met) is (bmpc >= 60)


def ca(value: float, unit: str = "mmol/L") -> LabValue:
    return lab(Analyte.CALCIUM, value, unit)


@pytest.mark.parametrize(
    ("calcium", "uln", "met"),
    [
        (ca(2.75), ca(2.6), False),
        (ca(2.76), ca(2.6), True),
        (ca(11, "mg/dL"), ca(10.4, "mg/dL"), False),
        # 11.01 mg/dL = 2.747 mmol/L: > 11 mg/dL in the unit entered (U4).
        (ca(11.01, "mg/dL"), ca(10.4, "mg/dL"), True),
        (ca(2.65), ca(2.4), False),
        (ca(2.66), ca(2.4), True),
        (ca(10.6, "mg/dL"), ca(9.6, "mg/dL"), False),
        (ca(10.7, "mg/dL"), ca(9.6, "mg/dL"), True),
        # ULN 2.4 mmol/L = 9.619 mg/dL; + 1 mg/dL = 10.619 mg/dL.
        (ca(10.61, "mg/dL"), ca(2.4), False),
        (ca(10.62, "mg/dL"), ca(2.4), True),
    ],
)
def test_hypercalcaemia_boundaries_in_the_unit_entered(
    calcium: LabValue, uln: LabValue, met: bool
) -> None:
    """D1 C: > ULN + 0.25 mmol/L (+ 1 mg/dL) or > 2.75 mmol/L (> 11 mg/dL)."""
    result = classify(quiet(calcium=calcium, calcium_upper_limit_normal=uln))
    assert ("hypercalcaemia" in result.myeloma_defining_events_met) is met
    assert result.classification is (MM if met else SMM)


def test_calcium_without_uln_needs_the_uln_only_when_it_could_matter() -> None:
    no_uln = quiet(calcium_upper_limit_normal=None)
    assert classify(no_uln).classification is SMM  # 2.4 mmol/L is not > 2.2 + 0.25
    result = classify(replace(no_uln, calcium=lab(Analyte.CALCIUM, 2.6, "mmol/L")))
    assert (result.classification, result.missing) == (None, ("calcium_upper_limit_normal",))
    assert result.possible_classifications == (MM, SMM)


@pytest.mark.parametrize(
    ("haemoglobin", "lln", "met"),
    [
        (lab(Analyte.HAEMOGLOBIN, 100, "g/L"), 115, False),
        (lab(Analyte.HAEMOGLOBIN, 99.9, "g/L"), 115, True),
        (lab(Analyte.HAEMOGLOBIN, 10, "g/dL"), 115, False),
        (lab(Analyte.HAEMOGLOBIN, 9.99, "g/dL"), 115, True),
        (lab(Analyte.HAEMOGLOBIN, 6.206, "mmol/L"), 115, False),  # = 100 g/L
        (lab(Analyte.HAEMOGLOBIN, 6.2, "mmol/L"), 115, True),  # = 99.9 g/L
        (lab(Analyte.HAEMOGLOBIN, 110, "g/L"), 130, False),  # exactly 20 g/L below
        (lab(Analyte.HAEMOGLOBIN, 109.9, "g/L"), 130, True),  # 20.1 g/L below
        (lab(Analyte.HAEMOGLOBIN, 11, "g/dL"), 130, False),
        (lab(Analyte.HAEMOGLOBIN, 10.99, "g/dL"), 130, True),
    ],
)
def test_anaemia_boundaries_compared_in_g_l(haemoglobin: LabValue, lln: float, met: bool) -> None:
    """D1 A: Hb < 100 g/L or > 20 g/L below the LLN."""
    result = classify(
        quiet(
            haemoglobin=haemoglobin,
            haemoglobin_lower_limit_normal=lab(Analyte.HAEMOGLOBIN, lln, "g/L"),
        )
    )
    assert ("anaemia" in result.myeloma_defining_events_met) is met


def test_haemoglobin_without_lln() -> None:
    """Case 14's Hb 131 g/L is not anaemia for any accepted LLN; 129.9 g/L needs the LLN."""
    no_lln = quiet(haemoglobin_lower_limit_normal=None)
    assert classify(replace(no_lln, haemoglobin=lab(Analyte.HAEMOGLOBIN, 131, "g/L"))).missing == ()
    result = classify(replace(no_lln, haemoglobin=lab(Analyte.HAEMOGLOBIN, 129.9, "g/L")))
    assert result.missing == ("haemoglobin_lower_limit_normal",)


@pytest.mark.parametrize(
    ("changes", "met"),
    [
        ({"creatinine": lab(Analyte.CREATININE, 177, "umol/L")}, False),
        ({"creatinine": lab(Analyte.CREATININE, 177.1, "umol/L")}, True),
        ({"creatinine": lab(Analyte.CREATININE, 2, "mg/dL")}, False),
        ({"creatinine": lab(Analyte.CREATININE, 2.01, "mg/dL")}, True),
        ({"creatinine_clearance_ml_min": 40}, False),
        ({"creatinine_clearance_ml_min": 39.9}, True),
    ],
)
def test_renal_boundaries(changes: dict[str, Any], met: bool) -> None:
    """D1 R: CrCl < 40 mL/min or creatinine > 177 µmol/L (> 2 mg/dL), in the unit entered."""
    result = classify(quiet(**changes))
    assert ("renal_insufficiency" in result.myeloma_defining_events_met) is met


def test_renal_unknown_only_when_neither_creatinine_nor_clearance_is_given() -> None:
    result = classify(quiet(creatinine=None, creatinine_clearance_ml_min=None))
    assert result.classification is None
    assert result.missing == ("creatinine", "creatinine_clearance_ml_min")


@pytest.mark.parametrize(
    ("involved", "uninvolved", "met"),
    [
        (100, 1, True),  # ratio exactly 100, involved exactly 100 mg/L
        (1000, 10, True),
        (1000, 10.01, False),  # ratio 99.9
        (99.9, 0.5, False),  # ratio 199.8 but involved < 100 mg/L
    ],
)
def test_free_light_chain_boundaries(involved: float, uninvolved: float, met: bool) -> None:
    """D1 Li: ratio ≥ 100 and involved FLC ≥ 100 mg/L."""
    result = classify(quiet(involved_flc_mg_l=involved, uninvolved_flc_mg_l=uninvolved))
    assert ("flc_ratio_100" in result.myeloma_defining_events_met) is met
    assert result.classification is (MM if met else SMM)


@pytest.mark.parametrize(("lesions", "met"), [(0, False), (1, False), (2, True)])
def test_mri_focal_lesion_boundary(lesions: int, met: bool) -> None:
    """D1 M: > 1 focal lesion."""
    result = classify(quiet(mri_focal_lesions=lesions))
    assert ("mri_focal_lesions" in result.myeloma_defining_events_met) is met


def test_bone_lesions_are_a_crab_feature() -> None:
    result = classify(quiet(bone_lesions=P))
    assert (result.classification, result.myeloma_defining_events_met) == (MM, ("bone_lesions",))


# --- attribution, amyloidosis, precedence ------------------------------------------------------


@pytest.mark.parametrize(
    ("attributable", "classification", "possible", "events"),
    [
        (P, MM, (MM,), ("anaemia",)),
        (A, SMM, (SMM,), ()),
        (U, None, (MM, SMM), ()),
    ],
)
def test_crab_counts_only_if_attributable(
    attributable: Finding,
    classification: Classification | None,
    possible: tuple[Classification, ...],
    events: tuple[str, ...],
) -> None:
    result = classify(
        quiet(haemoglobin=lab(Analyte.HAEMOGLOBIN, 80, "g/L"), crab_attributable=attributable)
    )
    assert result.classification is classification
    assert result.possible_classifications == possible
    assert result.myeloma_defining_events_met == events
    if attributable is U:
        assert result.missing == ("crab_attributable",)


def test_slim_events_need_no_attestation() -> None:
    result = classify(quiet(clonal_bone_marrow_plasma_cells_percent=70, crab_attributable=U))
    assert (result.classification, result.missing) == (MM, ())


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"serum_m_protein": lab(Analyte.M_PROTEIN, 30, "g/L")}, SMM),
        ({"serum_m_protein": lab(Analyte.M_PROTEIN, 3, "g/dL")}, SMM),
        ({"serum_m_protein": lab(Analyte.M_PROTEIN, 29.9, "g/L")}, MGUS),
        ({"urine_m_protein_mg_24h": 500}, SMM),
        ({"urine_m_protein_mg_24h": 499}, MGUS),
    ],
)
def test_smm_m_protein_thresholds_with_low_plasma_cells(
    changes: dict[str, Any], expected: Classification
) -> None:
    """D3: serum ≥ 30 g/L or urinary ≥ 500 mg/24 h; D4: serum < 30 g/L and BMPC < 10 %."""
    result = classify(quiet(clonal_bone_marrow_plasma_cells_percent=5, **changes))
    assert result.classification is expected


def test_amyloidosis_excludes_smm_and_mgus() -> None:
    result = classify(quiet(amyloidosis=P))
    assert (result.classification, result.possible_classifications) == (None, ())
    mm = classify(quiet(amyloidosis=P, mri_focal_lesions=3))
    assert mm.classification is MM


def test_plasmacytoma_with_mde_is_multiple_myeloma() -> None:
    result = classify(
        quiet(
            clonal_bone_marrow_plasma_cells_percent=5,
            biopsy_proven_plasmacytoma=P,
            bone_lesions=P,
        )
    )
    assert result.classification is MM


def test_nothing_known_lists_every_deciding_input() -> None:
    result = classify(DiagnosisInput())
    assert result.classification is None
    assert result.possible_classifications == (MM, SMM, MGUS)
    assert "clonal_bone_marrow_plasma_cells_percent" in result.missing
    assert "amyloidosis" in result.missing


def test_unknown_bmpc_keeps_every_possibility() -> None:
    result = classify(quiet(clonal_bone_marrow_plasma_cells_percent=None))
    assert result.possible_classifications == (MM, SMM, MGUS)
    assert result.missing == ("clonal_bone_marrow_plasma_cells_percent",)


# --- invalid input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"clonal_bone_marrow_plasma_cells_percent": 101},
            "clonal_bone_marrow_plasma_cells_percent",
        ),
        # an ionised-calcium ULN is not a total-calcium ULN
        (
            {"calcium_upper_limit_normal": lab(Analyte.CALCIUM, 1.3, "mmol/L")},
            "calcium_upper_limit_normal",
        ),
        (
            {"haemoglobin_lower_limit_normal": lab(Analyte.HAEMOGLOBIN, 60, "g/L")},
            "haemoglobin_lower_limit_normal",
        ),
        ({"creatinine_clearance_ml_min": -1}, "creatinine_clearance_ml_min"),
        ({"uninvolved_flc_mg_l": 0}, "uninvolved_flc_mg_l"),
        ({"involved_flc_mg_l": float("nan")}, "involved_flc_mg_l"),
        ({"urine_m_protein_mg_24h": -5}, "urine_m_protein_mg_24h"),
        ({"mri_focal_lesions": -1}, "mri_focal_lesions"),
        ({"mri_focal_lesions": True}, "mri_focal_lesions"),
        ({"calcium": lab(Analyte.CREATININE, 80, "umol/L")}, "calcium"),
        ({"amyloidosis": "maybe"}, "amyloidosis"),
    ],
)
def test_invalid_input_names_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        quiet(**changes)
    assert raised.value.field == field
    assert raised.value.message
