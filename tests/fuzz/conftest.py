from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client


@pytest.fixture
def fuzz_client(clinician: User) -> Client:
    """A logged-in client that answers 500 like a server would, so the failing input is shown."""
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    return client
