"""Reads for follow-up: a plan's stored assessments and the response computed from them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dosing.models import TreatmentPlan
from followup.assessments import response_assess
from followup.models import DiseaseAssessment
from myeloma_core.response_types import AntiCd38, ResponseAssessment

ANTI_CD38_DRUGS = tuple(drug.value for drug in AntiCd38)


def plan_assessments(*, plan: TreatmentPlan) -> QuerySet[DiseaseAssessment]:
    return DiseaseAssessment.objects.filter(plan=plan).order_by("date")


def plan_anti_cd38(*, plan: TreatmentPlan) -> str | None:
    """The anti-CD38 antibody of the plan's pinned regimen (isatuximab, daratumumab) or None."""
    drugs = plan.regimen_version.to_domain().drugs
    return next((drug for drug in ANTI_CD38_DRUGS if drug in drugs), None)


def assessment_data(row: DiseaseAssessment) -> dict[str, Any]:
    """A stored assessment in the api-v1 shape."""
    return {"date": row.date, "baseline": row.baseline, **row.findings}


def plan_isotype(*, rows: list[DiseaseAssessment]) -> dict[str, str] | None:
    baseline = next((row for row in rows if row.baseline), None)
    if baseline is None or not baseline.heavy_chain or not baseline.light_chain:
        return None
    return {"heavy_chain": baseline.heavy_chain, "light_chain": baseline.light_chain}


def plan_response(
    *, plan: TreatmentPlan, rows: list[DiseaseAssessment] | None = None
) -> ResponseAssessment | None:
    """The response of the plan's assessments; None until the baseline is recorded."""
    if rows is None:
        rows = list(plan_assessments(plan=plan))
    if plan.start_date is None or not any(row.baseline for row in rows):
        return None
    return response_assess(
        assessments=[assessment_data(row) for row in rows],
        treatment_start=plan.start_date,
        isotype=plan_isotype(rows=rows),
        anti_cd38=plan_anti_cd38(plan=plan),
    )
