"""Staging → treatment options → start a plan in Chromium: what staging found arrives filled.

Also: the staging results sit above the form on a phone and beside it on a desktop, after an
htmx update and without JavaScript. Screenshots go to $SCREENSHOT_DIR (default: tmp dir).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BOXES = """() => {
  const r = document.querySelector('#results').getBoundingClientRect();
  const f = document.querySelector('main form[hx-post]').getBoundingClientRect();
  return {resultsTop: r.top, resultsLeft: r.left, formTop: f.top, formLeft: f.left,
          scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
}"""


def _login(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.django_db(transaction=True)
def test_staging_to_a_plan_types_nothing_twice(
    live_server: Any, page: Any, clinician: User, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    _login(page, live_server, clinician.username)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/staging/")
    page.get_by_label("Unit of Creatinine").select_option("mg/dL")
    page.get_by_label("Creatinine", exact=True).fill("1,3")
    page.get_by_label("β2-microglobulin", exact=True).fill("6.1")
    page.get_by_test_id("iss-stage").filter(has_text="ISS III").wait_for()
    boxes = page.evaluate(BOXES)
    assert boxes["resultsTop"] < boxes["formTop"]  # results first on a phone
    assert boxes["scrollWidth"] <= boxes["innerWidth"]
    page.screenshot(path=str(shots / "staging-390.png"), full_page=False)

    page.goto(f"{live_server.url}/staging/frailty/")
    page.get_by_label("Age (years)").fill("78")
    page.get_by_label("Charlson Comorbidity Index").fill("2")
    page.get_by_label("ECOG performance status (0–4)").fill("1")
    page.get_by_test_id("simplified-category").filter(has_text="Frail").wait_for()
    page.get_by_role("link", name="Treatment options for this patient").click()

    page.wait_for_url(f"{live_server.url}/treatment/")
    carried = page.get_by_test_id("current-assessment")
    assert "1,3 mg/dL" in carried.inner_text()
    assert page.get_by_role("group", name="Frailty").get_by_label("frail", exact=True).is_checked()
    assert "?" not in page.url  # nothing travelled in the URL
    page.screenshot(path=str(shots / "treatment-390.png"), full_page=False)
    page.get_by_role("group", name="Setting").get_by_label("Newly diagnosed myeloma").check()
    page.get_by_role("group", name="Transplant-eligible").get_by_label("no", exact=True).check()
    start = page.get_by_role("link", name="Start a plan with this regimen").first
    start.wait_for()
    start.click()

    # Step 1: the regimen arrives selected; the clinician confirms.
    assert page.locator("input[name=regimen]:checked").count() == 1
    page.get_by_role("button", name="Next").click()
    # Step 2: age and creatinine (as typed, with its unit) arrive filled.
    page.get_by_label("Age (years)").wait_for()
    assert page.get_by_label("Age (years)").input_value() == "78"
    assert page.get_by_label("Serum creatinine").input_value() == "1,3"
    assert page.get_by_label("Unit of creatinine").input_value() == "mg/dL"
    assert "1,3" not in page.url and "78" not in page.url
    page.screenshot(path=str(shots / "plan-patient-prefilled-390.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_staging_results_beside_the_form_on_a_desktop_and_without_javascript(
    live_server: Any, browser: Any, clinician: User, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    for javascript in (True, False):
        context = browser.new_context(
            locale="en-GB", viewport=DESKTOP, java_script_enabled=javascript
        )
        page = context.new_page()
        _login(page, live_server, clinician.username)
        page.goto(f"{live_server.url}/staging/")
        page.get_by_label("β2-microglobulin", exact=True).fill("6.1")
        if javascript:
            page.get_by_test_id("iss-stage").filter(has_text="ISS III").wait_for()
        else:
            page.get_by_role("button", name="Assess").click()
            page.get_by_test_id("iss-stage").filter(has_text="ISS III").wait_for()
        boxes = page.evaluate(BOXES)
        assert boxes["resultsLeft"] > boxes["formLeft"]  # beside, on the right
        assert abs(boxes["resultsTop"] - boxes["formTop"]) < 5
        page.screenshot(path=str(shots / f"staging-1280-js-{javascript}.png"))
        page.set_viewport_size(PHONE)
        boxes = page.evaluate(BOXES)
        assert boxes["resultsTop"] < boxes["formTop"]
        context.close()
