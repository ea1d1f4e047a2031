"""Issue 11, inputs of a plan: impossible values, the creatinine's date — API, wizard and print.

Numbers by hand: 2.5 mg/dL × 88.4 = 221 µmol/L (U1); 300 lb × 0.4536 = 136.08 kg (U9);
creatinine 10–2,000 µmol/L = 0.11–22.63 mg/dL (units.PLAUSIBLE_RANGES, rounded outward).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dosing.calendar_pdf import plan_calendar_pdf
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/dosing/preview"
PLANS = "/api/v1/plans"
TODAY = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)  # a Monday, the D1 start date

# domain-reference §18.3 D1: 68-year-old man, 72 kg, 178 cm, creatinine 0.9 mg/dL; Isa-Pd.
D1: dict[str, Any] = {
    "regimen": "isa-pd",
    "start_date": "2026-01-05",
    "cycles": 1,
    "patient": {
        "age_years": 68,
        "sex": "male",
        "weight_kg": 72,
        "height_cm": 178,
        "creatinine": {"value": 0.9, "unit": "mg/dL"},
        "measured_on": "2026-01-02",
    },
}

D1_FORM = {
    "age_years": "68",
    "sex": "male",
    "weight_kg": "72",
    "height_cm": "178",
    "creatinine_value": "0.9",
    "creatinine_unit": "mg/dL",
    "measured_on": "2026-01-02",
}


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def _with_patient(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(D1)
    body["patient"].update(changes)
    return body


def _creatinine_age_warnings(data: dict[str, Any]) -> list[str]:
    return [w for w in data["warnings"] if "creatinine was measured" in w]


# --- impossible values -----------------------------------------------------------------------


@pytest.mark.parametrize("path", [PREVIEW, PLANS])
def test_creatinine_2_5_umol_l_is_refused_with_the_mg_dl_hint(
    clinician_client: Client, path: str
) -> None:
    """It gave CrCl 2,131 mL/min and full-dose lenalidomide."""
    body = _with_patient(creatinine={"value": 2.5, "unit": "µmol/L"})
    response = _post(clinician_client, path, body)
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "patient", "creatinine"]
    assert "did you mean 2.5 mg/dL (221 µmol/L)?" in error["msg"]
    assert not TreatmentPlan.objects.exists()


@pytest.mark.parametrize("path", [PREVIEW, PLANS])
@pytest.mark.parametrize("value", [1e-300, 1e300, 0, -0.0, -1])
def test_zero_negative_and_absurd_creatinine_is_422_never_500(
    clinician_client: Client, path: str, value: float
) -> None:
    response = _post(
        clinician_client, path, _with_patient(creatinine={"value": value, "unit": "mg/dL"})
    )
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "patient", "creatinine"]
    assert "0.11 to 22.63 mg/dL (10 to 2000 µmol/L)" in error["msg"]


def test_creatinine_at_its_plausible_bounds_is_dosed(clinician_client: Client) -> None:
    for creatinine in ({"value": 10, "unit": "umol/L"}, {"value": 22.63, "unit": "mg/dL"}):
        response = _post(clinician_client, PREVIEW, _with_patient(creatinine=creatinine))
        assert response.status_code == 200, response.content


def test_weight_in_pounds_is_recognised(clinician_client: Client) -> None:
    response = _post(clinician_client, PREVIEW, _with_patient(weight_kg=300))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "patient", "weight_kg"]
    assert "did you mean 300 lb (136.08 kg)?" in error["msg"]


# --- the creatinine's date -------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_creatinine_date_in_the_future_is_422(clinician_client: Client) -> None:
    response = _post(clinician_client, PLANS, _with_patient(measured_on="2026-01-06"))
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "patient", "measured_on"]
    assert "2026-01-06 is in the future" in error["msg"]
    assert not TreatmentPlan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_creatinine_measured_today_is_accepted(clinician_client: Client) -> None:
    response = _post(clinician_client, PREVIEW, _with_patient(measured_on="2026-01-05"))
    assert response.status_code == 200, response.content
    assert response.json()["patient"]["creatinine_measured_on"] == "2026-01-05"


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("measured_on", "warned"), [("2025-12-29", False), ("2025-12-28", True)])
def test_creatinine_older_than_the_site_limit_at_cycle_1_day_1_is_warned(
    clinician_client: Client, measured_on: str, warned: bool
) -> None:
    """Default limit 7 days: 29 Dec → 5 Jan is 7 days (no warning), 28 Dec is 8 (warning)."""
    data = _post(clinician_client, PREVIEW, _with_patient(measured_on=measured_on)).json()
    warnings = _creatinine_age_warnings(data)
    assert bool(warnings) is warned
    if warned:
        assert "8 days before cycle 1 day 1 (2026-01-05)" in warnings[0]
        assert "limit of 7 days" in warnings[0]


@time_machine.travel(TODAY, tick=False)
def test_the_limit_is_a_site_setting(clinician_client: Client, settings: Any) -> None:
    settings.DOSING_CREATININE_MAX_AGE_DAYS = 2
    data = _post(clinician_client, PREVIEW, _with_patient(measured_on="2026-01-02")).json()
    assert "limit of 2 days" in _creatinine_age_warnings(data)[0]


def test_creatinine_date_not_given_is_never_taken_as_recent(clinician_client: Client) -> None:
    body = copy.deepcopy(D1)
    del body["patient"]["measured_on"]
    data = _post(clinician_client, PREVIEW, body).json()
    assert data["patient"]["creatinine_measured_on"] is None
    assert any("creatinine was measured is not given" in w for w in data["warnings"])


@time_machine.travel(TODAY, tick=False)
def test_saved_plan_keeps_the_date_with_its_inputs(clinician_client: Client) -> None:
    response = _post(clinician_client, PLANS, D1)
    assert response.status_code == 201, response.content
    plan = TreatmentPlan.objects.get()
    assert plan.patient["measured_on"] == "2026-01-02"
    assert plan.computed["patient"]["creatinine_measured_on"] == "2026-01-02"


# --- the wizard's patient step ---------------------------------------------------------------


def _draft(client: Client) -> TreatmentPlan:
    assert client.post(reverse("dosing:plan_new"), {"regimen": "isa-pd"}).status_code == 302
    return TreatmentPlan.objects.get()


@time_machine.travel(TODAY, tick=False)
def test_wizard_refuses_impossible_values_at_their_fields_keeping_what_was_typed(
    clinician_client: Client,
) -> None:
    plan = _draft(clinician_client)
    url = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    data = D1_FORM | {"creatinine_value": "2.5", "creatinine_unit": "umol/L", "weight_kg": "300"}
    response = clinician_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "2.5 µmol/L is not possible for creatinine; did you mean 2.5 mg/dL (221 µmol/L)?" in body
    assert "did you mean 300 lb (136.08 kg)?" in body
    assert 'value="2.5"' in body and 'value="300"' in body and 'value="178"' in body
    plan.refresh_from_db()
    assert plan.patient == {}


@time_machine.travel(TODAY, tick=False)
def test_wizard_refuses_a_creatinine_date_in_the_future(clinician_client: Client) -> None:
    plan = _draft(clinician_client)
    url = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    response = clinician_client.post(url, D1_FORM | {"measured_on": "2026-01-06"})
    assert response.status_code == 200
    assert "2026-01-06 is in the future" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_wizard_shows_the_date_next_to_the_crcl_and_warns_when_old(
    clinician_client: Client,
) -> None:
    plan = _draft(clinician_client)
    url = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    assert clinician_client.post(url, D1_FORM | {"measured_on": "2025-12-20"}).status_code == 302
    body = clinician_client.get(reverse("dosing:plan_doses", kwargs={"pk": plan.pk})).content
    text = body.decode()
    # 20 Dec 2025 is a Saturday (5 Jan 2026 is a Monday).
    date_shown = '<strong class="creatinine-date">Sat 20 Dec 2025</strong>'
    assert f"creatinine measured on\n  {date_shown}" in text
    assert "16 days before cycle 1 day 1" in text  # 20 Dec → 5 Jan (the draft's day)


# --- the plan page and the print-out ---------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_plan_page_and_pdf_show_the_creatinine_date(
    clinician: User, clinician_client: Client
) -> None:
    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient={**D1["patient"], "on_dialysis": False},
        start_date=dt.date(2026, 1, 5),
        cycles=1,
    )
    page = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": plan.pk}))
    assert '<strong class="creatinine-date">Fri 2 Jan 2026</strong>' in page.content.decode()
    reader = PdfReader(io.BytesIO(plan_calendar_pdf(plan=plan, language="en")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "doses from the creatinine of 2026-01-02" in text
