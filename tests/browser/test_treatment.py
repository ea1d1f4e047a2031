"""A clinician finds the options for the seed example (§12.5) and starts a plan from one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_seed_example_to_the_plan_wizard(live_server, page, clinician: User) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("dr-test")
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")

    page.get_by_role("link", name="Treatment", exact=True).click()
    page.get_by_text("Choose the setting to see the options.").wait_for()

    page.get_by_label("Relapsed/refractory myeloma").check()
    page.get_by_label("Prior lines of therapy").fill("1")
    page.get_by_role("group", name="Exposed to").get_by_label("bortezomib").check()
    page.get_by_role("group", name="Refractory to").get_by_label("bortezomib").check()

    options = page.get_by_test_id("options")
    # The htmx swaps settle on exactly the seed's three options, none of them "possible".
    # (expect() polls without evaluating strings: the CSP forbids unsafe-eval.)
    expect(options.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("option-possible")).to_have_count(0)
    expect(page.get_by_test_id("option-drd-after-1-line")).to_be_visible()
    names = options.get_by_test_id("option-name").all_inner_texts()
    assert names == [
        "DRd — daratumumab, lenalidomide, dexamethasone",
        "DKd — daratumumab, carfilzomib, dexamethasone",
        "Isa-Kd — isatuximab, carfilzomib, dexamethasone",
    ]
    assert options.get_by_test_id("grade").count() == 0
    # What was typed survives the swaps.
    assert page.get_by_label("Prior lines of therapy").input_value() == "1"

    page.get_by_test_id("option-isa-kd-after-1-line").get_by_role(
        "link", name="Start a plan with this regimen"
    ).click()
    page.wait_for_url(live_server.url + "/plans/new/?regimen=isa-kd")
    assert page.get_by_label("Isa-Kd — isatuximab, carfilzomib, dexamethasone (IKEMA)").is_checked()
