"""Writes for follow-up: record or correct a disease assessment on a saved plan.

The findings are validated by the domain (units, plausible ranges) and the series rules
(one baseline, the earliest; one assessment a day) before anything is written, in one
transaction, with the change in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from dosing.calendar_print import calendar_body_schedule
from dosing.models import TreatmentPlan
from followup.assessments import assessment_from_data, isotype_from_data
from followup.models import DiseaseAssessment
from myeloma_core.errors import InvalidInput
from webparts.history import history_reason_set

DATE_TAKEN = "This plan already has an assessment on {date}; correct that one instead."
SECOND_BASELINE = "This plan already has a baseline ({date}); only one assessment is the baseline."
BEFORE_BASELINE = "The baseline ({date}) must be the earliest assessment."
BASELINE_NOT_FIRST = "The baseline must be the earliest assessment; there is one on {date}."
ISOTYPE_ON_BASELINE = "The isotype is recorded with the baseline assessment."

_SERIES_FIELDS = ("date", "baseline", "isotype")


def _findings(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in _SERIES_FIELDS and v is not None}


def _check_series(
    *, plan: TreatmentPlan, data: Mapping[str, Any], exclude: DiseaseAssessment | None
) -> None:
    others = DiseaseAssessment.objects.select_for_update().filter(plan=plan)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    date = data["date"]
    if others.filter(date=date).exists():
        raise InvalidInput("date", DATE_TAKEN.format(date=date.isoformat()))
    baseline = others.filter(baseline=True).first()
    if data.get("baseline"):
        if baseline is not None:
            raise InvalidInput("baseline", SECOND_BASELINE.format(date=baseline.date.isoformat()))
        earlier = others.filter(date__lt=date).order_by("date").first()
        if earlier is not None:
            raise InvalidInput("date", BASELINE_NOT_FIRST.format(date=earlier.date.isoformat()))
    elif baseline is not None and date < baseline.date:
        raise InvalidInput("date", BEFORE_BASELINE.format(date=baseline.date.isoformat()))
    if data.get("isotype") and not data.get("baseline"):
        raise InvalidInput("isotype", ISOTYPE_ON_BASELINE)


def _fill(row: DiseaseAssessment, data: Mapping[str, Any]) -> None:
    assessment_from_data(data)  # validates every finding (raises InvalidInput naming it)
    isotype = isotype_from_data(data.get("isotype"))
    row.date = data["date"]
    row.baseline = bool(data.get("baseline"))
    row.findings = _findings(data)
    row.heavy_chain = isotype.heavy_chain.value if isotype else ""
    row.light_chain = isotype.light_chain.value if isotype else ""


@transaction.atomic
def assessment_record(
    *, plan: TreatmentPlan, user: User, data: Mapping[str, Any]
) -> DiseaseAssessment:
    """Store one assessment (api-v1 fields; ``isotype`` only on the baseline)."""
    _check_series(plan=plan, data=data, exclude=None)
    row = DiseaseAssessment(plan=plan, created_by=user)
    _fill(row, data)
    row.full_clean()
    history_reason_set(row, "Assessment recorded")
    row.save()
    calendar_body_schedule(plan=plan)  # the next print says the assessment was done
    return row


@transaction.atomic
def assessment_update(
    *, assessment: DiseaseAssessment, data: Mapping[str, Any], reason: str = ""
) -> DiseaseAssessment:
    """Correct a stored assessment; the previous values stay in the history."""
    _check_series(plan=assessment.plan, data=data, exclude=assessment)
    _fill(assessment, data)
    assessment.full_clean()
    history_reason_set(assessment, reason or "Assessment corrected")
    assessment.save()
    calendar_body_schedule(plan=assessment.plan)
    return assessment
