"""Dosing endpoints of the JSON API (docs/api.md): regimens, previews, saved plans.

Thin endpoints over ``dosing.services``, the same services the plan wizard uses. Pydantic checks
shapes and types (numbers, dates, literals); every clinical range (age, weight, height,
creatinine, cycles, the regimen's fixed length) is checked by the domain, so each message comes
from one place. Domain errors (``InvalidInput``) become HTTP 422 in ``myeloma_site.api``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, cast
from uuid import UUID

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator, BeforeValidator

from dosing.models import PlanStatus, TreatmentPlan
from dosing.selectors import (
    plan_visible,
    regimen_version_published,
    regimen_versions_published,
)
from dosing.services import plan_compute, plan_create, plan_reschedule
from governance.text_limits import REASON_MAX_LENGTH, text_too_long_message
from myeloma_core.dosing import DosingInputError, creatinine_measured_on_check

router = Router(tags=["dosing"])

PLAN_NOT_FOUND = "No such saved plan."


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value: object) -> object:
    """Dates are ISO ``YYYY-MM-DD`` strings (api-v1), not timestamps or datetimes."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("Dates are ISO YYYY-MM-DD, e.g. 2026-01-05.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]


def _reason_text(value: str) -> str:
    """A reason is at most ``REASON_MAX_LENGTH`` characters: 422 naming the field and the length."""
    if len(value) > REASON_MAX_LENGTH:
        raise ValueError(text_too_long_message(len(value)))
    return value


ReasonText = Annotated[str, AfterValidator(_reason_text)]
# JSON numbers and booleans only: no "72" strings, and never true read as 1.
StrictNumber = Annotated[float, Field(strict=True)]
StrictWhole = Annotated[int, Field(strict=True)]


# --------------------------------------------------------------------------------------------------
# Regimens
# --------------------------------------------------------------------------------------------------


class CycleLengthOut(Schema):
    cycles: tuple[int, int | None] = Field(
        description="First and last cycle of the rule; the last is null when open-ended."
    )
    length_days: int


class RegimenOut(Schema):
    slug: str
    name: str
    version: int = Field(description="The published version number of the regimen content.")
    cycle_lengths: list[CycleLengthOut]
    max_cycles: int | None = Field(
        description="The fixed number of cycles (e.g. GMMG-HD7 induction: 3); null when the "
        "regimen continues until progression or toxicity."
    )
    verification: Literal["verified", "pending"]
    verification_note: str
    checked_by: str | None = Field(
        description="Verified content only: what or who it was checked against (its "
        "verification record); null when pending."
    )
    date_reviewed: dt.date | None = Field(
        description="Verified content only: the day of that check; null when pending."
    )
    source: str
    drugs: list[str] = Field(description="Lower-case INNs, in the regimen's component order.")


def _record(version: Any) -> dict[str, Any]:
    """A verified version's verification record (what it was checked against, when)."""
    verified = version.verification == "verified" and version.checked_by
    return {
        "checked_by": version.checked_by if verified else None,
        "date_reviewed": version.date_reviewed if verified else None,
    }


@router.get(
    "/regimens",
    response=list[RegimenOut],
    summary="The published regimens",
    description=(
        "Every regimen the clinic may plan with, at its published version: cycle lengths, the "
        "fixed number of cycles (if any), its drugs and whether its content is verified or "
        "pending verification."
    ),
)
def regimens(request: HttpRequest) -> list[dict[str, Any]]:
    result = []
    for version in regimen_versions_published():
        spec = version.to_domain()
        result.append(
            {
                "slug": version.regimen.slug,
                "name": version.name,
                "version": version.number,
                "cycle_lengths": [
                    {
                        "cycles": (rule.cycles.first, rule.cycles.last),
                        "length_days": rule.length_days,
                    }
                    for rule in spec.cycle_rules
                ],
                "max_cycles": spec.max_cycles,
                "verification": version.verification,
                "verification_note": version.verification_note,
                **_record(version),
                "source": version.source,
                "drugs": list(dict.fromkeys(spec.drugs)),
            }
        )
    return result


# --------------------------------------------------------------------------------------------------
# Preview
# --------------------------------------------------------------------------------------------------


class CreatinineIn(Schema):
    value: StrictNumber = Field(description="Serum creatinine in the unit given.")
    unit: str = Field(description='"umol/L" (also "µmol/L") or "mg/dL".')


class PatientIn(Schema):
    age_years: StrictWhole = Field(description="Whole years (18–110).")
    sex: Literal["male", "female"]
    weight_kg: StrictNumber = Field(
        description="Actual body weight in kg, measured before the cycle (30–250)."
    )
    height_cm: StrictNumber = Field(description="Height in cm (120–230).")
    creatinine: CreatinineIn
    on_dialysis: bool = Field(default=False, strict=True)
    measured_on: IsoDate | None = Field(
        default=None,
        description="The date the creatinine was measured (ISO date): never in the future; a "
        "warning when it is older than the site's limit (DOSING_CREATININE_MAX_AGE_DAYS, default "
        "7) at cycle 1 day 1, or not given.",
    )


class PreviewIn(Schema):
    regimen: str = Field(description="A published regimen slug, e.g. isa-pd.")
    start_date: IsoDate = Field(description="Cycle 1 day 1 (ISO date).")
    cycles: StrictWhole = Field(
        description="Number of cycles (1–60, at most the regimen's max_cycles when it has one)."
    )
    patient: PatientIn


class RegimenRefOut(Schema):
    slug: str
    name: str
    version: int
    verification: Literal["verified", "pending"]
    verification_note: str
    source: str


class DosingSettingsOut(Schema):
    bsa_formula: str
    crcl_weight_basis: str
    jurisdiction: str


class PatientOut(Schema):
    bsa_m2: float = Field(description="Body-surface area, shown to 2 decimals.")
    bsa_formula: str
    creatinine_clearance_ml_min: float
    creatinine_clearance_formula: str
    creatinine_clearance_weight_basis: str
    creatinine_clearance_explanation: str
    creatinine_measured_on: str | None = Field(
        description="ISO date the creatinine was measured; null when not given."
    )


class CycleOut(Schema):
    number: int
    start_date: str = Field(description="ISO date.")
    length_days: int


class MilestoneOut(Schema):
    date: str = Field(description="ISO date.")
    after_cycle: int
    label: str
    source: str
    verification: Literal["verified", "pending"]


class SupportiveCareOut(Schema):
    text: str
    patient_note: str | None = Field(
        default=None, description='Key of the patient text the calendar prints ("herpes_zoster").'
    )
    source: str
    verification: Literal["verified", "pending"]
    verification_note: str


ADMINISTRATION_DESCRIPTION = (
    "One drug on one date (one entry per drug per day; the dexamethasone that doubles as "
    "premedication is one entry). Keys: date, planned_date, cycle, day, drug, "
    'dose {value, unit}, route ("iv" | "sc" | "po"), calculation, rule_applied, inputs, '
    'status ("planned" | "given" | "omitted"), order, warnings; for vial drugs vials '
    "[{strength_mg, count}], vials_total_mg, vials_waste_mg; volume_ml for infusions from a "
    "concentrate; infusion_number and infusion_minutes for numbered infusions; premedication "
    '[{name, dose, route, rule, text, when ("before" | "after")}] with premedication_timing '
    "{before, before_minutes [min, max] | null, after, source, verification}."
)


class PreviewOut(Schema):
    regimen: RegimenRefOut
    start_date: str = Field(description="ISO date.")
    dosing_settings: DosingSettingsOut
    patient: PatientOut
    cycles: list[CycleOut]
    administrations: list[dict[str, Any]] = Field(description=ADMINISTRATION_DESCRIPTION)
    milestones: list[MilestoneOut]
    supportive_care: list[SupportiveCareOut] = Field(
        default_factory=list,
        description="Advice for the whole regimen (e.g. herpes-zoster prophylaxis with anti-CD38"
        " antibodies), each with its source and verification status (plans saved before"
        " it existed: empty).",
    )
    warnings: list[str]
    notes: list[str]


def _patient_data(patient: PatientIn) -> dict[str, Any]:
    """The patient as stored with a plan (JSON: the date as ISO text); a future date is refused."""
    data = patient.model_dump()
    if patient.measured_on is not None:
        try:
            creatinine_measured_on_check(patient.measured_on, today=timezone.localdate())
        except DosingInputError as error:
            raise DosingInputError(f"patient.{error.field}", error.message) from error
        data["measured_on"] = patient.measured_on.isoformat()
    return data


@router.post(
    "/dosing/preview",
    response=PreviewOut,
    summary="Preview a dosing calendar (nothing is saved)",
    description=(
        "Computes every dose and date of a published regimen for one patient: BSA and "
        "creatinine clearance with the formulas named, one administration per drug per day with "
        "its calculation and vials, and the warnings (pending verification, weekend clinic "
        "days, renal adjustments). Invalid input → 422 naming the field, its unit and range."
    ),
)
def dosing_preview(request: HttpRequest, payload: PreviewIn) -> dict[str, Any]:
    version = regimen_version_published(slug=payload.regimen)
    patient = _patient_data(payload.patient)
    return plan_compute(
        version=version,
        patient=patient,
        start_date=payload.start_date,
        cycles=payload.cycles,
    )


# --------------------------------------------------------------------------------------------------
# Saved plans
# --------------------------------------------------------------------------------------------------


class PlanIn(PreviewIn):
    patient_reference: str = Field(
        default="",
        max_length=40,
        description="A pseudonymous clinic reference. Never a name or national ID.",
    )


class AdjustmentOut(Schema):
    drug: str
    planned_date: dt.date
    actual_date: dt.date | None = Field(description="null when the dose was omitted.")
    scope: Literal["drug", "cycle"]
    reason: str
    recorded_at: dt.datetime


class PlanOut(PreviewOut):
    id: str = Field(description="The plan's UUID.")
    pdf_url: str = Field(
        description="The patient calendar (application/pdf). GET: with a blank name line; "
        "POST a form with `name` (and the CSRF token) to print the name on the cover. "
        "`?lang=` picks one of the site's languages."
    )
    ics_url: str = Field(description="The calendar file (text/calendar); `?lang=`, `?reminders=1`.")
    patient_reference: str
    status: Literal["saved"]
    adjustments: list[AdjustmentOut]


class RescheduleIn(Schema):
    drug: str = Field(description="Lower-case INN of a drug in the plan.")
    planned_date: IsoDate = Field(description="The date the dose is currently planned for.")
    actual_date: IsoDate | None = Field(
        description="The date it was given, or null when it was omitted (required either way)."
    )
    scope: Literal["drug", "cycle"] = Field(
        description='"drug": that drug\'s later doses keep the protocol interval; "cycle": '
        "every later administration moves."
    )
    reason: ReasonText = Field(
        default="",
        description=f"Why (free text, at most {REASON_MAX_LENGTH} characters).",
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # django_auth: never anonymous here


def _plan_saved(request: HttpRequest, plan_id: UUID) -> TreatmentPlan:
    """A saved plan this user may see (``plans_visible_to``), else 404 (never 403)."""
    plan = plan_visible(user=_user(request), pk=plan_id, status=PlanStatus.SAVED)
    if plan is None:
        raise HttpError(404, PLAN_NOT_FOUND)
    return plan


def _plan_data(plan: TreatmentPlan) -> dict[str, Any]:
    return {
        **plan.computed,
        "id": str(plan.pk),
        "pdf_url": reverse("dosing:plan_calendar_pdf", kwargs={"pk": plan.pk}),
        "ics_url": reverse("dosing:plan_calendar_ics", kwargs={"pk": plan.pk}),
        "patient_reference": plan.patient_reference,
        "status": plan.status,
        "adjustments": [
            {
                "drug": a.drug,
                "planned_date": a.planned_date,
                "actual_date": a.actual_date,
                "scope": a.scope,
                "reason": a.reason,
                "recorded_at": a.recorded_at,
            }
            for a in plan.adjustments.all()
        ],
    }


@router.post(
    "/plans",
    response={201: PlanOut},
    summary="Save a plan pinned to the regimen's current version",
    description=(
        "Same request as the preview plus an optional pseudonymous patient_reference. The plan "
        "stores the regimen version, the inputs and the computed calendar; later changes to the "
        "regimen's content never change it. Returns the calendar with the plan's id."
    ),
)
def plans_create(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    version = regimen_version_published(slug=payload.regimen)
    patient = _patient_data(payload.patient)
    plan = plan_create(
        user=_user(request),
        version=version,
        patient=patient,
        start_date=payload.start_date,
        cycles=payload.cycles,
        patient_reference=payload.patient_reference,
    )
    return Status(201, _plan_data(plan))


@router.get(
    "/plans/{plan_id}",
    response=PlanOut,
    summary="A saved plan",
    description=(
        "The plan as stored (its calendar, with every recorded late or omitted dose applied) "
        "and the list of those adjustments. Only saved plans of your team (your own when you "
        "have no team); 404 otherwise."
    ),
)
def plans_detail(request: HttpRequest, plan_id: UUID) -> dict[str, Any]:
    return _plan_data(_plan_saved(request, plan_id))


@router.post(
    "/plans/{plan_id}/reschedule",
    response=PlanOut,
    summary="Record a dose given on another date, or omitted",
    description=(
        "X27: a planned dose was given on actual_date (or omitted: actual_date null). With "
        'scope "drug" that drug\'s later doses move by the same delay so the protocol interval '
        'is kept; with scope "cycle" every later administration moves (X28: the clinician '
        "confirms). The dexamethasone that is a moved infusion's premedication moves with it "
        "(X12). drug and planned_date name the dose: it must be planned in the plan's current "
        "calendar (a dose already recorded or moved → 422 naming planned_date). actual_date "
        "must be after that drug's previous dose and at most 28 days (site setting "
        "DOSING_MAX_DELAY_DAYS) after planned_date — later: record it omitted and re-plan. "
        "reason: at most 500 characters. Nothing is recorded when the request is refused. "
        "The calendar is recomputed on the plan's pinned regimen version. Returns the plan."
    ),
)
def plans_reschedule(request: HttpRequest, plan_id: UUID, payload: RescheduleIn) -> dict[str, Any]:
    saved = _plan_saved(request, plan_id)
    plan = plan_reschedule(
        plan=saved,
        user=_user(request),
        drug=payload.drug,
        planned_date=payload.planned_date,
        actual_date=payload.actual_date,
        scope=payload.scope,
        reason=payload.reason,
    )
    return _plan_data(plan)
