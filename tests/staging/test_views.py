"""Staging pages through the Django test client: full page, HTMX fragment, errors kept."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

pytestmark = pytest.mark.django_db

CASE_6 = {
    # §18.1 Case 6 (boundary): β2M exactly 5.5 ⇒ ISS III; creatinine 1.1 mg/dL ⇒ IMS high risk.
    "beta2_microglobulin_value": "5.5",
    "beta2_microglobulin_unit": "mg/L",
    "albumin_value": "3.9",
    "albumin_unit": "g/dL",
    "creatinine_value": "1.1",
    "creatinine_unit": "mg/dL",
    "ldh_status": "normal",
    "del_17p": "absent",
    "tp53_mutation": "absent",
    "t_4_14": "absent",
    "t_14_16": "absent",
    "t_14_20": "absent",
    "gain_1q": "absent",
    "del_1p32": "absent",
}


def test_empty_page_says_what_is_needed(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(5):
        response = clinician_client.get(reverse("staging:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "To decide this, add:" in body
    assert "Not assessable" in body
    assert re.search(r'value="umol/L"\s+selected', body)  # the clinic's default creatinine unit


def test_full_page_post_without_javascript(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(8):  # + the session's current assessment saved
        response = clinician_client.post(reverse("staging:index"), CASE_6)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert "ISS III" in body
    assert "R-ISS II" in body
    assert "R2-ISS III" in body
    assert "High risk" in body
    assert "not a substitute for genomic" in body
    assert 'href="/treatment/"' in body  # the results travel in the session, not in the URL


def test_htmx_post_returns_only_the_fragment(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(7):
        response = clinician_client.post(
            reverse("staging:index"), CASE_6, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert '<div id="results"' in body
    assert "<form" not in body  # the inputs are never swapped, so typing is never lost
    assert "ISS III" in body


def test_invalid_value_shows_field_error_and_keeps_everything_typed(
    clinician_client: Client,
) -> None:
    data = CASE_6 | {"albumin_value": "95", "albumin_unit": "g/L", "creatinine_value": "abc"}
    response = clinician_client.post(reverse("staging:index"), data, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps only 2xx
    body = response.content.decode()
    assert "as a number, like 6.1 or 6,1." in body  # creatinine "abc"
    assert 'hx-swap-oob="true"' in body  # errors go to the slot under each field
    assert "There is a problem" in body
    full = clinician_client.post(reverse("staging:index"), data).content.decode()
    assert 'value="abc"' in full
    assert 'value="95"' in full
    assert 'value="5.5"' in full


def test_domain_range_error_lands_on_the_field(clinician_client: Client) -> None:
    data = CASE_6 | {"albumin_value": "95", "albumin_unit": "g/L"}
    body = clinician_client.post(reverse("staging:index"), data).content.decode()
    assert "is-invalid" in body
    assert "60 g/L" in body
    assert 'value="95"' in body


def test_isatuximab_note_only_when_relevant(clinician_client: Client) -> None:
    url = reverse("staging:index")
    assert "isatuximab-spe-ife" not in clinician_client.post(url, CASE_6).content.decode()
    body = clinician_client.post(url, CASE_6 | {"received_isatuximab": "on"}).content.decode()
    assert 'data-testid="isatuximab-spe-ife"' in body
    assert "detected on serum protein electrophoresis and immunofixation" in body


def test_summary_for_the_letter_names_sources(clinician_client: Client) -> None:
    body = clinician_client.post(reverse("staging:index"), CASE_6).content.decode()
    start = body.index('id="staging-summary"')
    summary = body[start : body.index("</textarea>", start)]
    assert "ISS: III" in summary
    assert "R2-ISS: III" in summary
    assert "Greipp" in summary


def test_smouldering_page(clinician_client: Client) -> None:
    url = reverse("staging:smouldering")
    data = {
        "m_protein_value": "2.6",
        "m_protein_unit": "g/dL",
        "flc_ratio": "22.5",
        "bone_marrow_plasma_cells_percent": "25",
    }
    body = clinician_client.post(url, data).content.decode()
    assert "High risk" in body
    assert "44" in body


def test_smouldering_page_low_risk_interval(clinician_client: Client) -> None:
    data = {
        "m_protein_value": "1.0",
        "m_protein_unit": "g/dL",
        "flc_ratio": "3",
        "bone_marrow_plasma_cells_percent": "12",
    }
    body = clinician_client.post(reverse("staging:smouldering"), data).content.decode()
    assert "Low risk" in body
    assert "6 months" in body


def test_diagnosis_and_frailty_pages_render(clinician_client: Client) -> None:
    for name in ("staging:diagnosis", "staging:frailty"):
        response = clinician_client.get(reverse(name))
        assert response.status_code == 200
    body = clinician_client.post(
        reverse("staging:frailty"),
        {
            "age_years": "78",
            "charlson_comorbidity_index": "2",
            "katz_adl": "5",
            "lawton_iadl": "5",
            "ecog_performance_status": "1",
        },
    ).content.decode()
    assert "Frail" in body
    assert "pending verification" in body


def test_frailty_out_of_range_named(clinician_client: Client) -> None:
    body = clinician_client.post(
        reverse("staging:frailty"), {"ecog_performance_status": "7"}
    ).content.decode()
    assert "is-invalid" in body
    assert 'value="7"' in body


def test_creatinine_in_the_wrong_unit_says_what_it_would_be(clinician_client: Client) -> None:
    """Issue 11: 2.5 µmol/L is impossible; 2.5 mg/dL × 88.4 = 221 µmol/L (U1)."""
    data = CASE_6 | {"creatinine_value": "2.5", "creatinine_unit": "umol/L"}
    body = clinician_client.post(reverse("staging:index"), data).content.decode()
    assert "2.5 µmol/L is not possible for creatinine. Did you mean 2.5 mg/dL (221 µmol/L)?" in body
    assert 'value="2.5"' in body
    assert "ISS III" not in body  # no result from an impossible value


def test_ldh_status_contradicting_the_value_is_shown_at_both_fields(
    clinician_client: Client,
) -> None:
    data = CASE_6 | {"ldh_status": "normal", "ldh_value": "310", "ldh_upper_limit_normal": "250"}
    fragment = clinician_client.post(
        reverse("staging:index"), data, headers={"HX-Request": "true"}
    ).content.decode()
    message = "LDH status &quot;normal&quot; contradicts the LDH value 310 U/L"
    for field in ("id_ldh_status", "id_ldh_value"):
        slot = re.search(rf'<div id="{field}-errors"[^>]*oob="true">([^<]*)</div>', fragment)
        assert slot is not None and message in slot.group(1)
    full = clinician_client.post(reverse("staging:index"), data).content.decode()
    assert 'value="310"' in full
    assert 'value="250"' in full
