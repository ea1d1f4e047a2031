"""Staging endpoints of the JSON API (docs/api.md). Same assessments as the forms."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from staging.assessments import (
    diagnosis_assess,
    frailty_assess,
    smouldering_assess,
    staging_assess,
)

router = Router(tags=["staging"])

FindingIn = Literal["present", "absent", "unknown"]


class LabIn(Schema):
    value: float
    unit: str = Field(description="A unit accepted for this analyte, e.g. mg/L, g/dL, umol/L.")


class LdhIn(Schema):
    value: float
    unit: Literal["U/L"] = "U/L"
    upper_limit_normal: float | None = Field(
        default=None, description="The reporting laboratory's upper limit of normal (U/L)."
    )


class CytogeneticsIn(Schema):
    del_17p: FindingIn = "unknown"
    del_17p_clonal_fraction_percent: float | None = None
    tp53_mutation: FindingIn = "unknown"
    t_4_14: FindingIn = "unknown"
    t_14_16: FindingIn = "unknown"
    t_14_20: FindingIn = "unknown"
    gain_1q: FindingIn = "unknown"
    del_1p32: Literal["absent", "monoallelic", "biallelic", "unknown"] = "unknown"


class StagingAssessIn(Schema):
    age_years: int | None = Field(default=None, ge=18, le=120)
    beta2_microglobulin: LabIn | None = None
    albumin: LabIn | None = None
    creatinine: LabIn | None = None
    ldh_status: Literal["normal", "high", "unknown"] = "unknown"
    ldh: LdhIn | None = None
    cytogenetics: CytogeneticsIn = Field(default_factory=CytogeneticsIn)


class StageOut(Schema):
    stage: str | None
    possible_stages: list[str]
    missing: list[str]
    reasons: list[str]
    source: str


class R2IssOut(StageOut):
    score: float | None
    score_range: tuple[float, float]


class HighRiskOut(Schema):
    status: Literal["high_risk", "not_high_risk", "not_assessable"]
    criteria_met: list[str]
    missing: list[str]
    reasons: list[str]
    caveats: list[str]
    source: str


class StagingAssessOut(Schema):
    iss: StageOut
    r_iss: StageOut
    r2_iss: R2IssOut
    high_risk_ims_imwg_2025: HighRiskOut


@router.post(
    "/assess",
    response=StagingAssessOut,
    summary="ISS, R-ISS, R2-ISS and the IMS/IMWG 2025 high-risk definition",
)
def assess(request: HttpRequest, payload: StagingAssessIn) -> Any:
    return staging_assess(payload.model_dump(exclude_none=True))


class SmoulderingIn(Schema):
    m_protein: LabIn | None = None
    flc_ratio: float | None = Field(default=None, description="Involved/uninvolved sFLC ratio.")
    bone_marrow_plasma_cells_percent: float | None = None


class FollowUpOut(Schema):
    every_months_min: int | None
    every_months_max: int | None
    text: str


class SmoulderingOut(Schema):
    risk: Literal["low", "intermediate", "high"] | None
    possible_risks: list[str]
    factors_present: list[str]
    follow_up: FollowUpOut
    missing: list[str]
    reasons: list[str]
    two_year_progression_percent: int | None
    source: str


@router.post(
    "/smouldering-risk",
    response=SmoulderingOut,
    summary="IMWG 2/20/20 risk of smouldering myeloma and the follow-up interval",
)
def smouldering_risk(request: HttpRequest, payload: SmoulderingIn) -> Any:
    return smouldering_assess(payload.model_dump(exclude_none=True))


class DiagnosisIn(Schema):
    clonal_bone_marrow_plasma_cells_percent: float | None = None
    biopsy_proven_plasmacytoma: FindingIn = "unknown"
    serum_m_protein: LabIn | None = None
    urine_m_protein_mg_24h: float | None = None
    calcium: LabIn | None = None
    calcium_upper_limit_normal: LabIn | None = None
    creatinine: LabIn | None = None
    creatinine_clearance_ml_min: float | None = None
    haemoglobin: LabIn | None = None
    haemoglobin_lower_limit_normal: LabIn | None = None
    bone_lesions: FindingIn = "unknown"
    involved_flc_mg_l: float | None = None
    uninvolved_flc_mg_l: float | None = None
    mri_focal_lesions: int | None = Field(default=None, ge=0, le=500)
    amyloidosis: FindingIn = "unknown"
    crab_attributable: FindingIn = "unknown"


class DiagnosisOut(Schema):
    classification: Literal["multiple_myeloma", "smouldering_myeloma", "mgus"] | None
    possible_classifications: list[str]
    myeloma_defining_events_met: list[str]
    missing: list[str]
    reasons: list[str]
    source: str


@router.post(
    "/diagnosis",
    response=DiagnosisOut,
    summary="IMWG 2014 classification: MGUS, smouldering myeloma or multiple myeloma",
)
def diagnosis(request: HttpRequest, payload: DiagnosisIn) -> Any:
    return diagnosis_assess(payload.model_dump(exclude_none=True))


class FrailtyIn(Schema):
    age_years: int | None = None
    charlson_comorbidity_index: int | None = None
    katz_adl: int | None = None
    lawton_iadl: int | None = None
    ecog_performance_status: int | None = None


class FrailtyItemOut(Schema):
    name: str
    value: int | None
    points: int | None
    rule: str


class FrailtyScoreOut(Schema):
    system: str
    score: int | None
    score_range: tuple[int, int]
    category: str | None
    possible_categories: list[str]
    items: list[FrailtyItemOut]
    missing: list[str]
    reasons: list[str]
    cut_points_verified: bool
    verification_note: str
    source: str


class FrailtyOut(Schema):
    imwg: FrailtyScoreOut
    simplified: FrailtyScoreOut


@router.post(
    "/frailty",
    response=FrailtyOut,
    summary="IMWG frailty score (cut-points pending verification) and the simplified score",
)
def frailty(request: HttpRequest, payload: FrailtyIn) -> Any:
    return frailty_assess(payload.model_dump(exclude_none=True))
