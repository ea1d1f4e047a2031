"""The patient calendar button in Chromium: busy while the PDF is prepared, never sent twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from dosing.selectors import regimen_version_published
from dosing.services import plan_create

# domain-reference §18.3 D1: 68-year-old man, 72 kg, 178 cm, creatinine 0.9 mg/dL.
D1_PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}


@pytest.mark.django_db(transaction=True)
def test_print_button_is_busy_and_sends_the_form_once(live_server, page, clinician: User) -> None:
    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient=D1_PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("dr-test")
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_label("Patient name to print (not stored)").fill("Johanna Test")
    posts: list[str] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url)
            if request.method == "POST" and request.url.endswith("/calendar.pdf")
            else None
        ),
    )
    button = page.get_by_role("button", name="Patient calendar (PDF)")
    form = page.locator("form[data-calendar-pdf]")
    with page.expect_download() as download:
        form.evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
        assert page.locator("form[data-calendar-pdf] button[aria-busy=true]").count() == 1
        assert page.get_by_role("button", name="Preparing the calendar…").is_disabled()
    assert download.value.suggested_filename == "treatment-calendar-mm-0042-en.pdf"
    page.get_by_text("The calendar has been downloaded.").wait_for()
    assert button.is_enabled()
    assert len(posts) == 1
    assert all("Johanna" not in url for url in posts)
