"""A clinician fills the staging form in Chromium and sees the result cards update (htmx)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User


@pytest.mark.django_db(transaction=True)
def test_cards_update_as_fields_change(live_server, page, clinician: User) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("dr-test")
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/staging/")
    iss = page.get_by_test_id("iss-stage")
    assert iss.inner_text() == "Not assessable"

    # §18.1 Case 3 entered in conventional units.
    page.get_by_label("β2-microglobulin", exact=True).fill("6.1")
    page.get_by_test_id("iss-stage").filter(has_text="ISS III").wait_for()

    page.get_by_label("Unit of Albumin").select_option("g/dL")
    page.get_by_label("Albumin", exact=True).fill("3.0")
    page.get_by_label("Unit of Creatinine").select_option("mg/dL")
    page.get_by_label("Creatinine", exact=True).fill("1.0")
    page.get_by_role("group", name="LDH", exact=True).get_by_label(
        "above upper limit of normal"
    ).check()
    page.get_by_role("group", name="del(17p)", exact=True).get_by_label("present").check()
    page.get_by_label("del(17p) clonal fraction (%)").fill("35")
    for finding in (
        "TP53 mutation",
        "t(4;14)",
        "t(14;16)",
        "t(14;20)",
        "1q+ (gain or amplification)",
    ):
        page.get_by_role("group", name=finding, exact=True).get_by_label("absent").check()
    page.get_by_role("group", name="del(1p32)", exact=True).get_by_label("none").check()

    page.get_by_test_id("r2_iss-stage").filter(has_text="R2-ISS IV").wait_for()
    assert page.get_by_test_id("r_iss-stage").inner_text() == "R-ISS III"
    assert page.get_by_test_id("ims-status").inner_text() == "High risk"
    # What was typed survives the swaps.
    assert page.get_by_label("del(17p) clonal fraction (%)").input_value() == "35"
