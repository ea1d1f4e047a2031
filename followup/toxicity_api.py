"""Toxicity endpoints of the JSON API (docs/api.md "toxicity/grade",
"toxicity/crs|icans|kva", "plans/{id}/dose-check", "plans/{id}/infusions").

Pydantic checks shapes and literals; every clinical range (units, plausible counts, ICE items,
the treatment day) is checked by ``followup.toxicity`` / ``myeloma_core.toxicity_*``, so each
message comes from one place and names its field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast
from uuid import UUID

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from dosing.api import PLAN_NOT_FOUND, IsoDate, StrictNumber, StrictWhole
from dosing.models import PlanStatus, TreatmentPlan
from dosing.selectors import plan_visible
from followup.api import domain_error
from followup.toxicity import (
    crs_data,
    dose_check_data,
    grading,
    grading_data,
    icans_data,
    kva_data,
    plan_infusions,
)
from myeloma_core.errors import InvalidInput

router = Router(tags=["toxicity"])
plans_router = Router(tags=["toxicity"])

Verification = Literal["verified", "pending"]


class CountIn(Schema):
    value: StrictNumber
    unit: str = Field(
        description="Neutrophils and platelets: 10^9/L or /uL (= /mm³); haemoglobin: g/L, g/dL, "
        "mmol/L."
    )


class LowerLimitsIn(Schema):
    neutrophils: CountIn | None = None
    platelets: CountIn | None = None
    haemoglobin: CountIn | None = None


class GradeIn(Schema):
    ctcae_version: str | None = Field(
        default=None, description='"5.0" (default) or "6.0" (pending verification).'
    )
    neutrophils: CountIn | None = None
    platelets: CountIn | None = None
    haemoglobin: CountIn | None = None
    lower_limits: LowerLimitsIn | None = Field(
        default=None, description="The laboratory's lower limits of normal (grade 1 needs them)."
    )
    temperature_celsius: StrictNumber | None = None
    fever_sustained_over_one_hour: bool | None = Field(
        default=None, description="For 38.0–38.3 °C: sustained for more than one hour?"
    )


class TermGradeOut(Schema):
    term: str
    grade: int | None
    possible_grades: list[int]
    ctcae_version: str
    verification: Verification
    reasons: list[str]
    missing: list[str]


class GradeOut(Schema):
    ctcae_version: str
    verification: Verification
    grades: dict[str, TermGradeOut]
    missing: list[str]
    source: str
    warnings: list[str]


def _plan(request: HttpRequest, plan_id: UUID) -> TreatmentPlan:
    """A saved plan of the caller's team (plans_visible_to); anything else is 404."""
    plan = plan_visible(user=cast(User, request.user), pk=plan_id, status=PlanStatus.SAVED)
    if plan is None:
        raise HttpError(404, PLAN_NOT_FOUND)
    return plan


def _call(function: Any, data: Any) -> Any:
    try:
        return function(data)
    except InvalidInput as error:
        raise domain_error(error) from None


@router.post(
    "/grade",
    response=GradeOut,
    summary="CTCAE grades of neutrophils, platelets, haemoglobin and febrile neutropenia",
    description=(
        "CTCAE v5.0 by default (v6.0 offered, pending verification); every grade carries its "
        "version. Grade 1 needs the laboratory's lower limit of normal: without it a value above "
        "the grade 2 threshold is grade null with possible_grades [0, 1] (domain-reference §22)."
    ),
)
def toxicity_grade(request: HttpRequest, payload: GradeIn) -> dict[str, Any]:
    return _call(lambda data: grading_data(grading(data)), payload.model_dump(exclude_none=True))


class ScaleOut(Schema):
    grade: int | None
    possible_grades: list[int]
    reasons: list[str]
    missing: list[str]
    source: str


class CrsIn(Schema):
    temperature_celsius: StrictNumber | None = None
    fever_masked_by_treatment: bool = False
    hypotension: (
        Literal["none", "no_vasopressor", "one_vasopressor", "multiple_vasopressors"] | None
    ) = None
    vasopressors: list[str] | None = Field(
        default=None,
        max_length=10,
        description="Names of the vasopressors given; vasopressin does not count towards multiple.",
    )
    hypoxia: Literal["none", "low_flow", "high_flow", "positive_pressure"] | None = None


@router.post(
    "/crs",
    response=ScaleOut,
    summary="ASTCT 2019 cytokine release syndrome grade",
    description="Fever ≥ 38 °C required unless masked; the more severe of hypotension and hypoxia.",
)
def toxicity_crs(request: HttpRequest, payload: CrsIn) -> dict[str, Any]:
    return _call(crs_data, payload.model_dump(exclude_none=True))


class IceIn(Schema):
    orientation: StrictWhole
    naming: StrictWhole
    commands: StrictWhole
    writing: StrictWhole
    attention: StrictWhole


class IcansIn(Schema):
    ice: IceIn | None = None
    unable_to_perform_ice: bool = False
    consciousness: (
        Literal[
            "normal", "awakens_spontaneously", "awakens_to_voice", "awakens_to_touch", "unarousable"
        ]
        | None
    ) = None
    seizure: Literal["none", "rapidly_resolving", "prolonged"] | None = None
    motor_weakness: Literal["none", "focal"] | None = None
    cerebral_oedema: Literal["none", "focal", "diffuse"] | None = None


class IcansOut(ScaleOut):
    ice_score: int | None


@router.post(
    "/icans",
    response=IcansOut,
    summary="ASTCT 2019 ICANS grade with the ICE score",
    description="The worst domain; an omitted domain is unknown and gives a range of grades.",
)
def toxicity_icans(request: HttpRequest, payload: IcansIn) -> dict[str, Any]:
    return _call(icans_data, payload.model_dump(exclude_none=True))


class KvaIn(Schema):
    corneal_exam: Literal[
        "normal",
        "mild_superficial",
        "moderate_superficial",
        "severe_superficial",
        "epithelial_defect",
    ]
    bcva_lines_decline: StrictWhole
    snellen_worse_than_20_200: bool = False


class KvaOut(ScaleOut):
    action: str


@router.post(
    "/kva",
    response=KvaOut,
    summary="KVA grade (belantamab mafodotin ocular toxicity), worse eye",
    description="The worse of the corneal finding and the BCVA change, with the label action.",
)
def toxicity_kva(request: HttpRequest, payload: KvaIn) -> dict[str, Any]:
    return _call(kva_data, payload.model_dump(exclude_none=True))


# --------------------------------------------------------------------------------------------------
# A saved plan
# --------------------------------------------------------------------------------------------------


class InfusionReactionIn(Schema):
    grade: StrictWhole
    improved_to_grade_1_or_less: bool | None = None
    hospitalisation: bool | None = None


class DoseCheckIn(GradeIn):
    date: IsoDate
    febrile_neutropenia: bool | None = None
    neutropenic_infection: bool | None = None
    infusion_reaction: InfusionReactionIn | None = Field(
        default=None, description="The reaction at the previous isatuximab infusion, if any."
    )


class DecisionOut(Schema):
    drug: str
    action: Literal["give", "delay", "discontinue", "review"]
    dose_reduction: bool | None
    reasons: list[str]
    source: str
    verification: Verification


class DoseCheckOut(Schema):
    date: dt.date
    ctcae_version: str
    grades: dict[str, TermGradeOut]
    missing: list[str]
    decisions: list[DecisionOut]
    warnings: list[str]


@plans_router.post(
    "/plans/{plan_id}/dose-check",
    response=DoseCheckOut,
    summary="Before this treatment day: grades and one decision per drug due",
    description=(
        "Today's counts and events → CTCAE grades → give / delay / discontinue / review for each "
        "drug due that day, with reasons and sources. Isatuximab is never dose-reduced; a partner "
        "drug without a label-verified rule is 'review'. 422 when the date is not a treatment "
        "day; 404 for plans of other teams."
    ),
)
def plan_dose_check(request: HttpRequest, plan_id: UUID, payload: DoseCheckIn) -> dict[str, Any]:
    plan = _plan(request, plan_id)
    return _call(lambda data: dose_check_data(plan, data), payload.model_dump(exclude_none=True))


class StepOut(Schema):
    from_minute: float
    rate_ml_h: float


class RestartOut(Schema):
    steps: list[StepOut]
    total_minutes: float
    text: str
    source: str
    verification: Verification


class InfusionOut(Schema):
    date: dt.date
    cycle: int
    day: int
    status: str
    infusion_number: int
    dose_mg: float
    drug_volume_ml: float | None
    volume_ml: float
    steps: list[StepOut]
    total_minutes: float
    steps_verification: Verification
    steps_source: str
    source: str
    after_grade_2_reaction: RestartOut


@plans_router.get(
    "/plans/{plan_id}/infusions",
    response=list[InfusionOut],
    summary="Each isatuximab infusion of the plan with its rate steps",
    description=(
        "Infusion number, the 250 mL bag, the rate steps from minute 0 and the total computed "
        "from the steps (200 / 112.5 / 75 min), and the restart at half the initial rate after "
        "a grade 2 reaction. 404 for plans of other teams."
    ),
)
def plan_infusions_list(request: HttpRequest, plan_id: UUID) -> list[dict[str, Any]]:
    return plan_infusions(_plan(request, plan_id))
