"""The plan wizard through the Django test client: one URL per step, errors kept, PRG."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from dosing.models import PlanAdjustment, TreatmentPlan

pytestmark = pytest.mark.django_db

D1_PATIENT = {
    # domain-reference §18.3 D1: 68-year-old man, 72 kg, creatinine 0.9 mg/dL.
    "age_years": "68",
    "sex": "male",
    "weight_kg": "72",
    "height_cm": "178",
    "creatinine_value": "0.9",
    "creatinine_unit": "mg/dL",
    "measured_on": "2026-01-05",
}


def _start(client: Client, regimen: str = "isa-pd") -> TreatmentPlan:
    response = client.post(reverse("dosing:plan_new"), {"regimen": regimen})
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get()
    assert response["Location"] == reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    return plan


def test_wizard_to_a_saved_plan_d1(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    plan = _start(clinician_client)
    url = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    assert clinician_client.post(url, D1_PATIENT).status_code == 302

    with django_assert_max_num_queries(5):
        doses = clinician_client.get(reverse("dosing:plan_doses", kwargs={"pk": plan.pk}))
    body = doses.content.decode()
    assert "720" in body  # 10 mg/kg × 72 kg (D1)
    assert "10 mg/kg × 72 kg" in body
    assert "1 × 500 mg" in body and "3 × 100 mg" in body
    assert "36" in body  # mL of concentrate

    schedule = reverse("dosing:plan_schedule", kwargs={"pk": plan.pk})
    response = clinician_client.post(
        schedule, {"start_date": "2026-01-05", "cycles": "2", "patient_reference": "MM-0042"}
    )
    assert response.status_code == 302
    preview = clinician_client.get(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    body = preview.content.decode()
    for date in ("Mon 5 Jan 2026", "Mon 12 Jan 2026", "Mon 2 Feb 2026", "Mon 16 Feb 2026"):
        assert date in body
    saved = clinician_client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "saved"
    assert plan.patient_reference == "MM-0042"
    isatuximab = [a["date"] for a in plan.computed["administrations"] if a["drug"] == "isatuximab"]
    assert isatuximab == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-16",
    ]
    detail = clinician_client.get(saved["Location"])
    assert detail.status_code == 200
    assert "MM-0042" in detail.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("weight_kg", "25", "from 30 to 250 kg"),
        ("height_cm", "260", "from 120 to 230 cm"),
        ("age_years", "12", "between 18 and 110"),
        ("creatinine_value", "5000", "2000"),
        ("weight_kg", "heavy", "Enter Weight (kg) as a number, like 6.1 or 6,1."),
    ],
)
def test_patient_step_errors_name_field_and_keep_values(
    clinician_client: Client, field: str, value: str, words: str
) -> None:
    plan = _start(clinician_client)
    data = D1_PATIENT | {field: value}
    if field == "creatinine_value":
        data["creatinine_unit"] = "umol/L"
    response = clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert words in body
    assert f'value="{value}"' in body
    plan.refresh_from_db()
    assert plan.patient == {}  # nothing half-saved


def test_fixed_length_regimen_refuses_too_many_cycles(clinician_client: Client) -> None:
    plan = _start(clinician_client, "isa-vrd-gmmg-hd7")
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    response = clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-01-05", "cycles": "4"},
    )
    assert response.status_code == 200
    assert "3" in response.content.decode()
    assert 'value="4"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.cycles is None


def test_impossible_date_is_refused(clinician_client: Client) -> None:
    plan = _start(clinician_client)
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    response = clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-02-30", "cycles": "2"},
    )
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_pending_regimen_is_labelled(clinician_client: Client) -> None:
    plan = _start(clinician_client, "isa-vrd-imroz")
    body = clinician_client.get(
        reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    ).content.decode()
    assert "pending verification" in body


def test_reschedule_late_isatuximab_keeps_interval(clinician_client: Client) -> None:
    plan = _start(clinician_client)
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-01-05", "cycles": "2"},
    )
    clinician_client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    url = reverse("dosing:plan_reschedule", kwargs={"pk": plan.pk})
    form = clinician_client.get(url + "?drug=isatuximab&date=2026-01-19")
    assert form.status_code == 200
    response = clinician_client.post(
        url,
        {"administration": "isatuximab|2026-01-19", "actual_date": "2026-01-21", "scope": "drug"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    dates = [a["date"] for a in plan.computed["administrations"] if a["drug"] == "isatuximab"]
    # X27: 19 Jan given on 21 Jan ⇒ every later isatuximab dose moves 2 days.
    assert dates == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-21",
        "2026-01-28",
        "2026-02-04",
        "2026-02-18",
    ]
    assert PlanAdjustment.objects.filter(plan=plan).count() == 1
    assert "given on another date" in clinician_client.get(response["Location"]).content.decode()


def test_another_users_plan_is_404(clinician_client: Client, editor: User) -> None:
    plan = _start(clinician_client)
    other = Client()
    other.force_login(editor)
    assert other.get(reverse("dosing:plan_patient", kwargs={"pk": plan.pk})).status_code == 404


def test_daratumumab_premedication_and_zoster_advice_on_the_plan_page(
    clinician_client: Client, clinician: User
) -> None:
    """Issue 11: daratumumab premedication (before and after, with its source, pending) and the
    herpes-zoster advice are shown on the plan page like isatuximab's premedication."""
    from dosing.selectors import regimen_version_published
    from dosing.services import plan_create

    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="dkd"),
        patient={
            "age_years": 60,
            "sex": "male",
            "weight_kg": 72,
            "height_cm": 178,
            "creatinine": {"value": 0.9, "unit": "mg/dL"},
            "on_dialysis": False,
            "measured_on": "2026-01-05",
        },
        start_date=dt.date(2026, 1, 5),
        cycles=1,
        patient_reference="MM-0043",
    )
    body = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": plan.pk})).content
    text = body.decode()
    listing = clinician_client.get(reverse("dosing:plan_administrations", kwargs={"pk": plan.pk}))
    by_date = listing.content.decode()
    premed = by_date[by_date.index('data-testid="premedication"') :][:1500]
    assert "1–3 hours before every daratumumab infusion" in premed
    assert "paracetamol (antipyretic) 650–1000 mg" in premed
    assert "After: corticosteroid after the infusion" in premed
    assert "DARZALEX SmPC section 4.2" in premed and "pending verification" in premed
    care = text[text.index('data-testid="supportive-care"') :][:1500]
    assert "antiviral prophylaxis (e.g. aciclovir or valaciclovir)" in care
    assert "pending verification" in care
    assert "X12" not in text


def test_preview_shows_daratumumab_premedication_and_zoster_advice(
    clinician_client: Client,
) -> None:
    plan = _start(clinician_client, "d-vrd-cepheus")
    patient = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    assert clinician_client.post(patient, D1_PATIENT).status_code == 302
    schedule = reverse("dosing:plan_schedule", kwargs={"pk": plan.pk})
    response = clinician_client.post(
        schedule, {"start_date": "2026-01-05", "cycles": "1", "patient_reference": "MM-0044"}
    )
    assert response.status_code == 302
    body = clinician_client.get(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    text = body.content.decode()
    assert text.count('data-testid="premedication"') == 3  # daratumumab C1 D1, 8, 15
    assert "1–3 hours before every daratumumab injection" in text
    assert "After: corticosteroid after the injection" in text
    assert 'data-testid="supportive-care"' in text
    # C1 D15 (Mon 19 Jan) has daratumumab without dexamethasone: flagged, citing daratumumab
    assert "2026-01-19: daratumumab C1 D15 has no dexamethasone the same day" in text
    assert "DARZALEX SmPC section 4.2, pending verification" in text
