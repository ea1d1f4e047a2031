"""Record what was done on a treatment day, next to what the rules said (domain-reference §22).

The decision is recomputed from the inputs on save (never trusted from the browser). A given,
delayed, omitted or discontinued dose goes through the plan's existing reschedule service
(``dosing.services.plan_reschedule``: X27 keeps the protocol interval, with its history and the
reprinted calendar); everything is written in one transaction or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from dosing.models import TreatmentPlan
from dosing.services import plan_reschedule
from followup.models import DoseOutcome, DoseRecord
from followup.toxicity import dose_decisions, grade_data
from myeloma_core.errors import InvalidInput
from myeloma_core.toxicity_decision import DoseDecision
from myeloma_core.toxicity_grading import Grading
from webparts.history import history_reason_set

ALREADY_RECORDED = "{drug} on {date} is already recorded ({outcome})."
DELAY_NEEDS_DATE = "A delayed {drug} dose needs the date it was given, after {date}."


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What the clinician did with one drug: ``actual_date`` only for a delayed dose."""

    outcome: DoseOutcome
    actual_date: dt.date | None = None
    note: str = ""


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in data.items()
    }


def _planned_on(plan: TreatmentPlan, drug: str, day: dt.date) -> bool:
    return any(
        a["drug"] == drug and a["date"] == day.isoformat() and a.get("status") == "planned"
        for a in (plan.computed or {}).get("administrations", [])
    )


def _record(
    plan: TreatmentPlan,
    user: User,
    day: dt.date,
    decision: DoseDecision,
    outcome: Outcome,
    actual: dt.date | None,
    grading: Grading,
    grades: dict[str, Any],
    data: Mapping[str, Any],
) -> DoseRecord:
    record = DoseRecord(
        plan=plan,
        date=day,
        drug=decision.drug,
        suggested_action=decision.action.value,
        outcome=outcome.outcome,
        actual_date=actual,
        ctcae_version=grading.ctcae_version,
        inputs=_jsonable(data),
        grades=grades,
        reasons=list(decision.reasons),
        source=decision.source,
        note=outcome.note,
        recorded_by=user,
    )
    record.full_clean()
    history_reason_set(record, "Treatment-day decision recorded")
    record.save()
    return record


@transaction.atomic
def dose_day_record(
    *,
    plan: TreatmentPlan,
    user: User,
    data: Mapping[str, Any],
    outcomes: Mapping[str, Outcome],
) -> list[DoseRecord]:
    """Store one record per drug due on ``data['date']`` and move the plan accordingly."""
    day: dt.date = data["date"]
    grading, decisions = dose_decisions(plan, data)
    grades = {grade.key: grade_data(grade) for grade in grading.grades}
    records = []
    for decision in decisions:
        drug = decision.drug
        outcome = outcomes.get(drug)
        if outcome is None:
            raise InvalidInput(f"{drug}_outcome", f"Record what was done with {drug}.")
        existing = DoseRecord.objects.filter(plan=plan, date=day, drug=drug).first()
        if existing is not None:
            raise InvalidInput(
                f"{drug}_outcome",
                ALREADY_RECORDED.format(
                    drug=drug, date=day.isoformat(), outcome=existing.get_outcome_display()
                ),
            )
        actual: dt.date | None
        if outcome.outcome == DoseOutcome.GIVEN:
            actual = day
        elif outcome.outcome == DoseOutcome.DELAYED:
            if outcome.actual_date is None or outcome.actual_date <= day:
                raise InvalidInput(
                    f"{drug}_actual_date", DELAY_NEEDS_DATE.format(drug=drug, date=day.isoformat())
                )
            actual = outcome.actual_date
        else:
            actual = None
        if not _planned_on(plan, drug, day):
            # Moved already with the infusion it premedicates (api-v1 reschedule): record only.
            records.append(
                _record(plan, user, day, decision, outcome, actual, grading, grades, data)
            )
            continue
        try:
            plan = plan_reschedule(
                plan=plan,
                user=user,
                drug=drug,
                planned_date=day,
                actual_date=actual,
                scope="drug",
                reason=f"Treatment-day check: {decision.action.value} → {outcome.outcome}",
            )
        except InvalidInput as error:
            raise InvalidInput(f"{drug}_actual_date", error.message) from None
        records.append(_record(plan, user, day, decision, outcome, actual, grading, grades, data))
    return records
