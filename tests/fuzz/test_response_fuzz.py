"""Hypothesis against the response endpoints: never a 5xx; every 422 names a field and says why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import FINDINGS, FUZZ_SETTINGS, body, lab, nasty_numbers
from tests.fuzz.test_api_fuzz import _check, _encode, _saved_plan

pytestmark = pytest.mark.django_db

IFE = st.sampled_from(["positive", "negative", "unknown", "weak", *FINDINGS])
DATES = st.one_of(
    st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2027, 6, 1)).map(
        lambda d: d.isoformat()
    ),
    st.sampled_from(["2026-02-30", "2026-1-5", "", "05/01/2026", "2026-01-05T00:00:00"]),
)
ASSESSMENT = body(
    {
        "date": DATES,
        "baseline": st.booleans(),
        "serum_m_protein": lab(["g/L", "g/dL", "mg/dL"]),
        "urine_m_protein": lab(["mg/24h", "g/24h", "mg/L"]),
        "involved_flc": lab(["mg/L", "mg/dL", "g/L"]),
        "uninvolved_flc": lab(["mg/L", "mg/dL"]),
        "serum_ife": IFE,
        "urine_ife": IFE,
        "bone_marrow_plasma_cells_percent": nasty_numbers,
        "bone_marrow_clonality": st.sampled_from(["clonal", "polyclonal", "unknown", "x"]),
        "plasmacytoma": st.sampled_from(FINDINGS),
        "new_bone_lesions": st.sampled_from(FINDINGS),
        "mrd": body(
            {
                "result": st.sampled_from(["negative", "positive", "unknown"]),
                "method": st.sampled_from(["ngf", "ngs", "pcr"]),
                "sensitivity": nasty_numbers,
            }
        ),
        "pet_ct": st.sampled_from(["negative", "positive", "not_done", "maybe"]),
        "ife_shift_assay": st.sampled_from(["shifted", "not_shifted", "x"]),
    }
)
ASSESS = body(
    {
        "isotype": body(
            {
                "heavy_chain": st.sampled_from(["IgG", "IgA", "none", "IgX"]),
                "light_chain": st.sampled_from(["kappa", "lambda", "mu"]),
            }
        ),
        "anti_cd38": st.sampled_from(["isatuximab", "daratumumab", "rituximab"]) | st.none(),
        "treatment_start": DATES,
        "assessments": st.lists(ASSESSMENT, max_size=6),
    }
)


def test_response_assess_survives_hostile_json(fuzz_client: Client) -> None:
    path = "/api/v1/response/assess"

    @FUZZ_SETTINGS
    @given(payload=ASSESS)
    def run(payload: Any) -> None:
        response = fuzz_client.post(path, _encode(payload), content_type="application/json")
        _check(path, payload, response.status_code, response.content)

    run()


def test_plan_assessments_survive_hostile_json(fuzz_client: Client) -> None:
    plan_id = _saved_plan(fuzz_client)
    path = f"/api/v1/plans/{plan_id}/assessments"
    baseline = {
        "date": "2026-01-02",
        "baseline": True,
        "serum_m_protein": {"value": 30, "unit": "g/L"},
    }
    assert (
        fuzz_client.post(path, _encode(baseline), content_type="application/json").status_code
        == 201
    )

    @FUZZ_SETTINGS
    @given(payload=ASSESSMENT)
    def run(payload: Any) -> None:
        with transaction.atomic():
            response = fuzz_client.post(path, _encode(payload), content_type="application/json")
            if response.status_code == 201:
                reply = fuzz_client.get(f"/api/v1/plans/{plan_id}/response")
                assert reply.status_code == 200, (payload, reply.content)
                created = response.content
            transaction.set_rollback(True)
        if response.status_code == 201:
            assert b'"id"' in created
            return
        _check(path, payload, response.status_code, response.content)

    run()
