"""Toxicity grading and the decision before a dose, for the API and the plan page.

The one translation between JSON-shaped data (api-v1 "toxicity/grade", "toxicity/crs|icans|kva",
"plans/{id}/dose-check", "plans/{id}/infusions") and ``myeloma_core.toxicity_*``; forms and the API
both come through here, so every message and field name comes from one place. Rule tables come
from ``followup.toxicity_content`` (content/toxicity/).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from dosing.models import TreatmentPlan
from followup.toxicity_content import toxicity_content
from myeloma_core.errors import InvalidInput
from myeloma_core.toxicity_counts import Count, Term, count
from myeloma_core.toxicity_decision import (
    DoseDecision,
    InfusionTimeline,
    infusion_reaction,
    infusion_timeline,
    isatuximab_decision,
    partner_decision,
)
from myeloma_core.toxicity_grading import Grade, Grading, grade_labs, temperature
from myeloma_core.toxicity_scales import (
    CornealExam,
    Hypotension,
    Hypoxia,
    ScaleGrade,
    grade_crs,
    grade_icans,
    grade_kva,
    hypotension_from_vasopressors,
)
from myeloma_core.toxicity_tables import Action

ISATUXIMAB = "isatuximab"
PENDING_VERSION_WARNING = (
    "CTCAE v{version} is pending verification: {note} Grades under it are not the default."
)


def _bool_or_none(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise InvalidInput(key, f"{key} must be true or false; got {value!r}.")
    return value


def _count(data: Mapping[str, Any], term: Term, field: str) -> Count | None:
    raw = data.get(term.value)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InvalidInput(field, f"{field} must be an object {{'value': …, 'unit': …}}.")
    return count(term, raw.get("value"), raw.get("unit"), field=field)


def _counts(data: Mapping[str, Any], prefix: str = "") -> dict[Term, Count]:
    found = {term: _count(data, term, f"{prefix}{term.value}") for term in Term}
    return {term: value for term, value in found.items() if value is not None}


def _temperature(data: Mapping[str, Any]) -> Decimal | None:
    value = data.get("temperature_celsius")
    return None if value is None else temperature(value)


def grading(data: Mapping[str, Any]) -> Grading:
    """The CTCAE grades of the values sent (T1–T3); febrile neutropenia when a temperature is."""
    content = toxicity_content()
    table = content.ctcae_table(data.get("ctcae_version"))
    limits = data.get("lower_limits") or {}
    if not isinstance(limits, Mapping):
        raise InvalidInput("lower_limits", "lower_limits must be an object of counts.")
    return grade_labs(
        table,
        counts=_counts(data),
        lower_limits=_counts(limits, prefix="lower_limits."),
        temperature_celsius=_temperature(data),
        fever_sustained_over_one_hour=_bool_or_none(data, "fever_sustained_over_one_hour"),
    )


def grade_data(grade: Grade) -> dict[str, Any]:
    return {
        "term": grade.term,
        "grade": grade.grade,
        "possible_grades": list(grade.possible_grades),
        "ctcae_version": grade.ctcae_version,
        "verification": grade.verification.value,
        "reasons": list(grade.reasons),
        "missing": list(grade.missing),
    }


def grading_warnings(result: Grading) -> list[str]:
    if result.verification_note and result.verification.value == "pending":
        return [
            PENDING_VERSION_WARNING.format(
                version=result.ctcae_version, note=result.verification_note
            )
        ]
    return []


def grading_data(result: Grading) -> dict[str, Any]:
    """The api-v1 body of POST toxicity/grade."""
    return {
        "ctcae_version": result.ctcae_version,
        "verification": result.verification.value,
        "grades": {grade.key: grade_data(grade) for grade in result.grades},
        "missing": list(result.missing),
        "source": result.source,
        "warnings": grading_warnings(result),
    }


def _scale_data(result: ScaleGrade) -> dict[str, Any]:
    return {
        "grade": result.grade,
        "possible_grades": list(result.possible_grades),
        "reasons": list(result.reasons),
        "missing": list(result.missing),
        "source": result.source,
    }


def _choice(data: Mapping[str, Any], key: str, enum: Any) -> Any:
    raw = data.get(key)
    if raw is None:
        return None
    try:
        return enum(raw)
    except ValueError:
        allowed = ", ".join(item.value for item in enum)
        raise InvalidInput(key, f"{key} must be one of {allowed}; got {raw!r}.") from None


def crs_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """ASTCT CRS (T8). ``vasopressors`` (names) may replace ``hypotension``'s vasopressor count."""
    hypotension = _choice(data, "hypotension", Hypotension)
    vasopressors = data.get("vasopressors")
    if vasopressors:
        derived = hypotension_from_vasopressors(vasopressors)
        if hypotension is not None and hypotension is not derived:
            raise InvalidInput(
                "hypotension",
                f"hypotension {hypotension.value!r} contradicts vasopressors "
                f"{', '.join(vasopressors)} ({derived.value}; vasopressin does not count towards "
                "multiple vasopressors).",
            )
        hypotension = derived
    masked = _bool_or_none(data, "fever_masked_by_treatment")
    result = grade_crs(
        temperature_celsius=_temperature(data),
        fever_masked_by_treatment=bool(masked),
        hypotension=hypotension,
        hypoxia=_choice(data, "hypoxia", Hypoxia),
    )
    return _scale_data(result)


def icans_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """ASTCT ICANS with the ICE score (T9)."""
    ice = data.get("ice")
    if ice is not None and not isinstance(ice, Mapping):
        raise InvalidInput("ice", "ice must be an object of the five ICE items.")
    score, result = grade_icans(
        ice=ice,
        unable_to_perform_ice=bool(_bool_or_none(data, "unable_to_perform_ice")),
        domains={
            key: data.get(key)
            for key in ("consciousness", "seizure", "motor_weakness", "cerebral_oedema")
        },
    )
    return {"ice_score": score, **_scale_data(result)}


def kva_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """KVA (T10), worse eye, with the label action."""
    cornea = _choice(data, "corneal_exam", CornealExam)
    if cornea is None:
        raise InvalidInput("corneal_exam", "corneal_exam is required (worse eye).")
    if data.get("bcva_lines_decline") is None:
        raise InvalidInput(
            "bcva_lines_decline", "bcva_lines_decline is required: Snellen lines lost, worse eye."
        )
    result, action = grade_kva(
        corneal_exam=cornea,
        bcva_lines_decline=data.get("bcva_lines_decline"),
        snellen_worse_than_20_200=bool(_bool_or_none(data, "snellen_worse_than_20_200")),
    )
    return {**_scale_data(result), "action": action}


# --------------------------------------------------------------------------------------------------
# A saved plan: treatment days, the decision before a dose, infusions
# --------------------------------------------------------------------------------------------------


def plan_administrations(plan: TreatmentPlan) -> list[dict[str, Any]]:
    return list((plan.computed or {}).get("administrations", []))


def plan_treatment_days(plan: TreatmentPlan) -> list[dt.date]:
    """Dates with at least one dose still to give or given (omitted doses are not due)."""
    days = {
        dt.date.fromisoformat(a["date"])
        for a in plan_administrations(plan)
        if a.get("status") != "omitted"
    }
    return sorted(days)


def drugs_due(plan: TreatmentPlan, day: dt.date) -> list[str]:
    """The drugs due on ``day`` in the plan's order; 422 when ``day`` is not a treatment day."""
    due = [
        a["drug"]
        for a in plan_administrations(plan)
        if a["date"] == day.isoformat() and a.get("status") != "omitted"
    ]
    if not due:
        days = plan_treatment_days(plan)
        before = [d for d in days if d < day]
        after = [d for d in days if d > day]
        neighbours = [
            f"{label} {d.isoformat()}"
            for label, d in (
                ("the previous is", before[-1] if before else None),
                ("the next is", after[0] if after else None),
            )
            if d is not None
        ]
        raise InvalidInput(
            "date",
            f"{day.isoformat()} is not a planned treatment day of this plan"
            + (f"; {' and '.join(neighbours)}." if neighbours else "."),
        )
    return list(dict.fromkeys(due))


def _febrile_neutropenia(data: Mapping[str, Any], result: Grading) -> bool | None:
    """The clinician's answer wins; else the grade from ANC and temperature when it is known."""
    stated = _bool_or_none(data, "febrile_neutropenia")
    if stated is not None:
        return stated
    derived = result.get("febrile_neutropenia")
    if derived is None or derived.grade is None:
        return None
    return derived.grade > 0


def dose_decisions(
    plan: TreatmentPlan, data: Mapping[str, Any]
) -> tuple[Grading, list[DoseDecision]]:
    """One decision per drug due on ``data['date']`` (T4, T5, T7)."""
    day = data["date"]
    due = drugs_due(plan, day)
    result = grading(data)
    grades = {grade.key: grade for grade in result.grades}
    raw_reaction = data.get("infusion_reaction")
    if raw_reaction is not None and not isinstance(raw_reaction, Mapping):
        raise InvalidInput("infusion_reaction", "infusion_reaction must be null or an object.")
    reaction = None if raw_reaction is None else infusion_reaction(raw_reaction)
    content = toxicity_content()
    decisions = []
    for drug in due:
        if drug == ISATUXIMAB:
            decisions.append(
                isatuximab_decision(
                    content.isatuximab,
                    neutrophils=grades.get(Term.NEUTROPHILS.value),
                    febrile_neutropenia=_febrile_neutropenia(data, result),
                    neutropenic_infection=_bool_or_none(data, "neutropenic_infection"),
                    reaction=reaction,
                )
            )
        else:
            decisions.append(partner_decision(drug, content.partner_drugs, grades))
    return result, decisions


def decision_data(decision: DoseDecision) -> dict[str, Any]:
    return {
        "drug": decision.drug,
        "action": decision.action.value,
        "dose_reduction": decision.dose_reduction,
        "reasons": list(decision.reasons),
        "source": decision.source,
        "verification": decision.verification.value,
    }


def dose_check_data(plan: TreatmentPlan, data: Mapping[str, Any]) -> dict[str, Any]:
    """The api-v1 body of POST plans/{id}/dose-check."""
    result, decisions = dose_decisions(plan, data)
    warnings = grading_warnings(result)
    if any(d.action is Action.REVIEW for d in decisions):
        warnings.append(
            "At least one drug needs a clinician's review: no rule decides it automatically."
        )
    return {
        "date": data["date"],
        "ctcae_version": result.ctcae_version,
        "grades": {grade.key: grade_data(grade) for grade in result.grades},
        "missing": list(result.missing),
        "decisions": [decision_data(d) for d in decisions],
        "warnings": warnings,
    }


def _steps_data(timeline: InfusionTimeline) -> list[dict[str, float]]:
    return [{"from_minute": s.from_minute, "rate_ml_h": s.rate_ml_h} for s in timeline.steps]


def plan_infusions(plan: TreatmentPlan) -> list[dict[str, Any]]:
    """Each isatuximab infusion: number, bag volume, the rate steps and the total (T6), and the
    restart at half the initial rate after a grade 2 reaction (X24, pending the 30 minutes)."""
    component = next(
        (c for c in plan.regimen_version.to_domain().components if c.drug == ISATUXIMAB), None
    )
    if component is None or component.infusion is None:
        return []
    infusion = component.infusion
    rules = toxicity_content().isatuximab
    out = []
    for adm in plan_administrations(plan):
        number = adm.get("infusion_number")
        if adm["drug"] != ISATUXIMAB or number is None:
            continue
        steps = infusion.for_infusion(number).steps
        timeline = infusion_timeline(steps, volume_ml=infusion.volume_ml)
        restart = infusion_timeline(
            steps, volume_ml=infusion.volume_ml, half_rate_minutes=rules.half_rate_minutes
        )
        out.append(
            {
                "date": adm["date"],
                "cycle": adm["cycle"],
                "day": adm["day"],
                "status": adm.get("status", "planned"),
                "infusion_number": number,
                "dose_mg": adm["dose"]["value"],
                "drug_volume_ml": adm.get("volume_ml"),
                "volume_ml": infusion.volume_ml,
                "steps": _steps_data(timeline),
                "total_minutes": timeline.total_minutes,
                "steps_verification": infusion.steps_verification.value,
                "steps_source": infusion.steps_source,
                "source": infusion.source,
                "after_grade_2_reaction": {
                    "steps": _steps_data(restart),
                    "total_minutes": restart.total_minutes,
                    "text": rules.half_rate_text,
                    "source": rules.reaction_source,
                    "verification": rules.half_rate_verification.value,
                },
                "premedication": adm.get("premedication", []),
            }
        )
    return out


def cumulative_doses(plan: TreatmentPlan) -> list[dict[str, Any]]:
    """Per drug and unit: the planned total across the plan (omitted doses excluded), the part
    recorded as given, and the number of doses — e.g. bortezomib mg, dexamethasone mg."""
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for adm in plan_administrations(plan):
        if adm.get("status") == "omitted":
            continue
        dose = adm["dose"]
        key = (adm["drug"], dose["unit"])
        row = totals.setdefault(
            key,
            {"drug": adm["drug"], "unit": dose["unit"], "planned": 0.0, "given": 0.0, "doses": 0},
        )
        row["planned"] += float(dose["value"])
        row["doses"] += 1
        if adm.get("status") == "given":
            row["given"] += float(dose["value"])
    return [
        row | {"planned": round(row["planned"], 1), "given": round(row["given"], 1)}
        for row in totals.values()
    ]
