"""Services validate every row before they write it (HackSoft styleguide, issue 18): a value the
model refuses is refused by the service too, whatever the caller checked, and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from dosing.models import ContentStatus, Regimen, RegimenVersion, TreatmentPlan
from dosing.services import plan_create, plan_draft_set_schedule, plan_draft_start

pytestmark = pytest.mark.django_db

PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
}
TOO_LONG_REFERENCE = "R" * 41  # the model allows 40 characters


def _isa_pd() -> RegimenVersion:
    return Regimen.objects.get(slug="isa-pd").versions.get(status=ContentStatus.PUBLISHED)


def test_plan_create_refuses_a_reference_longer_than_the_model_allows(clinician: User) -> None:
    with pytest.raises(ValidationError) as refused:
        plan_create(
            user=clinician,
            version=_isa_pd(),
            patient=PATIENT,
            start_date=dt.date(2026, 1, 5),
            cycles=2,
            patient_reference=TOO_LONG_REFERENCE,
        )
    assert set(refused.value.message_dict) == {"patient_reference"}
    assert not TreatmentPlan.objects.exists()


def test_a_draft_without_measurements_is_valid(clinician: User) -> None:
    draft = plan_draft_start(user=clinician, version=_isa_pd())
    draft.full_clean()
    assert draft.patient == {}


def test_the_schedule_step_refuses_a_reference_longer_than_the_model_allows(
    clinician: User,
) -> None:
    draft = plan_draft_start(user=clinician, version=_isa_pd())
    draft.patient = PATIENT
    draft.save()
    with pytest.raises(ValidationError):
        plan_draft_set_schedule(
            plan=draft,
            start_date=dt.date(2026, 1, 5),
            cycles=2,
            patient_reference=TOO_LONG_REFERENCE,
        )
    draft.refresh_from_db()
    assert draft.patient_reference == ""
