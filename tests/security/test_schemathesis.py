"""schemathesis (CLI) against /api/v1/openapi.json on live_server, logged in as a clinician:
no server error, and every documented response conforms to the schema."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.crypto import get_random_string

MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "50")


def _schemathesis() -> str:
    path = Path(sys.executable).parent / "schemathesis"
    found = str(path) if path.exists() else shutil.which("schemathesis")
    if found is None:
        pytest.fail("schemathesis is a dev dependency: pip install -e '.[dev]'")
    return found


@pytest.mark.django_db(transaction=True)
def test_api_conforms_to_its_openapi_schema(live_server, clinician: User, tmp_path: Path) -> None:
    client = Client()
    client.force_login(clinician)
    session = client.cookies["sessionid"].value
    # Django accepts an unmasked 32-character secret in both the cookie and the header.
    csrf = get_random_string(32)
    result = subprocess.run(
        [
            _schemathesis(),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--header",
            f"Cookie: sessionid={session}; csrftoken={csrf}",
            "--header",
            f"X-CSRFToken: {csrf}",
            "--header",
            f"Referer: {live_server.url}/",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--max-examples",
            MAX_EXAMPLES,
            "--phases",
            "fuzzing,stateful",
            "--workers",
            "1",
            "--seed",
            "20261123",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout.lower()
