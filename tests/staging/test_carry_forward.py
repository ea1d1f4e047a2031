"""What staging found is carried to treatment options and the plan wizard, never typed again.

Through the Django test client: the session's current assessment (webparts.current_assessment)
prefills the treatment form (setting, frailty), shows R2-ISS and the IMS/IMWG result beside the
options, and prefills the plan's patient step (age, creatinine as typed, its unit). Nothing of it
goes into a URL; "clear", a saved plan and age end it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dosing.models import TreatmentPlan
from tests.staging.test_views import CASE_6
from webparts import current_assessment

pytestmark = pytest.mark.django_db

# Simplified frailty (Facon 2020): age 78 → 1, CCI 2 → 1, ECOG 1 → 1; total 3 ≥ 2 ⇒ frail.
FRAIL_78 = {"age_years": "78", "charlson_comorbidity_index": "2", "ecog_performance_status": "1"}

# IMWG 2014: clonal plasma cells 60 % is a myeloma-defining event ⇒ multiple myeloma.
MYELOMA_60 = {
    "clonal_bone_marrow_plasma_cells_percent": "60",
    **{
        f"{lab}_unit": unit
        for lab, unit in (
            ("serum_m_protein", "g/dL"),
            ("calcium", "mg/dL"),
            ("calcium_upper_limit_normal", "mg/dL"),
            ("creatinine", "mg/dL"),
            ("haemoglobin", "g/dL"),
            ("haemoglobin_lower_limit_normal", "g/dL"),
        )
    },
}


def _checked(body: str, name: str, value: str) -> bool:
    """The radio button ``name``=``value`` is checked (whatever the attribute order)."""
    for tag in re.findall(r"<input[^>]*>", body):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return bool(re.search(r"\schecked[\s>]", tag))
    raise AssertionError(f"no radio button {name}={value}")


def test_staging_results_arrive_in_treatment_options(clinician_client: Client) -> None:
    staging = clinician_client.post(reverse("staging:index"), CASE_6 | {"creatinine_value": "1,1"})
    link = reverse("treatment:index")
    assert f'href="{link}"' in staging.content.decode()  # no result in the URL

    body = clinician_client.get(link).content.decode()
    from_staging = body.split('data-testid="from-staging"')[1].split("</section>")[0]
    assert re.search(r"<strong>\s*III\s*</strong>", from_staging)  # §18.1 Case 6: R2-ISS III
    assert "High risk" in from_staging
    carried = body.split('data-testid="current-assessment"')[1].split("</section>")[0]
    assert "1,1 mg/dL" in carried  # as typed, with its unit


def test_frailty_and_diagnosis_prefill_the_treatment_form(clinician_client: Client) -> None:
    clinician_client.post(reverse("staging:frailty"), FRAIL_78)
    clinician_client.post(reverse("staging:diagnosis"), MYELOMA_60)
    body = clinician_client.get(reverse("treatment:index")).content.decode()
    assert _checked(body, "frailty", "frail")
    assert _checked(body, "setting", "ndmm")


def test_high_risk_smouldering_prefills_its_setting(clinician_client: Client) -> None:
    # 2/20/20: M-protein 2.5 g/dL > 2, FLC ratio 25 > 20, plasma cells 25 % > 20 ⇒ high risk.
    clinician_client.post(
        reverse("staging:smouldering"),
        {
            "m_protein_value": "2.5",
            "m_protein_unit": "g/dL",
            "flc_ratio": "25",
            "bone_marrow_plasma_cells_percent": "25",
        },
    )
    body = clinician_client.get(reverse("treatment:index")).content.decode()
    assert _checked(body, "setting", "smouldering_high_risk")


def test_start_a_plan_prefills_regimen_and_patient_measurements(clinician_client: Client) -> None:
    clinician_client.post(
        reverse("staging:index"),
        CASE_6 | {"creatinine_value": "98", "creatinine_unit": "umol/L"},
    )
    clinician_client.post(reverse("staging:frailty"), FRAIL_78)

    regimen_step = clinician_client.get(reverse("dosing:plan_new") + "?regimen=isa-pd")
    assert _checked(regimen_step.content.decode(), "regimen", "isa-pd")
    clinician_client.post(reverse("dosing:plan_new"), {"regimen": "isa-pd"})
    plan = TreatmentPlan.objects.get()

    patient_step = clinician_client.get(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}))
    body = patient_step.content.decode()
    assert re.search(r'name="age_years" value="78"', body)
    assert re.search(r'name="creatinine_value" value="98"', body)
    assert re.search(r'<option value="umol/L" selected>', body)
    assert 'data-testid="current-assessment"' in body
    assert "98" not in patient_step.request["QUERY_STRING"]


def test_a_page_forgets_only_its_own_emptied_values(clinician_client: Client) -> None:
    clinician_client.post(reverse("staging:index"), CASE_6)
    clinician_client.post(reverse("staging:frailty"), FRAIL_78)
    clinician_client.post(reverse("staging:index"), CASE_6 | {"creatinine_value": ""})
    current = clinician_client.session[current_assessment.SESSION_KEY]["values"]
    assert "creatinine_value" not in current and "creatinine_unit" not in current
    assert current["age_years"] == ["78", "frailty"]


def test_clear_ends_the_assessment(clinician_client: Client) -> None:
    clinician_client.post(reverse("staging:frailty"), FRAIL_78)
    response = clinician_client.post(
        reverse("staging:assessment_clear"), {"next": reverse("treatment:index")}
    )
    assert response["Location"] == reverse("treatment:index")
    body = clinician_client.get(reverse("treatment:index")).content.decode()
    assert 'data-testid="current-assessment"' not in body
    assert not _checked(body, "frailty", "frail")


def test_clear_never_redirects_off_site(clinician_client: Client) -> None:
    response = clinician_client.post(
        reverse("staging:assessment_clear"), {"next": "https://example.org/"}
    )
    assert response["Location"] == "/"


def test_an_old_assessment_is_not_carried(clinician_client: Client) -> None:
    clinician_client.post(reverse("staging:frailty"), FRAIL_78)
    session = clinician_client.session
    stale = timezone.now() - current_assessment.MAX_AGE - dt.timedelta(minutes=1)
    session[current_assessment.SESSION_KEY]["saved_at"] = stale.isoformat()
    session.save()
    body = clinician_client.get(reverse("treatment:index")).content.decode()
    assert not _checked(body, "frailty", "frail")


def test_a_saved_plan_ends_the_assessment(clinician_client: Client) -> None:
    clinician_client.post(reverse("staging:frailty"), FRAIL_78)
    clinician_client.post(reverse("dosing:plan_new"), {"regimen": "isa-pd"})
    plan = TreatmentPlan.objects.get()
    patient = {
        "age_years": "78",
        "sex": "male",
        "weight_kg": "72",
        "height_cm": "178",
        "creatinine_value": "0.9",
        "creatinine_unit": "mg/dL",
        "measured_on": timezone.localdate().isoformat(),
    }
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), patient)
    clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": timezone.localdate().isoformat(), "cycles": "1"},
    )
    saved = clinician_client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    assert saved.status_code == 302
    assert current_assessment.SESSION_KEY not in clinician_client.session
