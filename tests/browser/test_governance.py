"""An editor drafts a regimen change in Chromium; a second person, the approver, publishes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from dosing.models import ContentStatus, RegimenVersion


def _login(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")


@pytest.mark.django_db(transaction=True)
def test_editor_drafts_and_approver_publishes(
    live_server, page, editor: User, approver: User
) -> None:
    _login(page, live_server, "editor-test")
    page.get_by_role("link", name="Content", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Isa-Pd")
    row.get_by_role("button", name="New draft").click()
    page.get_by_text("Not published: the clinic does not see this version.").wait_for()

    definition = page.get_by_label("Definition (YAML)")
    text = definition.input_value()
    # Verified content names who checked it against its source, and when.
    text = text.replace("checked_by: null", "checked_by: Pharmacist on duty")
    text = text.replace("date_reviewed: null", "date_reviewed: 2026-11-20")
    definition.fill(text + "notes:\n- Reviewed with pharmacy, November 2026.\n")
    page.get_by_label("What changed, and on which source").fill("Pharmacy note added")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review by a second person.").wait_for()
    version = RegimenVersion.objects.get(status=ContentStatus.IN_REVIEW)
    page.get_by_role("button", name="Log out").click()

    _login(page, live_server, "approver-test")
    page.goto(f"{live_server.url}/content/versions/{version.pk}/")
    assert "Reviewed with pharmacy" in page.get_by_test_id("diff").inner_text()
    page.get_by_label("Reason").fill("Checked against the SARCLISA SmPC")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published.").first.wait_for()
    version.refresh_from_db()
    assert version.status == ContentStatus.PUBLISHED
    assert version.checker == "approver-test"
