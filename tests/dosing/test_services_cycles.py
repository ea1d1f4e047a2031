"""The services refuse a cycle count outside 1–60 with the message they promise, saving nothing
(issue 18: ``_cycles_validate`` promised "1 and 60" but checked only the type)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from dosing.models import ContentStatus, Regimen, TreatmentPlan
from dosing.services import plan_create
from myeloma_core.dosing import DosingInputError

pytestmark = pytest.mark.django_db

PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
}


@pytest.mark.parametrize("cycles", [0, -1, 61, 1000])
def test_plan_create_refuses_cycles_outside_1_to_60(clinician: User, cycles: int) -> None:
    version = Regimen.objects.get(slug="isa-pd").versions.get(status=ContentStatus.PUBLISHED)
    with pytest.raises(DosingInputError) as refused:
        plan_create(
            user=clinician,
            version=version,
            patient=PATIENT,
            start_date=dt.date(2026, 1, 5),
            cycles=cycles,
        )
    assert refused.value.field == "cycles"
    assert refused.value.message == "Cycles must be a whole number between 1 and 60."
    assert not TreatmentPlan.objects.exists()
