"""The saved plan page in a real browser: compact at 1280 px, no sideways scroll at 390 px, axe.

Screenshots go to $SCREENSHOT_DIR (default: the test's tmp dir) to be looked at.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from dosing.selectors import regimen_version_published
from dosing.services import plan_create
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
SCREEN = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Height of everything above the first fold-out details (summary, matrix, print card, ...).
ABOVE_DETAILS = """() => {
  const first = document.querySelector('details.plan-details');
  return Math.round(first.getBoundingClientRect().top + window.scrollY);
}"""
WIDE = """() => {
  const clipped = (e) => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e))
    .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right);
}"""
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.django_db(transaction=True)
def test_imroz_plan_fits_two_screens_and_a_phone(
    live_server: Any, page: Any, clinician: User, tmp_path: Path
) -> None:
    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-vrd-imroz"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=18,
        patient_reference="MM-IMROZ",
    )
    shots = _shots(tmp_path)
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, clinician.username, found)
    page.set_viewport_size(SCREEN)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_test_id("cycle-matrix").wait_for()
    assert page.get_by_test_id("cycle-matrix").locator("tbody tr").count() == 18
    above = page.evaluate(ABOVE_DETAILS)
    print(f"IMROZ 18 cycles: {above} px above the fold-out details at 1280×800")
    page.screenshot(path=str(shots / "plan-imroz-1280.png"), full_page=True)
    assert above <= 2 * SCREEN["height"]
    _axe(page, live_server, found)

    page.set_viewport_size(PHONE)
    page.reload()
    page.get_by_test_id("cycle-matrix").wait_for()
    scroll_width, inner_width = page.evaluate(OVERFLOW)
    page.screenshot(path=str(shots / "plan-imroz-390.png"), full_page=True)
    assert scroll_width <= inner_width
    for details in page.locator("details.plan-details").all():
        details.locator("summary").click()
    scroll_width, inner_width = page.evaluate(OVERFLOW)
    page.screenshot(path=str(shots / "plan-imroz-390-open.png"), full_page=True)
    assert scroll_width <= inner_width, page.evaluate(WIDE)
    _axe(page, live_server, found)

    page.emulate_media(media="print")
    assert page.locator("nav.navbar").is_hidden()
    assert page.locator("main form").first.is_hidden()
    page.screenshot(path=str(shots / "plan-imroz-print.png"), full_page=True)
    _report(found)


@pytest.mark.django_db(transaction=True)
def test_plans_list_at_desktop_and_phone_width(
    live_server: Any, page: Any, clinician: User, tmp_path: Path
) -> None:
    for reference, start in (("MM-0001", dt.date(2026, 1, 5)), ("MM-0002", dt.date(2027, 3, 1))):
        plan_create(
            user=clinician,
            version=regimen_version_published(slug="isa-pd"),
            patient=PATIENT,
            start_date=start,
            cycles=2,
            patient_reference=reference,
        )
    shots = _shots(tmp_path)
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, clinician.username, found)
    for name, size in (("1280", SCREEN), ("390", PHONE)):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/plans/")
        page.get_by_label("Patient reference contains").fill("0002")
        page.get_by_role("button", name="Find").click()
        page.wait_for_url("**/plans/?reference=0002*")
        assert page.get_by_test_id("plan-list").locator("tbody tr").count() == 1
        scroll_width, inner_width = page.evaluate(OVERFLOW)
        page.screenshot(path=str(shots / f"plans-list-{name}.png"), full_page=True)
        assert scroll_width <= inner_width
        _axe(page, live_server, found)
    _report(found)


@pytest.mark.django_db(transaction=True)
def test_save_shows_a_busy_state_and_a_double_click_saves_once(
    live_server: Any, page: Any, clinician: User
) -> None:
    from dosing.models import TreatmentPlan
    from dosing.services import plan_draft_set_patient, plan_draft_set_schedule, plan_draft_start

    draft = plan_draft_start(user=clinician, version=regimen_version_published(slug="isa-pd"))
    plan_draft_set_patient(plan=draft, patient=PATIENT)
    plan_draft_set_schedule(
        plan=draft, start_date=dt.date(2026, 1, 5), cycles=2, patient_reference="MM-BUSY"
    )
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, clinician.username, found)
    page.goto(f"{live_server.url}/plans/{draft.pk}/preview/")
    # First without leaving the page (the form's own listener cancels the navigation): the
    # button turns busy and disabled.
    page.evaluate(
        "() => document.querySelector('form[data-busy-label]')"
        ".addEventListener('submit', (e) => e.preventDefault(), {once: true})"
    )
    page.get_by_role("button", name="Save plan").click()
    busy = page.get_by_role("button", name="Saving…")
    busy.wait_for()
    assert busy.is_disabled()
    assert page.locator("form[data-busy-label]").get_attribute("aria-busy") == "true"
    # Then for real, double-clicked: one plan saved.
    page.reload()
    page.get_by_role("button", name="Save plan").dblclick()
    page.get_by_test_id("plan-summary").wait_for()
    assert TreatmentPlan.objects.filter(patient_reference="MM-BUSY").count() == 1
    assert TreatmentPlan.objects.get(patient_reference="MM-BUSY").status == "saved"
    _report(found)
