"""The toxicity calculators and the treatment-day check in a real browser: htmx, CSP, axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from tests.browser.test_accessibility import _axe, _login, _report
from tests.browser.test_response import PATIENT


@pytest.mark.django_db(transaction=True)
def test_crs_calculator_in_the_browser(live_server: Any, page: Any, clinician: User) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, clinician.username, found)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Toxicity").click()
    page.get_by_label("Highest temperature (°C)").fill("39")
    page.get_by_label("Hypoxia").select_option("high_flow")
    # htmx swaps the result on change: fever + high-flow O₂ → grade 3 (§13.2).
    page.get_by_text("Grade 3", exact=True).wait_for()
    _axe(page, live_server, found)
    page.get_by_role("link", name="ICANS").click()
    _axe(page, live_server, found)
    _report(found)
    assert not [e for e in errors if "Content Security Policy" in e]


@pytest.mark.django_db(transaction=True)
def test_treatment_day_check_in_the_browser(live_server: Any, page: Any, clinician: User) -> None:
    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0015",
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, clinician.username, found)
    page.goto(f"{live_server.url}/followup/plans/{plan.pk}/dose-check/?date=2026-01-12")
    page.get_by_label("Neutrophils (ANC)").fill("0.4")
    page.get_by_role("button", name="Check").click()
    # 0.4 < 0.5 ×10⁹/L → grade 4 → isatuximab delay (T4).
    page.get_by_text("isatuximab: delay").wait_for()
    _axe(page, live_server, found)
    _report(found)
    assert not [e for e in errors if "Content Security Policy" in e]
