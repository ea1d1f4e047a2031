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
