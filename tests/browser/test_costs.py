"""The plan page's cost and vial waste and the reimbursement notes in Chromium: shown, and no
serious or critical axe-core violation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from pytest_django.fixtures import Settings

from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from tests.browser.test_accessibility import _axe, _login, _report


@pytest.mark.django_db(transaction=True)
def test_cost_panel_and_reimbursement_notes(
    live_server: Any, page: Any, clinician: User, settings: Settings
) -> None:
    settings.CLINIC_COUNTRY = "NO"
    plan = plan_create(
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
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, "dr-test", found)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    # 6 × (39 397,30 + 3 × 7 908,50) (seed, Norway): see tests/costs/test_plan_cost.py.
    page.get_by_test_id("cost-isatuximab").filter(has_text="kr 378 736,80").wait_for()
    _axe(page, live_server, found)
    page.goto(live_server.url + "/treatment/")
    page.get_by_test_id("reimbursement-isatuximab-NO").wait_for()
    _axe(page, live_server, found)
    _report(found)
