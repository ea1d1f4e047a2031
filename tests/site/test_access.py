"""Deny by default: pages redirect anonymous users to login, the API answers 401."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC_PATHS = {"/accounts/login/", "/admin/login/", "/healthz", "/i18n/setlang/"}


def _paths_without_arguments() -> list[str]:
    """Every URL of the site that takes no argument, walked from the resolver."""
    found: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if "<" in route or "(?P" in route or route.startswith("^"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            else:
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [p for p in _paths_without_arguments() if p not in PUBLIC_PATHS and "/api/" not in p]
)
def test_anonymous_page_request_redirects_to_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302, path
    assert "login" in response["Location"], path


@pytest.mark.django_db
def test_anonymous_api_request_gets_401(client: Client) -> None:
    response = client.get("/api/v1/whoami")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}


@pytest.mark.django_db
def test_api_answers_a_logged_in_user(clinician_client: Client) -> None:
    response = clinician_client.get("/api/v1/whoami")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "user": "dr-test"}


@pytest.mark.django_db
def test_openapi_schema_and_docs_need_login(client: Client, clinician: User) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 302
    client.force_login(clinician)
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "myeloma-clinic API"
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_healthz_is_public_and_checks_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_login_page_is_public(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Clinical decision support" in response.content


@pytest.mark.django_db
def test_home_shows_disclaimer_and_content_version(clinician_client: Client) -> None:
    response = clinician_client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "verify before prescribing" in body
    manifest = Path(__file__).resolve().parents[2] / "content" / "manifest.yaml"
    assert str(yaml.safe_load(manifest.read_text("utf-8"))["version"]) in body


@pytest.mark.django_db
def test_admin_link_only_for_content_roles(
    client: Client, clinician: User, editor: User, approver: User
) -> None:
    client.force_login(clinician)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    assert 'href="/content/"' not in client.get("/").content.decode()
    for user in (editor, approver):
        client.force_login(user)
        assert 'href="/admin/"' in client.get("/").content.decode()
        assert 'href="/content/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(clinician_client: Client) -> None:
    response = clinician_client.post(reverse("logout"))
    assert response.status_code == 302
    assert clinician_client.get("/").status_code == 302


@pytest.mark.django_db
def test_password_change(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "a-long-test-password-1",
            "new_password1": "Another-long-passphrase-42",
            "new_password2": "Another-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.check_password("Another-long-passphrase-42")


@pytest.mark.django_db
def test_language_switch_changes_the_interface(clinician_client: Client) -> None:
    response = clinician_client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert response.status_code == 302
    assert clinician_client.get("/").content.decode().count('lang="nl"') == 1
