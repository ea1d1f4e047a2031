"""Production settings pass Django's deployment checks; demo users are refused there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_PRODUCTION": "true",
    "DJANGO_SECRET_KEY": "x7%k!q2-" + "production-like-secret-for-the-check-" * 2,
    "DJANGO_ALLOWED_HOSTS": "myeloma.clinic.example.org",
    "DATABASE_URL": "sqlite:////tmp/myeloma-check-deploy.sqlite3",
}


def _manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_in_production_mode() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_demo_users_are_refused_in_production() -> None:
    result = _manage("create_demo_users", extra_env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refused" in result.stderr


HTTP_PROBE = """
import json
from django.test import Client
client = Client(HTTP_HOST="myeloma.clinic.example.org")
answers = {}
for path in ("/healthz", "/accounts/login/", "/staging/"):
    response = client.get(path, secure=False)
    answers[path] = [response.status_code, response.get("Location", "")]
print("ANSWERS", json.dumps(answers))
"""


def test_healthz_answers_plain_http_in_production_and_other_pages_redirect() -> None:
    """A load balancer probes the backend over plain HTTP: /healthz is exempt from the redirect."""
    result = _manage("shell", "-c", HTTP_PROBE, extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("ANSWERS "))
    answers = json.loads(line.removeprefix("ANSWERS "))
    assert answers["/healthz"] == [200, ""]
    https = "https://myeloma.clinic.example.org"
    assert answers["/accounts/login/"] == [301, f"{https}/accounts/login/"]
    assert answers["/staging/"] == [301, f"{https}/staging/"]
