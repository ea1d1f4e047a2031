"""The CRS, ICANS and KVA calculator pages (domain-reference §22 T8–T10): no JavaScript needed,
htmx fragments, values kept on error, linked from the navigation."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CRS = "/followup/toxicity/crs/"
ICANS = "/followup/toxicity/icans/"
KVA = "/followup/toxicity/kva/"


def test_pages_need_a_login(client: Client) -> None:
    for url in (CRS, ICANS, KVA):
        assert client.get(url).status_code == 302


def test_navigation_links_the_calculators(clinician_client: Client) -> None:
    page = clinician_client.get("/").content.decode()
    assert f'href="{CRS}"' in page


def test_crs_without_javascript(clinician_client: Client) -> None:
    # Fever 39.1 °C, one vasopressor, low-flow O₂ → the more severe: grade 3 (§13.2).
    response = clinician_client.post(
        CRS,
        {"temperature_celsius": "39.1", "hypotension": "one_vasopressor", "hypoxia": "low_flow"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Grade 3" in page
    assert "ASTCT" in page
    assert "<html" in page  # the whole page, no JavaScript needed


def test_crs_htmx_fragment(clinician_client: Client) -> None:
    response = clinician_client.post(
        CRS,
        {"temperature_celsius": "38.2", "hypotension": "none", "hypoxia": "none"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Grade 1" in page  # fever alone
    assert "<html" not in page


def test_icans_grade_and_ice_score(clinician_client: Client) -> None:
    # ICE 4 + 2 + 1 + 0 + 1 = 8 → grade 1; awakens to voice → grade 2; worst: grade 2.
    response = clinician_client.post(
        ICANS,
        {
            "orientation": "4",
            "naming": "2",
            "commands": "1",
            "writing": "0",
            "attention": "1",
            "consciousness": "awakens_to_voice",
            "seizure": "none",
            "motor_weakness": "none",
            "cerebral_oedema": "none",
        },
    )
    page = response.content.decode()
    assert "Grade 2" in page
    assert "ICE score 8/10" in page


def test_icans_impossible_item_keeps_the_values(clinician_client: Client) -> None:
    response = clinician_client.post(
        ICANS,
        {
            "orientation": "7",
            "naming": "3",
            "commands": "1",
            "writing": "1",
            "attention": "1",
            "consciousness": "normal",
            "seizure": "none",
            "motor_weakness": "none",
            "cerebral_oedema": "none",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ICE orientation must be a whole number from 0 to 4 points; got 7." in page
    assert 'value="7"' in page


def test_kva_action(clinician_client: Client) -> None:
    # Severe superficial keratopathy → grade 3 → withhold, resume at a reduced dose.
    response = clinician_client.post(
        KVA, {"corneal_exam": "severe_superficial", "bcva_lines_decline": "1"}
    )
    page = response.content.decode()
    assert "Grade 3" in page
    assert "resume at a reduced dose" in page
