"""Production settings pass Django's deployment checks; demo users are refused there."""

from __future__ import annotations

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
