"""Keyboard only (Tab, Shift+Tab, Space, Enter, arrows, typing; never a mouse click): the
staging form to its results, and the plan wizard to a saved plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

MAX_TABS = 80


def _tab_to(page: Any, target: Any) -> None:
    """Press Tab until ``target`` has the focus (as a keyboard user would); fail if never."""
    handle = target.element_handle()
    for _ in range(MAX_TABS):
        if page.evaluate("el => el === document.activeElement", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def _type_into(page: Any, target: Any, text: str) -> None:
    _tab_to(page, target)
    page.keyboard.type(text)


def _login(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    _type_into(page, page.get_by_label("Username"), "dr-test")
    _type_into(page, page.get_by_label("Password"), "a-long-test-password-1")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")


def _type_date(page: Any, target: Any, day: str, month: str, year: str) -> None:
    """Type a date as digits into its segments. Chromium orders the segments by its own UI
    language (mm/dd/yyyy here even with an en-GB page locale): if day-first did not give the
    date, Shift+Tab back to the first segment and type it month-first."""
    _tab_to(page, target)
    page.keyboard.type(day + month + year)
    if target.input_value() != f"{year}-{month}-{day}":
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(month + day + year)
    assert target.input_value() == f"{year}-{month}-{day}"


@pytest.mark.django_db(transaction=True)
def test_staging_form_by_keyboard(live_server, page, clinician: User) -> None:
    _login(page, live_server)
    _tab_to(page, page.get_by_role("link", name="Staging", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/staging/")

    # §18.1 Case 3 in conventional units.
    _type_into(page, page.get_by_label("β2-microglobulin", exact=True), "6.1")
    page.get_by_test_id("iss-stage").filter(has_text="ISS III").wait_for()
    albumin_unit = page.get_by_label("Unit of Albumin")
    _tab_to(page, albumin_unit)
    page.keyboard.press("ArrowDown")  # g/L → g/dL
    assert albumin_unit.input_value() == "g/dL"
    _type_into(page, page.get_by_label("Albumin", exact=True), "3.0")
    creatinine_unit = page.get_by_label("Unit of Creatinine")
    _tab_to(page, creatinine_unit)
    page.keyboard.press("ArrowDown")  # µmol/L → mg/dL
    assert creatinine_unit.input_value() == "mg/dL"
    _type_into(page, page.get_by_label("Creatinine", exact=True), "1.0")
    ldh_high = page.get_by_role("group", name="LDH", exact=True).get_by_label(
        "above upper limit of normal"
    )
    _tab_to(page, page.get_by_role("group", name="LDH", exact=True).get_by_role("radio").first)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert ldh_high.is_checked()
    _tab_to(page, page.get_by_role("group", name="del(17p)", exact=True).get_by_role("radio").first)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert (
        page.get_by_role("group", name="del(17p)", exact=True).get_by_label("present").is_checked()
    )
    _type_into(page, page.get_by_label("del(17p) clonal fraction (%)"), "35")

    page.get_by_test_id("r_iss-stage").filter(has_text="R-ISS III").wait_for()
    assert page.get_by_test_id("iss-stage").inner_text() == "ISS III"
    assert page.get_by_test_id("ims-status").inner_text() == "High risk"
    # Enter in a field submits the form (without htmx this is the whole page; same result).
    _tab_to(page, page.get_by_label("del(17p) clonal fraction (%)"))
    page.keyboard.press("Enter")
    page.get_by_test_id("ims-status").filter(has_text="High risk").wait_for()
    assert page.get_by_label("del(17p) clonal fraction (%)").input_value() == "35"


@pytest.mark.django_db(transaction=True)
def test_plan_wizard_by_keyboard(live_server, page, clinician: User) -> None:
    _login(page, live_server)
    _tab_to(page, page.get_by_role("link", name="Plans", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/plans/")
    _tab_to(page, page.get_by_role("link", name="New plan"))
    page.keyboard.press("Enter")

    isa_pd = page.get_by_label("Isa-Pd — isatuximab, pomalidomide, dexamethasone (ICARIA-MM)")
    isa_pd.wait_for()
    radios = page.get_by_role("radio")
    _tab_to(page, radios.first)
    for _ in range(radios.count()):
        if isa_pd.is_checked():
            break
        page.keyboard.press("ArrowDown")
    if not isa_pd.is_checked():  # the first radio had focus without being checked
        page.keyboard.press("Space")
    assert isa_pd.is_checked()
    _tab_to(page, page.get_by_role("button", name="Next: patient"))
    page.keyboard.press("Enter")

    _type_into(page, page.get_by_label("Age (years)"), "68")
    male = page.get_by_label("male", exact=True)
    _tab_to(page, page.get_by_role("radio").first)
    for _ in range(4):
        if male.is_checked():
            break
        page.keyboard.press("ArrowDown")
    if not male.is_checked():
        page.keyboard.press("Space")
    assert male.is_checked()
    _type_into(page, page.get_by_label("Weight (kg)"), "72")
    _type_into(page, page.get_by_label("Height (cm)"), "178")
    _type_into(page, page.get_by_label("Serum creatinine"), "0.9")
    unit = page.get_by_label("Unit of creatinine")
    _tab_to(page, unit)
    for _ in range(3):
        if unit.input_value() == "mg/dL":
            break
        page.keyboard.press("ArrowDown")
    assert unit.input_value() == "mg/dL"
    _type_date(page, page.get_by_label("Date the creatinine was measured"), "05", "01", "2026")
    _tab_to(page, page.get_by_role("button", name="Next: doses"))
    page.keyboard.press("Enter")

    page.get_by_text("10 mg/kg × 72 kg").first.wait_for()
    _tab_to(page, page.get_by_role("link", name="Next: start date and cycles"))
    page.keyboard.press("Enter")
    _type_date(page, page.get_by_label("Cycle 1 day 1"), "05", "01", "2026")
    cycles = page.get_by_label("Number of cycles")
    _tab_to(page, cycles)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    _type_into(page, page.get_by_label("Pseudonymous patient reference"), "MM-0042")
    _tab_to(page, page.get_by_role("button", name="Next: calendar"))
    page.keyboard.press("Enter")

    save = page.get_by_role("button", name="Save plan")
    save.wait_for()
    _tab_to(page, save)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Treatment plan · MM-0042").wait_for()
    assert page.get_by_text("Mon 5 Jan 2026").first.is_visible()  # the summary's start
