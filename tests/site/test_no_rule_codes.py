"""No internal rule code in the visible text of the main clinician pages (issue 16).

The codes stay in the API and the admin; the pages show readable citations instead.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from tests.staging.test_views import CASE_6
from tests.treatment.test_views import SEED_EXAMPLE

pytestmark = pytest.mark.django_db

CODES = re.compile(r"\[SEED\]|\[PUB\]|§\s?\d|\(C\d+\)|\bX\d{1,3}\b|\bP\d{1,3}[a-z]?\b|\bD1 C\b")
PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
}


def visible_text(body: str) -> str:
    """The text a reader sees: no tags, scripts, styles or attribute values."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _codes(body: str) -> list[str]:
    text = visible_text(body)
    return [text[max(m.start() - 60, 0) : m.end() + 20] for m in CODES.finditer(text)]


@pytest.fixture
def imroz_plan(clinician: User) -> TreatmentPlan:
    return plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-vrd-imroz"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=6,
        patient_reference="MM-CODES",
    )


def test_saved_plan_and_its_administrations_show_no_codes(
    clinician_client: Client, imroz_plan: TreatmentPlan
) -> None:
    for name in ("dosing:plan_detail", "dosing:plan_administrations", "dosing:plan_reschedule"):
        body = clinician_client.get(reverse(name, kwargs={"pk": imroz_plan.pk})).content.decode()
        assert _codes(body) == [], name


def test_staging_results_show_no_codes(clinician_client: Client) -> None:
    body = clinician_client.post(reverse("staging:index"), CASE_6).content.decode()
    assert _codes(body) == []


def test_treatment_options_show_no_codes(clinician_client: Client) -> None:
    body = clinician_client.post(reverse("treatment:index"), SEED_EXAMPLE).content.decode()
    assert _codes(body) == []
