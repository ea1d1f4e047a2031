"""Through the whole plan wizard in Chromium to a saved plan, then a late dose recorded."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User


@pytest.mark.django_db(transaction=True)
def test_wizard_to_saved_plan(live_server, page, clinician: User) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("dr-test")
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")

    page.get_by_role("link", name="Plans", exact=True).click()
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Isa-Pd — isatuximab, pomalidomide, dexamethasone (ICARIA-MM)").check()
    page.get_by_role("button", name="Next: patient").click()

    page.get_by_label("Age (years)").fill("68")
    page.get_by_label("male", exact=True).check()
    page.get_by_label("Weight (kg)").fill("72")
    page.get_by_label("Height (cm)").fill("178")
    page.get_by_label("Serum creatinine").fill("0.9")
    page.get_by_label("Unit of creatinine").select_option("mg/dL")
    page.get_by_label("Date the creatinine was measured").fill("2026-01-05")
    page.get_by_role("button", name="Next: doses").click()

    page.get_by_text("10 mg/kg × 72 kg").first.wait_for()
    page.get_by_role("link", name="Next: start date and cycles").click()
    page.get_by_label("Cycle 1 day 1").fill("2026-01-05")
    page.get_by_label("Number of cycles").fill("2")
    page.get_by_label("Pseudonymous patient reference").fill("MM-0042")
    page.get_by_role("button", name="Next: calendar").click()

    page.get_by_role("button", name="Save plan").click()
    page.get_by_role("heading", name="Treatment plan · MM-0042").wait_for()
    assert page.get_by_text("Mon 5 Jan 2026").first.is_visible()  # the summary's start

    page.get_by_test_id("administrations-link").click()
    page.get_by_role("link", name="given on another date / omitted").first.click()
    page.get_by_label("Omitted (not given)").check()
    page.get_by_role("button", name="Record").click()
    page.get_by_text("None recorded.").wait_for(state="detached")
    # One record (the timeline's own legend and description also say "omitted").
    assert page.locator("summary", has_text="Given on another date or omitted (1)").is_visible()
