"""The response panel in a real browser: htmx-boosted form, CSP intact, axe clean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from followup.services import assessment_record
from tests.browser.test_accessibility import _axe, _login, _report

PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}


@pytest.mark.django_db(transaction=True)
def test_record_an_assessment_in_the_browser(live_server: Any, page: Any, clinician: User) -> None:
    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )
    baseline = {
        "date": dt.date(2026, 1, 2),
        "baseline": True,
        "isotype": {"heavy_chain": "IgG", "light_chain": "kappa"},
        "serum_m_protein": {"value": 35, "unit": "g/L"},
        "plasmacytoma": "absent",
    }
    assessment_record(plan=plan, user=clinician, data=baseline)
    data = {"date": dt.date(2026, 3, 2), "serum_m_protein": {"value": 15, "unit": "g/L"}}
    assessment_record(plan=plan, user=clinician, data=data)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, clinician.username, found)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_text("Record an assessment").click()
    page.get_by_label("Date").fill("2026-04-02")
    page.get_by_label("Serum M-protein (0 = not detectable on SPE)").fill("14")
    page.get_by_role("button", name="Record the assessment").click()
    # 35 → 15 g/L = −57.1 % (PR), 35 → 14 = −60 % (PR): the first PR is now confirmed
    page.get_by_text("Best confirmed response PR (Mon 2 Mar 2026)").wait_for()
    assert page.locator("svg.response-svg circle.point").count() == 3
    _axe(page, live_server, found)
    _report(found)
    assert not [e for e in errors if "Content Security Policy" in e]
