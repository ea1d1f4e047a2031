"""Logins are logged on ``myeloma.auth`` with username and IP; the password never is."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

PASSWORD = "a-long-test-password-1"  # noqa: S105  (the fixture user's)
WRONG = "Wrong-Passphrase-Never-Logged-77"


@pytest.mark.django_db
def test_successful_and_failed_logins_are_logged(
    client: Client, clinician: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="myeloma.auth"):
        failed = client.post(
            "/accounts/login/",
            {"username": "dr-test", "password": WRONG},
            REMOTE_ADDR="10.1.2.3",
        )
        ok = client.post(
            "/accounts/login/",
            {"username": "dr-test", "password": PASSWORD},
            REMOTE_ADDR="10.1.2.4",
        )
    assert failed.status_code == 200
    assert ok.status_code == 302
    records = [r for r in caplog.records if r.name == "myeloma.auth"]
    messages = [r.getMessage() for r in records]
    assert len(records) == 2, messages
    assert records[0].levelno == logging.WARNING
    assert "login failed" in messages[0]
    assert "dr-test" in messages[0]
    assert "10.1.2.3" in messages[0]
    assert records[1].levelno == logging.INFO
    assert "login succeeded" in messages[1]
    assert "dr-test" in messages[1]
    assert "10.1.2.4" in messages[1]
    everything = caplog.text + " ".join(messages)
    assert WRONG not in everything
    assert PASSWORD not in everything


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_log_names_the_forwarded_client(
    client: Client, clinician: User, caplog: pytest.LogCaptureFixture, settings: Settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.INFO, logger="myeloma.auth"):
        client.post(
            "/accounts/login/",
            {"username": "dr-test", "password": WRONG},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5",
        )
    [record] = [r for r in caplog.records if r.name == "myeloma.auth"]
    assert "ip=203.0.113.5" in record.getMessage()
