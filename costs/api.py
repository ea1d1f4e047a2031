"""``GET /api/v1/plans/{id}/administrations``: the pharmacy rows with cost and vial waste.

The same rows (same field names) as the CSV download; the plan's team rule (404) and the
clinician role (403), like the CSV.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from accounts.roles import CLINICIAN, user_has_any_role
from costs.selectors import administration_rows, site_country
from dosing.models import PlanStatus
from dosing.selectors import plan_visible

router = Router(tags=["cost"])

PLAN_NOT_FOUND = "No such saved plan."
CLINICIANS_ONLY = "Only clinicians export a plan's administrations."


class AdministrationRow(Schema):
    plan_id: str
    patient_reference: str
    regimen: str
    regimen_version: int
    cycle: int
    day: int
    date: str
    planned_date: str
    status: str
    drug: str
    dose_value: float
    dose_unit: str
    route: str
    calculation: str
    volume_ml: float | None
    vials: str
    vials_total_mg: float | None
    vials_waste_mg: float | None
    price_country: str
    currency: str
    cost_vials: str
    cost: str
    discarded_mg: str
    discarded_percent: str
    price_source: str


@router.get(
    "/plans/{plan_id}/administrations",
    response=list[AdministrationRow],
    summary="A saved plan's administrations for pharmacy, with vial cost and waste",
    description=(
        "One row per administration (the fields of the CSV download at "
        "/plans/{id}/administrations.csv). Cost fields are in the site's country "
        "(CLINIC_COUNTRY) and empty when no price is entered for the drug there or the dose "
        "is omitted; cost is a decimal string in the currency, never a float. Vials: least "
        "waste, then lowest cost, then fewest vials. Clinicians of the plan's team; 404 otherwise."
    ),
)
def plan_administrations(request: HttpRequest, plan_id: UUID) -> list[dict[str, Any]]:
    plan = plan_visible(user=request.user, pk=plan_id, status=PlanStatus.SAVED)
    if plan is None:
        raise HttpError(404, PLAN_NOT_FOUND)
    if not user_has_any_role(request.user, (CLINICIAN,)):
        raise HttpError(403, CLINICIANS_ONLY)
    return administration_rows(plan=plan, country=site_country())
