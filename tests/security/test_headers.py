"""Security headers on every page, cookie flags, the htmx config and the production block."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.http.response import HttpResponseBase
from django.test import Client

from tests.site.test_access import _paths_without_arguments

ROOT = Path(__file__).resolve().parents[2]
PATHS = _paths_without_arguments()
PRODUCTION_ENV = {
    "DJANGO_PRODUCTION": "true",
    "DJANGO_SECRET_KEY": "x7%k!q2-" + "production-like-secret-for-the-header-test-" * 2,
    "DJANGO_ALLOWED_HOSTS": "myeloma.clinic.example.org",
    "DATABASE_URL": "sqlite:////tmp/myeloma-security-settings.sqlite3",
}


def _directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def _assert_secure_headers(response: HttpResponseBase, path: str) -> None:
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "same-origin", path
    assert response["X-Frame-Options"] == "DENY", path
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy, path
    assert "'unsafe-eval'" not in policy, path
    directives = _directives(policy)
    assert directives["object-src"] == ["'none'"], path
    assert directives["frame-ancestors"] == ["'none'"], path
    assert directives["script-src"] == ["'self'"], path
    assert directives["default-src"] == ["'self'"], path


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_headers_for_a_clinician(clinician_client: Client, path: str) -> None:
    response = clinician_client.get(path)
    assert response.status_code < 500, path
    _assert_secure_headers(response, path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_headers_for_anonymous(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500, path
    _assert_secure_headers(response, path)


@pytest.mark.django_db
def test_login_and_error_pages_carry_the_policy(client: Client) -> None:
    for path in ("/accounts/login/", "/no-such-page/"):
        response = client.get(path, follow=True)
        assert response["Content-Type"].startswith("text/html"), path
        _assert_secure_headers(response, path)


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly_and_samesite(clinician: User) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {
            "username": "dr-test",
            "password": "a-long-test-password-1",
            "csrfmiddlewaretoken": csrf.value,
        },
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_htmx_config_forbids_eval_and_inline_indicator_styles(clinician_client: Client) -> None:
    body = clinician_client.get("/staging/").content.decode()
    match = re.search(r'<meta\s+name="htmx-config"\s+content=\'([^\']*)\'', body)
    assert match is not None
    config = json.loads(match.group(1))
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False


def test_production_settings_make_cookies_secure() -> None:
    """Import the settings module in a fresh interpreter with the production environment."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({name: getattr(settings, name) for name in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'X_FRAME_OPTIONS', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', 'DEBUG')}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="myeloma_site.settings")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["DEBUG"] is False
