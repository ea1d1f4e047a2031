"""FHIR R4 export endpoints (``application/fhir+json``; resources built with fhir.resources).

``GET /api/v1/plans/{id}/fhir``: the plan's Bundle (team access rule of dosing: 404 for other
teams). ``POST /api/v1/fhir/staging/assess``: the body of ``/api/v1/staging/assess``, answered
as a Bundle of mCODE-shaped Observations.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from dosing.models import PlanStatus, TreatmentPlan
from dosing.selectors import plan_visible, plans_visible_to
from followup.selectors import plan_response
from interop.fhir import bundles_merge, plan_bundle, staging_bundle
from staging.api import StagingAssessIn
from staging.assessments import staging_assess

router = Router(tags=["fhir"])

FHIR_JSON = "application/fhir+json"
PLAN_NOT_FOUND = "No such saved plan."
PATIENT_NOT_FOUND = "No saved plan with this patient reference."


def _fhir_response(description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {FHIR_JSON: {"schema": {"type": "object"}}},
            }
        }
    }


def _base() -> str:
    return str(settings.FHIR_SYSTEM_BASE)


@router.get(
    "/plans/{plan_id}/fhir",
    summary="A saved plan as a FHIR R4 Bundle",
    description=(
        "A collection Bundle: the pseudonymous Patient (identifier system "
        "<FHIR_SYSTEM_BASE>/patient-reference, no name), body weight, height and BSA "
        "Observations, the regimen version as a PlanDefinition (url and version), a CarePlan "
        "with one RequestGroup per cycle and one MedicationRequest per administration (dose, "
        "route, timing, supportingInformation → the measurements it was computed from), and "
        "the response assessments as mCODE CancerDiseaseStatus (LOINC 97509-4) or the app's "
        "IMWG category. Saved plans of your team only; 404 otherwise."
    ),
    openapi_extra=_fhir_response("A FHIR R4 Bundle (type collection)."),
)
def plan_fhir(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = plan_visible(user=request.user, pk=plan_id, status=PlanStatus.SAVED)
    if plan is None:
        raise HttpError(404, PLAN_NOT_FOUND)
    return HttpResponse(_plan_bundle(plan).model_dump_json(), content_type=FHIR_JSON)


def _plan_bundle(plan: TreatmentPlan) -> Bundle:
    version = plan.regimen_version
    response = plan_response(plan=plan)
    return plan_bundle(
        plan={
            "id": plan.pk,
            "patient_reference": plan.patient_reference,
            "start_date": plan.start_date.isoformat() if plan.start_date else None,
        },
        computed=plan.computed,
        patient=plan.patient,
        regimen={
            "slug": version.regimen.slug,
            "name": version.name,
            "version": version.number,
            "source": version.source,
            "indication": version.indication,
            "verification": version.verification,
        },
        responses=response.assessments if response else (),
        base=_base(),
    )


@router.get(
    "/fhir/patients/{patient_reference}",
    summary="Every saved plan of one pseudonymous patient reference as one FHIR R4 Bundle",
    description=(
        "The Bundles of GET /plans/{id}/fhir for each saved plan of your team with this "
        "patient reference, merged (the Patient once). 404 when you may see none."
    ),
    openapi_extra=_fhir_response("A FHIR R4 Bundle (type collection)."),
)
def patient_fhir(request: HttpRequest, patient_reference: str) -> HttpResponse:
    plans = list(
        plans_visible_to(request.user)
        .filter(status=PlanStatus.SAVED, patient_reference=patient_reference)
        .exclude(patient_reference="")
        .select_related("regimen_version__regimen")
        .order_by("start_date", "saved_at")
    )
    if not plans:
        raise HttpError(404, PATIENT_NOT_FOUND)
    bundle = bundles_merge(
        (_plan_bundle(plan) for plan in plans),
        identifier=f"patient-{patient_reference}",
        base=_base(),
    )
    return HttpResponse(bundle.model_dump_json(), content_type=FHIR_JSON)


class FhirStagingQuery(Schema):
    patient_reference: str = Field(
        default="",
        max_length=40,
        description="Optional pseudonymous reference; adds a Patient and Observation.subject.",
    )


@router.post(
    "/fhir/staging/assess",
    summary="ISS, R-ISS, R2-ISS and IMS/IMWG 2025 high risk as FHIR R4 Observations",
    description=(
        "Same body as POST /api/v1/staging/assess. A collection Bundle of Observations: ISS "
        "(NCIt C139007; C70658–C70660) and R-ISS (NCIt C141392; C141394–C141396) shaped as "
        "mCODE cancer stage; R2-ISS and IMS/IMWG 2025 high risk have no standard code and use "
        "this application's code system (<FHIR_SYSTEM_BASE>/CodeSystem/staging), as their "
        "code.text says. A stage that cannot be assessed has dataAbsentReason 'unknown' naming "
        "what is missing."
    ),
    openapi_extra=_fhir_response("A FHIR R4 Bundle (type collection) of Observations."),
)
def staging_fhir(
    request: HttpRequest, payload: StagingAssessIn, query: Query[FhirStagingQuery]
) -> HttpResponse:
    result = staging_assess(payload.model_dump(exclude_none=True))
    bundle = staging_bundle(
        result,
        base=_base(),
        patient_reference=query.patient_reference,
        effective=timezone.localdate().isoformat(),
    )
    return HttpResponse(bundle.model_dump_json(), content_type=FHIR_JSON)
