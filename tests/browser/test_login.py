"""A demo clinician logs in through the real browser, sees the home page and logs out."""

from __future__ import annotations

import pytest

from accounts.services import demo_users_create


@pytest.mark.django_db(transaction=True)
def test_demo_clinician_logs_in_and_out(live_server, page) -> None:
    logins = {login.username: login for login in demo_users_create()}
    clinician = logins["clinician"]
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill(clinician.username)
    page.get_by_label("Password").fill(clinician.password)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Welcome, clinician").is_visible()
    assert page.get_by_text("verify before prescribing").is_visible()
    assert page.get_by_role("link", name="Admin").count() == 0

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", name="Log in").is_visible()
    assert console_errors == []  # no CSP violation, no missing script
