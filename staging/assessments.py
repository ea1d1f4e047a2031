"""From the API-shaped dict that both the forms and the JSON API produce to a domain result.

One path from user input to ``myeloma_core``: the form's cleaned data and the API body are
turned into the same plain dict; ``*_assess(data)`` builds the domain input and computes the
result. Domain ``InvalidInput`` errors name the API field path (forms map it to their field).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from myeloma_core.diagnosis import DiagnosisInput, DiagnosisResult, classify
from myeloma_core.errors import InvalidInput
from myeloma_core.frailty import FrailtyResult, imwg_frailty, simplified_frailty
from myeloma_core.smouldering import SmoulderingAssessment, risk_2_20_20
from myeloma_core.staging import (
    Cytogenetics,
    Del1p32,
    Finding,
    LdhStatus,
    StagingAssessment,
    StagingInput,
    assess,
    ldh_status_checked,
)
from myeloma_core.units import Analyte, LabValue, lab_value, percentage

CYTOGENETIC_FINDINGS = ("del_17p", "tp53_mutation", "t_4_14", "t_14_16", "t_14_20", "gain_1q")


def lab_or_none(data: Mapping[str, Any], key: str, analyte: Analyte) -> LabValue | None:
    raw = data.get(key)
    if raw is None or raw.get("value") is None:
        return None
    return lab_value(analyte, float(raw["value"]), str(raw["unit"]), field=key)


def staging_input_build(data: Mapping[str, Any]) -> StagingInput:
    """``data`` has the shape of ``POST /api/v1/staging/assess``; raises ``InvalidInput``."""
    cyto = data.get("cytogenetics") or {}
    fraction = cyto.get("del_17p_clonal_fraction_percent")
    cytogenetics = Cytogenetics(
        **{name: _finding(cyto, name) for name in CYTOGENETIC_FINDINGS},
        del_17p_clonal_fraction_percent=(
            None
            if fraction is None
            else percentage(float(fraction), field="cytogenetics.del_17p_clonal_fraction_percent")
        ),
        del_1p32=Del1p32(cyto.get("del_1p32") or Del1p32.UNKNOWN),
    )
    ldh = data.get("ldh")
    if ldh is not None and ldh.get("value") is not None:
        if ldh.get("upper_limit_normal") is None:
            raise InvalidInput(
                "ldh.upper_limit_normal",
                "LDH needs the laboratory's upper limit of normal (U/L) to be judged.",
            )
        ldh_status = ldh_status_checked(
            stated=LdhStatus(data.get("ldh_status") or LdhStatus.UNKNOWN),
            value=float(ldh["value"]),
            upper_limit_normal=float(ldh["upper_limit_normal"]),
        )
    else:
        ldh_status = LdhStatus(data.get("ldh_status") or LdhStatus.UNKNOWN)
    return StagingInput(
        beta2_microglobulin=lab_or_none(data, "beta2_microglobulin", Analyte.BETA2_MICROGLOBULIN),
        albumin=lab_or_none(data, "albumin", Analyte.ALBUMIN),
        creatinine=lab_or_none(data, "creatinine", Analyte.CREATININE),
        ldh=ldh_status,
        cytogenetics=cytogenetics,
    )


def _finding(data: Mapping[str, Any], key: str) -> Finding:
    return Finding(data.get(key) or Finding.UNKNOWN)


def _number(data: Mapping[str, Any], key: str) -> float | None:
    return None if data.get(key) is None else float(data[key])


def diagnosis_input_build(data: Mapping[str, Any]) -> DiagnosisInput:
    """``data`` has the shape of ``POST /api/v1/staging/diagnosis``; raises ``InvalidInput``."""
    bmpc = data.get("clonal_bone_marrow_plasma_cells_percent")
    return DiagnosisInput(
        clonal_bone_marrow_plasma_cells_percent=(
            None
            if bmpc is None
            else percentage(float(bmpc), field="clonal_bone_marrow_plasma_cells_percent")
        ),
        biopsy_proven_plasmacytoma=_finding(data, "biopsy_proven_plasmacytoma"),
        serum_m_protein=lab_or_none(data, "serum_m_protein", Analyte.M_PROTEIN),
        urine_m_protein_mg_24h=_number(data, "urine_m_protein_mg_24h"),
        calcium=lab_or_none(data, "calcium", Analyte.CALCIUM),
        calcium_upper_limit_normal=lab_or_none(data, "calcium_upper_limit_normal", Analyte.CALCIUM),
        creatinine=lab_or_none(data, "creatinine", Analyte.CREATININE),
        creatinine_clearance_ml_min=_number(data, "creatinine_clearance_ml_min"),
        haemoglobin=lab_or_none(data, "haemoglobin", Analyte.HAEMOGLOBIN),
        haemoglobin_lower_limit_normal=lab_or_none(
            data, "haemoglobin_lower_limit_normal", Analyte.HAEMOGLOBIN
        ),
        bone_lesions=_finding(data, "bone_lesions"),
        involved_flc_mg_l=_number(data, "involved_flc_mg_l"),
        uninvolved_flc_mg_l=_number(data, "uninvolved_flc_mg_l"),
        mri_focal_lesions=(
            None if data.get("mri_focal_lesions") is None else int(data["mri_focal_lesions"])
        ),
        amyloidosis=_finding(data, "amyloidosis"),
        crab_attributable=_finding(data, "crab_attributable"),
    )


def smouldering_input_build(data: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``risk_2_20_20`` from the API-shaped dict."""
    bmpc = data.get("bone_marrow_plasma_cells_percent")
    return {
        "m_protein": lab_or_none(data, "m_protein", Analyte.M_PROTEIN),
        "flc_ratio": _number(data, "flc_ratio"),
        "bone_marrow_plasma_cells_percent": (
            None
            if bmpc is None
            else percentage(float(bmpc), field="bone_marrow_plasma_cells_percent")
        ),
    }


FRAILTY_FIELDS = (
    "age_years",
    "charlson_comorbidity_index",
    "katz_adl",
    "lawton_iadl",
    "ecog_performance_status",
)


def frailty_input_build(data: Mapping[str, Any]) -> dict[str, int | None]:
    """The frailty items (whole numbers, or None when not assessed)."""
    return {name: None if data.get(name) is None else int(data[name]) for name in FRAILTY_FIELDS}


@dataclass(frozen=True, slots=True, kw_only=True)
class FrailtyAssessment:
    imwg: FrailtyResult
    simplified: FrailtyResult


def staging_assess(data: Mapping[str, Any]) -> StagingAssessment:
    return assess(staging_input_build(data))


def smouldering_assess(data: Mapping[str, Any]) -> SmoulderingAssessment:
    return risk_2_20_20(**smouldering_input_build(data))


def diagnosis_assess(data: Mapping[str, Any]) -> DiagnosisResult:
    return classify(diagnosis_input_build(data))


def frailty_assess(data: Mapping[str, Any]) -> FrailtyAssessment:
    """Both frailty scores from the same items (each uses the items it needs)."""
    items = frailty_input_build(data)
    return FrailtyAssessment(
        imwg=imwg_frailty(
            age_years=items["age_years"],
            charlson_comorbidity_index=items["charlson_comorbidity_index"],
            katz_adl=items["katz_adl"],
            lawton_iadl=items["lawton_iadl"],
        ),
        simplified=simplified_frailty(
            age_years=items["age_years"],
            charlson_comorbidity_index=items["charlson_comorbidity_index"],
            ecog_performance_status=items["ecog_performance_status"],
        ),
    )
