"""Response endpoints of the JSON API (docs/api.md "POST /api/v1/response/assess").

Pydantic checks shapes and literals; every clinical range (units, plausible values, the one
baseline, unique dates) is checked by ``myeloma_core.response_types`` and
``myeloma_core.response_series`` so each message comes from one place, and its field path is
returned with the list index as a number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast
from uuid import UUID

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from accounts.roles import CLINICIAN, user_has_any_role
from dosing.api import PLAN_NOT_FOUND, IsoDate, StrictNumber
from dosing.models import PlanStatus, TreatmentPlan
from dosing.selectors import plan_visible
from followup.assessments import response_assess, response_data
from followup.selectors import plan_isotype, plan_response
from followup.services import assessment_record
from myeloma_core.errors import InvalidInput

router = Router(tags=["response"])

Finding = Literal["present", "absent", "unknown"]
IfeResult = Literal["positive", "negative", "unknown"]


class QuantityIn(Schema):
    value: StrictNumber
    unit: str = Field(
        description="M-protein g/L or g/dL; urine mg/24h or g/24h; free light chains mg/L or mg/dL."
    )


class MrdIn(Schema):
    result: Literal["negative", "positive"]
    method: Literal["ngf", "ngs"]
    sensitivity: StrictNumber | None = Field(
        default=None, description="The sensitivity reached, as a fraction: 1e-5 = 1 in 10⁵ cells."
    )


class AssessmentIn(Schema):
    date: IsoDate
    baseline: bool = False
    serum_m_protein: QuantityIn | None = Field(
        default=None, description="0 = not detectable on electrophoresis."
    )
    urine_m_protein: QuantityIn | None = None
    involved_flc: QuantityIn | None = None
    uninvolved_flc: QuantityIn | None = None
    serum_ife: IfeResult | None = None
    urine_ife: IfeResult | None = None
    bone_marrow_plasma_cells_percent: StrictNumber | None = None
    bone_marrow_clonality: Literal["clonal", "polyclonal", "unknown"] | None = None
    plasmacytoma: Finding | None = None
    new_bone_lesions: Finding | None = None
    mrd: MrdIn | None = None
    pet_ct: Literal["negative", "positive", "not_done"] | None = None
    ife_shift_assay: Literal["shifted", "not_shifted"] | None = None


class IsotypeIn(Schema):
    heavy_chain: Literal["IgG", "IgA", "IgM", "IgD", "IgE", "none"]
    light_chain: Literal["kappa", "lambda"]


class ResponseAssessIn(Schema):
    isotype: IsotypeIn | None = None
    anti_cd38: Literal["daratumumab", "isatuximab"] | None = None
    treatment_start: IsoDate
    assessments: list[AssessmentIn] = Field(min_length=1, max_length=200)


class MeasurableOut(Schema):
    measurable: bool
    by: list[str]
    track: Literal["serum_urine", "flc", "bone_marrow", "none"]
    reasons: list[str]
    missing: list[str]
    source: str


class MrdOut(Schema):
    category: Literal[
        "sustained_mrd_negative",
        "imaging_plus_mrd_negative",
        "flow_mrd_negative",
        "sequencing_mrd_negative",
        "mrd_positive",
        "not_evaluable",
    ]
    method: str
    sensitivity: float | None
    reasons: list[str]
    source: str


class AssessmentOut(Schema):
    date: dt.date
    baseline: bool
    category: Literal["sCR", "CR", "VGPR", "PR", "MR", "SD", "PD", "NE"] | None
    confirmed: bool | None
    reasons: list[str]
    missing: list[str]
    mrd: MrdOut | None
    notes: list[str]
    progression_criteria: list[str]
    tracked_value: float | None
    sources: list[str]


class ProgressionOut(Schema):
    progressed: bool
    date: dt.date | None
    criteria: list[str]
    reasons: list[str]
    source: str


class MrdCrOut(Schema):
    month_9: bool | None
    month_12: bool | None
    month_9_method: Literal["ngf", "ngs"] | None
    month_12_method: Literal["ngf", "ngs"] | None
    window_days: int
    window_status: str
    reasons: list[str]
    source: str


class NadirOut(Schema):
    date: dt.date
    value: float
    unit: str


class TrackedOut(Schema):
    quantity: str | None
    unit: str | None
    nadir: NadirOut | None


class ResponseOut(Schema):
    measurable_disease: MeasurableOut
    assessments: list[AssessmentOut]
    best_confirmed_response: Literal["sCR", "CR", "VGPR", "PR", "MR", "SD"] | None
    best_confirmed_response_date: dt.date | None
    progression: ProgressionOut
    mrd_cr: MrdCrOut
    tracked: TrackedOut
    summary: str
    warnings: list[str]
    source: str


def domain_error(error: InvalidInput) -> ValidationError:
    """``assessments.2.serum_m_protein`` → loc ``["body", "assessments", 2, "serum_m_protein"]``."""
    loc: list[str | int] = ["body"]
    loc += [int(part) if part.isdigit() else part for part in error.field.split(".")]
    return ValidationError([{"loc": loc, "msg": error.message}])


@router.post(
    "/assess",
    response=ResponseOut,
    summary="IMWG 2016 response over a series of assessments, MRD and I2TEAMM MRD-CR",
    description=(
        "One line of therapy: the response category of each assessment with its reasons, "
        "confirmation by the next assessment, the best confirmed response, progression from the "
        "nadir, the IMWG MRD category and MRD-CR (10⁻⁵) at 9 and 12 months (domain-reference "
        "§21). An omitted value is not measured, never normal."
    ),
)
def assess(request: HttpRequest, payload: ResponseAssessIn) -> dict[str, Any]:
    try:
        result = response_assess(
            assessments=[a.model_dump(exclude_none=True) for a in payload.assessments],
            treatment_start=payload.treatment_start,
            isotype=payload.isotype.model_dump() if payload.isotype else None,
            anti_cd38=payload.anti_cd38,
        )
    except InvalidInput as error:
        raise domain_error(error) from None
    return response_data(result)


# --------------------------------------------------------------------------------------------------
# Assessments stored on a saved plan (the line of therapy)
# --------------------------------------------------------------------------------------------------

plans_router = Router(tags=["response"])

CLINICIANS_ONLY = "Only clinicians record disease assessments."
NO_BASELINE = "No baseline assessment on this plan yet: record the baseline first."


class PlanAssessmentIn(AssessmentIn):
    isotype: IsotypeIn | None = Field(
        default=None, description="The patient's isotype; only on the baseline assessment."
    )


class PlanAssessmentOut(Schema):
    id: str
    date: dt.date
    baseline: bool
    isotype: IsotypeIn | None
    findings: dict[str, Any]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # django_auth: never anonymous here


def _plan(request: HttpRequest, plan_id: UUID) -> TreatmentPlan:
    plan = plan_visible(user=_user(request), pk=plan_id, status=PlanStatus.SAVED)
    if plan is None:
        raise HttpError(404, PLAN_NOT_FOUND)
    return plan


@plans_router.post(
    "/plans/{plan_id}/assessments",
    response={201: PlanAssessmentOut},
    summary="Record a disease assessment on a saved plan",
    description=(
        "One assessment (the fields of response/assess); the baseline, once per plan, also "
        "carries the patient's isotype. Clinicians of the plan's team only; 404 otherwise."
    ),
)
def plan_assessment_create(
    request: HttpRequest, plan_id: UUID, payload: PlanAssessmentIn
) -> Status[dict[str, Any]]:
    plan = _plan(request, plan_id)
    if not user_has_any_role(_user(request), (CLINICIAN,)):
        raise HttpError(403, CLINICIANS_ONLY)
    try:
        row = assessment_record(
            plan=plan, user=_user(request), data=payload.model_dump(exclude_none=True)
        )
    except InvalidInput as error:
        raise domain_error(error) from None
    return Status(
        201,
        {
            "id": str(row.pk),
            "date": row.date,
            "baseline": row.baseline,
            "isotype": plan_isotype(rows=[row]),
            "findings": row.findings,
        },
    )


@plans_router.get(
    "/plans/{plan_id}/response",
    response=ResponseOut,
    summary="The response computed from a plan's stored assessments",
    description=(
        "As response/assess, with treatment_start = the plan's start date and anti_cd38 from the "
        "plan's regimen. 409 until the baseline is recorded; 404 for plans of other teams."
    ),
)
def plan_response_get(request: HttpRequest, plan_id: UUID) -> dict[str, Any]:
    result = plan_response(plan=_plan(request, plan_id))
    if result is None:
        raise HttpError(409, NO_BASELINE)
    return response_data(result)
