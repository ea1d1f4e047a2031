"""Writes and computations for dosing: previews, the plan wizard's draft, saved plans, reschedules.

Views and the API call these; the clinical computation is ``myeloma_core`` (expand, reschedule).
A saved plan pins its regimen version and inputs; its calendar is recomputed from exactly those
(plus the recorded adjustments, replayed in order) and stored as the snapshot every reader sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.selectors import user_team
from dosing.calendar_print import calendar_body_schedule
from dosing.models import (
    PlanAdjustment,
    PlanStatus,
    RegimenVersion,
    TreatmentPlan,
)
from dosing.selectors import plan_newer_version
from governance.text_limits import REASON_MAX_LENGTH, text_too_long_message
from myeloma_core.body import BsaFormula, CrClWeightBasis, Sex
from myeloma_core.dosing import (
    DosingInputError,
    DosingSettings,
    Patient,
    creatinine_age_warning,
    patient_validate,
)
from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import Jurisdiction
from myeloma_core.schedule import (
    MAX_CYCLES,
    Schedule,
    administration_warnings,
    expand,
    late_dose_validate,
    reschedule,
    schedule_to_dict,
)
from myeloma_core.units import Analyte, lab_value
from webparts.history import history_reason_set

PLAN_NOT_DRAFT = "This plan is saved; start a new plan to change its inputs."
PLAN_NOT_SAVED = "Only a saved plan can record given or omitted doses."


def dosing_settings_current() -> DosingSettings:
    """The site's dosing settings (BSA formula, CrCl weight basis, jurisdiction)."""
    return DosingSettings(
        bsa_formula=BsaFormula(settings.DOSING_BSA_FORMULA),
        crcl_weight_basis=CrClWeightBasis(settings.DOSING_CRCL_WEIGHT_BASIS),
        jurisdiction=Jurisdiction(settings.DOSING_JURISDICTION),
    )


def _settings_to_dict(value: DosingSettings) -> dict[str, str]:
    return {
        "bsa_formula": value.bsa_formula.value,
        "crcl_weight_basis": value.crcl_weight_basis.value,
        "jurisdiction": value.jurisdiction.value,
    }


def _settings_from_dict(data: Mapping[str, str]) -> DosingSettings:
    return DosingSettings(
        bsa_formula=BsaFormula(data["bsa_formula"]),
        crcl_weight_basis=CrClWeightBasis(data["crcl_weight_basis"]),
        jurisdiction=Jurisdiction(data["jurisdiction"]),
    )


def patient_from_data(data: Mapping[str, Any]) -> Patient:
    """A validated domain patient from the API shape (creatinine with its unit).

    Errors name ``patient.<field>`` with the unit and the accepted range.
    """
    try:
        creatinine = data.get("creatinine") or {}
        if creatinine.get("value") is None:
            raise DosingInputError("creatinine", "Serum creatinine is required (µmol/L or mg/dL).")
        creatinine_mg_dl = lab_value(
            Analyte.CREATININE, float(creatinine["value"]), str(creatinine.get("unit", ""))
        ).in_unit("mg/dL")
        patient = Patient(
            age_years=int(data["age_years"]),
            sex=Sex(data["sex"]),
            weight_kg=float(data["weight_kg"]),
            height_cm=float(data["height_cm"]),
            creatinine_mg_dl=creatinine_mg_dl,
            on_dialysis=bool(data.get("on_dialysis", False)),
        )
        patient_validate(patient)
    except InvalidInput as error:
        raise DosingInputError(f"patient.{error.field}", error.message) from error
    return patient


def schedule_compute(
    *,
    version: RegimenVersion,
    patient: Mapping[str, Any],
    start_date: dt.date,
    cycles: int,
    dosing_settings: DosingSettings,
    adjustments: list[dict[str, Any]] | None = None,
) -> Schedule:
    """Expand the calendar and replay the recorded adjustments in the order they were made."""
    schedule = expand(
        version.to_domain(),
        patient=patient_from_data(patient),
        start_date=start_date,
        cycles=cycles,
        settings=dosing_settings,
    )
    administrations = schedule.administrations
    for adjustment in adjustments or []:
        administrations = reschedule(
            administrations,
            drug=adjustment["drug"],
            planned_date=dt.date.fromisoformat(adjustment["planned_date"]),
            actual_date=(
                None
                if adjustment["actual_date"] is None
                else dt.date.fromisoformat(adjustment["actual_date"])
            ),
            scope=adjustment["scope"],
        )
    if adjustments:
        schedule = replace(
            schedule,
            administrations=administrations,
            warnings=administration_warnings(administrations),
        )
    return schedule


def plan_compute(
    *,
    version: RegimenVersion,
    patient: Mapping[str, Any],
    start_date: dt.date,
    cycles: int,
    dosing_settings: DosingSettings | None = None,
    adjustments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The ``POST /api/v1/dosing/preview`` response: regimen, patient, cycles, administrations."""
    dosing_settings = dosing_settings or dosing_settings_current()
    schedule = schedule_compute(
        version=version,
        patient=patient,
        start_date=start_date,
        cycles=cycles,
        dosing_settings=dosing_settings,
        adjustments=adjustments,
    )
    computed = {
        "regimen": {
            "slug": version.regimen.slug,
            "name": version.name,
            "version": version.number,
            "verification": version.verification,
            "verification_note": version.verification_note,
            "source": version.source,
        },
        "start_date": start_date.isoformat(),
        "dosing_settings": _settings_to_dict(dosing_settings),
        **schedule_to_dict(schedule),
    }
    return _with_creatinine_date(computed, patient=patient, start_date=start_date)


def _with_creatinine_date(
    computed: dict[str, Any], *, patient: Mapping[str, Any], start_date: dt.date
) -> dict[str, Any]:
    """The creatinine's date next to the CrCl, and a warning when it is old or unknown at C1D1."""
    measured_on = patient.get("measured_on")
    if isinstance(measured_on, str):
        measured_on = dt.date.fromisoformat(measured_on)
    computed["patient"]["creatinine_measured_on"] = measured_on.isoformat() if measured_on else None
    warning = creatinine_age_warning(
        measured_on,
        first_dose=start_date,
        max_age_days=settings.DOSING_CREATININE_MAX_AGE_DAYS,
    )
    if warning:
        computed["warnings"] = [warning, *computed["warnings"]]
    return computed


def _cycles_validate(cycles: Any) -> int:
    if not isinstance(cycles, int) or isinstance(cycles, bool) or not 1 <= cycles <= MAX_CYCLES:
        raise DosingInputError(
            "cycles", f"Cycles must be a whole number between 1 and {MAX_CYCLES}."
        )
    return cycles


@transaction.atomic
def plan_create(
    *,
    user: User,
    version: RegimenVersion,
    patient: Mapping[str, Any],
    start_date: dt.date,
    cycles: int,
    patient_reference: str = "",
) -> TreatmentPlan:
    """Compute and save a plan in one transaction (nothing half-saved)."""
    dosing_settings = dosing_settings_current()
    computed = plan_compute(
        version=version,
        patient=patient,
        start_date=start_date,
        cycles=_cycles_validate(cycles),
        dosing_settings=dosing_settings,
    )
    plan = TreatmentPlan(
        status=PlanStatus.SAVED,
        regimen_version=version,
        patient_reference=patient_reference,
        patient=dict(patient),
        dosing_settings=_settings_to_dict(dosing_settings),
        start_date=start_date,
        cycles=cycles,
        computed=computed,
        created_by=user,
        team=user_team(user=user),  # the plan belongs to the creator's team (selectors)
        saved_at=timezone.now(),
    )
    plan.full_clean()
    history_reason_set(plan, "Plan saved")
    plan.save()
    calendar_body_schedule(plan=plan)
    return plan


@transaction.atomic
def plan_draft_start(*, user: User, version: RegimenVersion) -> TreatmentPlan:
    """Wizard step 1: a draft row that holds the wizard's state from here on."""
    plan = TreatmentPlan(
        regimen_version=version,
        created_by=user,
        team=user_team(user=user),
        dosing_settings=_settings_to_dict(dosing_settings_current()),
    )
    plan.full_clean()
    history_reason_set(plan, "Draft started")
    plan.save()
    return plan


def _draft_require(plan: TreatmentPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise DosingInputError("plan", PLAN_NOT_DRAFT)


@transaction.atomic
def plan_draft_set_regimen(*, plan: TreatmentPlan, version: RegimenVersion) -> TreatmentPlan:
    """Choose the regimen; a different one invalidates the calendar computed from the old one."""
    _draft_require(plan)
    if version.pk != plan.regimen_version_id:
        plan.computed = {}
    plan.regimen_version = version
    plan.full_clean()
    history_reason_set(plan, "Regimen chosen")
    plan.save()
    return plan


@transaction.atomic
def plan_draft_set_patient(*, plan: TreatmentPlan, patient: Mapping[str, Any]) -> TreatmentPlan:
    """Store the measurements; changed ones invalidate the calendar computed from the old ones."""
    _draft_require(plan)
    patient_from_data(patient)  # validates before anything is stored
    if dict(patient) != plan.patient:
        plan.computed = {}
    plan.patient = dict(patient)
    plan.full_clean()
    history_reason_set(plan, "Patient measurements entered")
    plan.save()
    return plan


@transaction.atomic
def plan_draft_set_schedule(
    *, plan: TreatmentPlan, start_date: dt.date, cycles: int, patient_reference: str
) -> TreatmentPlan:
    _draft_require(plan)
    plan.start_date = start_date
    plan.cycles = cycles
    plan.computed = plan_draft_compute(plan=plan)
    plan.patient_reference = patient_reference
    plan.full_clean()
    history_reason_set(plan, "Start date and cycles set")
    plan.save()
    return plan


_ADJUSTMENT_FIELDS = frozenset({"drug", "planned_date", "actual_date", "scope"})


def plan_draft_compute(*, plan: TreatmentPlan) -> dict[str, Any]:
    """The draft's calendar computed now from its stored inputs (regimen version, patient,
    start date, cycles, dosing settings) — never a calendar computed earlier from other inputs.

    The doses recorded on the plan it was re-computed from (late, omitted) are replayed.
    Raises :class:`DosingInputError` naming the step's field (e.g. ``cycles`` above the newly
    chosen regimen's fixed length).
    """
    if plan.start_date is None or plan.cycles is None or not plan.patient:
        raise DosingInputError("plan", "Complete the patient and schedule steps first.")
    adjustments = [a.as_dict() for a in plan.adjustments.all()]
    try:
        return plan_compute(
            version=plan.regimen_version,
            patient=plan.patient,
            start_date=plan.start_date,
            cycles=_cycles_validate(plan.cycles),
            dosing_settings=_settings_from_dict(plan.dosing_settings),
            adjustments=adjustments,
        )
    except DosingInputError as error:
        if not adjustments or error.field not in _ADJUSTMENT_FIELDS:
            raise
        raise DosingInputError(
            "plan",
            "A dose recorded on the plan this one was re-computed from no longer fits these"
            f" inputs: {error.message}. Keep the earlier inputs, or start a new plan.",
        ) from error


@transaction.atomic
def plan_draft_save(*, plan: TreatmentPlan) -> TreatmentPlan:
    """The last wizard step: the calendar is computed from the stored inputs and saved."""
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    _draft_require(plan)
    plan.computed = plan_draft_compute(plan=plan)
    plan.status = PlanStatus.SAVED
    # The creator's team when the plan is saved (it may have been assigned mid-wizard).
    plan.team = user_team(user=plan.created_by)
    plan.saved_at = timezone.now()
    plan.full_clean()
    history_reason_set(plan, "Plan saved")
    plan.save()
    calendar_body_schedule(plan=plan)
    return plan


@transaction.atomic
def plan_reschedule(
    *,
    plan: TreatmentPlan,
    user: User,
    drug: str,
    planned_date: dt.date,
    actual_date: dt.date | None,
    scope: str,
    reason: str = "",
) -> TreatmentPlan:
    """Record a dose given on another date, or omitted (X27), and recompute the calendar.

    The adjustment is validated by replaying every recorded adjustment plus this one on the
    pinned version; only then are the adjustment row and the new snapshot written.
    """
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SAVED:
        raise DosingInputError("plan", PLAN_NOT_SAVED)
    if scope not in PlanAdjustment.Scope.values:
        raise DosingInputError("scope", "Scope must be 'drug' or 'cycle'.")
    if len(reason) > REASON_MAX_LENGTH:
        raise DosingInputError("reason", text_too_long_message(len(reason)))
    late_dose_validate(
        planned_date=planned_date,
        actual_date=actual_date,
        max_delay_days=settings.DOSING_MAX_DELAY_DAYS,
    )
    adjustment = PlanAdjustment(
        plan=plan,
        drug=drug,
        planned_date=planned_date,
        actual_date=actual_date,
        scope=scope,
        reason=reason,
        recorded_by=user,
    )
    recorded = [a.as_dict() for a in plan.adjustments.all()]
    if plan.start_date is None or plan.cycles is None:
        raise DosingInputError("plan", PLAN_NOT_SAVED)
    plan.computed = plan_compute(
        version=plan.regimen_version,
        patient=plan.patient,
        start_date=plan.start_date,
        cycles=plan.cycles,
        dosing_settings=_settings_from_dict(plan.dosing_settings),
        adjustments=[*recorded, adjustment.as_dict()],
    )
    adjustment.full_clean()
    adjustment.save()
    when = "omitted" if actual_date is None else f"given on {actual_date.isoformat()}"
    plan.full_clean()
    history_reason_set(plan, f"{drug} planned {planned_date.isoformat()} {when} (scope: {scope})")
    plan.save()
    calendar_body_schedule(plan=plan)
    return plan


def _adjustment_label(adjustment: PlanAdjustment) -> str:
    when = (
        "omitted"
        if adjustment.actual_date is None
        else f"given {adjustment.actual_date.isoformat()}"
    )
    return f"{adjustment.drug} planned {adjustment.planned_date.isoformat()} ({when})"


def _adjustments_not_carried_over(
    *,
    plan: TreatmentPlan,
    version: RegimenVersion,
    start_date: dt.date,
    cycles: int,
    adjustments: list[PlanAdjustment],
) -> list[str]:
    """The recorded doses that cannot be replayed on ``version``, each with the reason.

    Replayed in the order they were recorded (as on the old plan); when the whole replay fails,
    each is replayed in turn and one that fails is left out, so every other failure is found too.
    """

    def replay(items: list[dict[str, Any]]) -> None:
        schedule_compute(
            version=version,
            patient=plan.patient,
            start_date=start_date,
            cycles=cycles,
            dosing_settings=_settings_from_dict(plan.dosing_settings),
            adjustments=items,
        )

    try:
        replay([a.as_dict() for a in adjustments])
    except InvalidInput:
        pass
    else:
        return []
    applied: list[dict[str, Any]] = []
    failures: list[str] = []
    for adjustment in adjustments:
        try:
            replay([*applied, adjustment.as_dict()])
        except InvalidInput as error:
            failures.append(f"{_adjustment_label(adjustment)}: {error.message}")
        else:
            applied.append(adjustment.as_dict())
    return failures


@transaction.atomic
def plan_recompute_as_new(*, plan: TreatmentPlan, user: User) -> TreatmentPlan:
    """A new draft plan on the newer published version with the same inputs — never in place.

    The old plan stays as it was; the clinician reviews the new calendar before saving it. The
    doses recorded on the old plan (given late, omitted; X27) are copied to the new one and
    replayed; if one of them no longer exists in the new version the re-compute is refused,
    naming each such dose — a recorded dose is never dropped silently.
    """
    newer = plan_newer_version(plan=plan)
    if newer is None or plan.start_date is None or plan.cycles is None:
        raise DosingInputError("plan", "There is no newer published version of this regimen.")
    recorded = list(plan.adjustments.select_related("recorded_by"))
    failures = _adjustments_not_carried_over(
        plan=plan,
        version=newer,
        start_date=plan.start_date,
        cycles=plan.cycles,
        adjustments=recorded,
    )
    if failures:
        raise DosingInputError(
            "plan",
            f"Not re-computed: {len(failures)} recorded dose(s) cannot be carried over to"
            f" version {newer.number} — " + "; ".join(failures) + ". Plan the new version by"
            " hand, or keep this plan.",
        )
    draft = plan_draft_start(user=user, version=newer)
    plan_draft_set_patient(plan=draft, patient=plan.patient)
    for adjustment in recorded:
        copied = PlanAdjustment.objects.create(
            plan=draft,
            drug=adjustment.drug,
            planned_date=adjustment.planned_date,
            actual_date=adjustment.actual_date,
            scope=adjustment.scope,
            reason=adjustment.reason,
            recorded_by=adjustment.recorded_by,
        )
        # When it was recorded, not when it was copied.
        PlanAdjustment.objects.filter(pk=copied.pk).update(recorded_at=adjustment.recorded_at)
    return plan_draft_set_schedule(
        plan=draft,
        start_date=plan.start_date,
        cycles=plan.cycles,
        patient_reference=plan.patient_reference,
    )
