"""django-axes locks a username+IP pair out after 5 failed logins."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings


@pytest.mark.django_db
def test_sixth_login_is_refused_after_five_failures(
    client: Client, clinician: User, settings: Settings
) -> None:
    settings.AXES_ENABLED = True
    url = reverse("login")
    for _ in range(5):
        response = client.post(
            url, {"username": "dr-test", "password": "wrong"}, REMOTE_ADDR="10.0.0.7"
        )
    assert response.status_code in (403, 429)
    right = client.post(
        url, {"username": "dr-test", "password": "a-long-test-password-1"}, REMOTE_ADDR="10.0.0.7"
    )
    assert right.status_code in (403, 429)
    assert b"Account locked" in right.content
    assert client.get("/").status_code == 302  # not logged in


@pytest.mark.django_db
def test_four_failures_do_not_lock(client: Client, clinician: User, settings: Settings) -> None:
    settings.AXES_ENABLED = True
    url = reverse("login")
    for _ in range(4):
        client.post(url, {"username": "dr-test", "password": "wrong"}, REMOTE_ADDR="10.0.0.8")
    right = client.post(
        url, {"username": "dr-test", "password": "a-long-test-password-1"}, REMOTE_ADDR="10.0.0.8"
    )
    assert right.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_lockout_is_per_ip(client: Client, clinician: User, settings: Settings) -> None:
    settings.AXES_ENABLED = True
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "dr-test", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    other_ip = client.post(
        url, {"username": "dr-test", "password": "a-long-test-password-1"}, REMOTE_ADDR="10.0.1.1"
    )
    assert other_ip.status_code == 302


def _fail_five_times(client: Client, forwarded_for: str) -> None:
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "dr-test", "password": "wrong"},
            REMOTE_ADDR="192.0.2.10",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )


def _login(client: Client, forwarded_for: str) -> int:
    response = client.post(
        reverse("login"),
        {"username": "dr-test", "password": "a-long-test-password-1"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code


@pytest.mark.django_db
def test_behind_a_trusted_proxy_clients_are_locked_out_independently(
    clinician: User, settings: Settings
) -> None:
    """Every request comes from the proxy (192.0.2.10); the lockout uses the forwarded client."""
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    _fail_five_times(Client(), "203.0.113.5")
    assert _login(Client(), "203.0.113.5") in (403, 429)
    assert _login(Client(), "203.0.113.6") == 302


@pytest.mark.django_db
def test_a_spoofed_forwarded_entry_does_not_escape_the_lockout(
    clinician: User, settings: Settings
) -> None:
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    _fail_five_times(Client(), "203.0.113.5")
    # The attacker prepends an address of their choice; the proxy appends the real one.
    assert _login(Client(), "198.51.100.1, 203.0.113.5") in (403, 429)


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(
    clinician: User, settings: Settings
) -> None:
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 0
    _fail_five_times(Client(), "203.0.113.5")
    # Same connection address: a different forged header does not unlock it.
    assert _login(Client(), "203.0.113.6") in (403, 429)
