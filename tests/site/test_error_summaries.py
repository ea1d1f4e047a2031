"""The GOV.UK error summary on the staging, treatment, response and toxicity forms.

Each message links to its field and says what is wrong and how to fix it in the user's words and
units, with the number as typed — never a field name or a raw float.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create

pytestmark = pytest.mark.django_db


def _summary(body: str) -> list[tuple[str, str]]:
    """(link target, message) of each entry of the error summary."""
    box = body.split('data-testid="error-summary"')[1].split("</div>")[0]
    return [
        (target, " ".join(text.split()))
        for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', box, re.S)
    ]


def _has_field(body: str, element_id: str) -> bool:
    return f'id="{element_id}"' in body


def test_staging_lab_out_of_range_in_the_unit_entered(clinician_client: Client) -> None:
    body = clinician_client.post(
        reverse("staging:index"),
        {
            # Creatinine 10–2,000 µmol/L (myeloma_core.units); ÷ 88.4 (U1) = 0.11–22.63 mg/dL,
            # rounded outward. 1500 fits µmol/L, so the unit is asked about.
            "creatinine_value": "1500",
            "creatinine_unit": "mg/dL",
            # Albumin 10–60 g/L = 1–6 g/dL (U2); "0,5" is shown as typed.
            "albumin_value": "0,5",
            "albumin_unit": "g/dL",
            "beta2_microglobulin_unit": "mg/L",
        },
    ).content.decode()
    summary = dict(_summary(body))
    assert summary["id_creatinine_value"] == (
        # 1500 µmol/L ÷ 88.4 = 16.968… → 16.97 mg/dL.
        "1500 mg/dL is not possible for creatinine. Did you mean 1500 µmol/L (16.97 mg/dL)? "
        "Enter creatinine between 0.11 and 22.63 mg/dL."
    )
    assert summary["id_albumin_value"] == (
        "0,5 g/dL is not possible for albumin. Enter albumin between 1 and 6 g/dL."
    )
    assert _has_field(body, "id_creatinine_value") and _has_field(body, "id_albumin_value")


def test_staging_range_bounds_are_grouped_in_the_users_language(clinician_client: Client) -> None:
    data = {
        "creatinine_value": "25000",
        "creatinine_unit": "umol/L",
        "albumin_unit": "g/L",
        "beta2_microglobulin_unit": "mg/L",
    }
    english = dict(_summary(clinician_client.post(reverse("staging:index"), data).content.decode()))
    assert english["id_creatinine_value"].endswith("between 10 and 2,000 µmol/L.")
    clinician_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = dict(_summary(clinician_client.post(reverse("staging:index"), data).content.decode()))
    assert "2.000 µmol/L" in dutch["id_creatinine_value"]
    assert "2,000" not in dutch["id_creatinine_value"]


def test_frailty_item_out_of_range(clinician_client: Client) -> None:
    body = clinician_client.post(
        reverse("staging:frailty"), {"ecog_performance_status": "7", "age_years": "seventy"}
    ).content.decode()
    summary = dict(_summary(body))
    # ECOG is 0–4 (Oken 1982, domain-reference §8.2); age a whole number.
    assert summary["id_ecog_performance_status"] == (
        "Enter ECOG performance status (0–4) between 0 and 4."
    )
    assert summary["id_age_years"] == "Enter age (years) as a whole number, like 2."
    assert 'value="seventy"' in body


def test_treatment_form_errors_name_no_field(clinician_client: Client) -> None:
    body = clinician_client.post(reverse("treatment:index"), {"prior_lines": "40"}).content.decode()
    summary = _summary(body)
    assert ("id_setting_0", "Choose the setting.") in summary  # the first radio of the group
    assert ("id_prior_lines", "Enter prior lines of therapy between 0 and 20.") in summary
    assert "prior_lines" not in " ".join(message for _target, message in summary)
    assert _has_field(body, "id_setting_0")


@pytest.fixture
def plan(clinician: User) -> TreatmentPlan:
    return plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient={
            "age_years": 68,
            "sex": "male",
            "weight_kg": 72,
            "height_cm": 178,
            "creatinine": {"value": 0.9, "unit": "mg/dL"},
            "on_dialysis": False,
            "measured_on": "2026-01-05",
        },
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )


def test_response_form_summary(clinician_client: Client, plan: TreatmentPlan) -> None:
    body = clinician_client.post(
        reverse("followup:assessment_create", kwargs={"pk": plan.pk}),
        {
            "serum_m_protein_unit": "g/L",
            "urine_m_protein_unit": "mg/24h",
            "involved_flc": "abc",
            "involved_flc_unit": "mg/L",
            "uninvolved_flc_unit": "mg/L",
            "mrd_method": "ngs",
        },
    ).content.decode()
    summary = dict(_summary(body))
    assert summary["id_date"] == "Enter the date of the assessment."
    assert summary["id_involved_flc"] == (
        "Enter involved free light chain as a number, like 6.1 or 6,1."
    )
    assert 'value="abc"' in body


def test_toxicity_form_summary(clinician_client: Client) -> None:
    body = clinician_client.post(
        reverse("followup:toxicity_icans"),
        {
            "orientation": "x",
            "naming": "3",
            "commands": "1",
            "writing": "1",
            "attention": "1",
            "consciousness": "normal",
            "seizure": "none",
            "motor_weakness": "none",
            "cerebral_oedema": "none",
        },
    ).content.decode()
    summary = dict(_summary(body))
    assert summary["id_orientation"] == "Enter ICE: orientation (0–4) as a whole number, like 2."
    assert _has_field(body, "id_orientation")
