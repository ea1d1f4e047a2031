"""Hypothesis against the JSON API: never a 5xx; every 422 names a field and says why."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import (
    EXAMPLES,
    FINDINGS,
    FUZZ_SETTINGS,
    body,
    lab,
    nasty_numbers,
)

pytestmark = pytest.mark.django_db

finding = st.sampled_from(FINDINGS)
whole = st.integers(min_value=-5, max_value=600)

STAGING = body(
    {
        "age_years": whole,
        "beta2_microglobulin": lab(["mg/L", "g/L"]),
        "albumin": lab(["g/L", "g/dL", "mg/dL"]),
        "creatinine": lab(["umol/L", "µmol/L", "mg/dL", "mmol/L"]),
        "ldh_status": st.sampled_from(["normal", "high", "unknown", "low"]),
        "ldh": lab(["U/L", "IU/L"]),
        "cytogenetics": body(
            {
                "del_17p": finding,
                "del_17p_clonal_fraction_percent": nasty_numbers,
                "tp53_mutation": finding,
                "t_4_14": finding,
                "t_14_16": finding,
                "t_14_20": finding,
                "gain_1q": finding,
                "del_1p32": finding,
            }
        ),
    }
)
SMOULDERING = body(
    {
        "m_protein": lab(["g/L", "g/dL", "mg/L"]),
        "flc_ratio": nasty_numbers,
        "bone_marrow_plasma_cells_percent": nasty_numbers,
    }
)
DIAGNOSIS = body(
    {
        "clonal_bone_marrow_plasma_cells_percent": nasty_numbers,
        "biopsy_proven_plasmacytoma": finding,
        "serum_m_protein": lab(["g/L", "g/dL"]),
        "urine_m_protein_mg_24h": nasty_numbers,
        "calcium": lab(["mmol/L", "mg/dL"]),
        "calcium_upper_limit_normal": lab(["mmol/L", "mg/dL"]),
        "creatinine": lab(["umol/L", "mg/dL"]),
        "creatinine_clearance_ml_min": nasty_numbers,
        "haemoglobin": lab(["g/dL", "g/L", "mmol/L"]),
        "haemoglobin_lower_limit_normal": lab(["g/dL", "g/L", "mmol/L"]),
        "bone_lesions": finding,
        "involved_flc_mg_l": nasty_numbers,
        "uninvolved_flc_mg_l": nasty_numbers,
        "mri_focal_lesions": whole,
        "amyloidosis": finding,
        "crab_attributable": finding,
    }
)
FRAILTY = body(
    {
        "age_years": whole,
        "charlson_comorbidity_index": whole,
        "katz_adl": whole,
        "lawton_iadl": whole,
        "ecog_performance_status": whole,
    }
)
REGIMENS = [
    "isa-pd",
    "isa-kd",
    "isa-vrd-imroz",
    "isa-vrd-gmmg-hd7",
    "isa-vrd-rest",
    "d-vrd",
    "dkd",
    "dpd",
    "drd",
    "pvd",
    "no-such-regimen",
    "ISA-PD",
]
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-01-05", "2026-02-30", "0000-01-01", "9999-12-31", "2026-1-5"]),
)
PREVIEW = body(
    {
        "regimen": st.sampled_from(REGIMENS),
        "start_date": DATES,
        "cycles": st.integers(min_value=-2, max_value=70),
        "patient": body(
            {
                "age_years": st.integers(min_value=0, max_value=150),
                "sex": st.sampled_from(["male", "female", "other"]),
                "weight_kg": nasty_numbers,
                "height_cm": nasty_numbers,
                "creatinine": lab(["umol/L", "µmol/L", "mg/dL", "mmol/L"]),
                "on_dialysis": st.booleans(),
            }
        ),
    }
)

ENDPOINTS = {
    "/api/v1/staging/assess": STAGING,
    "/api/v1/staging/smouldering-risk": SMOULDERING,
    "/api/v1/staging/diagnosis": DIAGNOSIS,
    "/api/v1/staging/frailty": FRAILTY,
    "/api/v1/dosing/preview": PREVIEW,
}


def _encode(payload: Any) -> str:
    # allow_nan: Python's json (and ninja's parser) read NaN/Infinity, so attackers can send them.
    return json.dumps(payload, allow_nan=True)


def _check(path: str, payload: Any, status: int, content: bytes) -> None:
    assert status < 500, (path, payload)
    assert status in (200, 422), (path, payload, status)
    data = json.loads(content)
    if status == 200:
        return
    detail = data["detail"]
    assert isinstance(detail, list), (path, payload, data)
    assert detail, (path, payload, data)
    for error in detail:
        loc, msg = error["loc"], error["msg"]
        assert isinstance(loc, list), (path, payload, error)
        assert loc, (path, payload, error)
        assert loc[0] == "body", (path, payload, error)
        assert all(isinstance(part, str | int) for part in loc), (path, payload, error)
        if isinstance(payload, dict):
            # An object body: the error names the field (at least one level below the body).
            assert len(loc) >= 2, (path, payload, error)
        assert isinstance(msg, str), (path, payload, error)
        assert msg.strip(), (path, payload, error)


# Numbers far outside any range once crashed the error message (decimal precision in
# myeloma_core.units.format_number): they must be answered 422 naming the field.
HUGE_NUMBER_INPUTS = [
    ("/api/v1/staging/smouldering-risk", {"flc_ratio": 1e24}),
    ("/api/v1/staging/smouldering-risk", {"bone_marrow_plasma_cells_percent": 1e24}),
    ("/api/v1/staging/diagnosis", {"uninvolved_flc_mg_l": 1e308}),
    ("/api/v1/staging/diagnosis", {"involved_flc_mg_l": 1e308}),
    ("/api/v1/staging/diagnosis", {"clonal_bone_marrow_plasma_cells_percent": -1e308}),
]


@pytest.mark.parametrize(("path", "payload"), HUGE_NUMBER_INPUTS)
def test_huge_numbers_are_refused_not_crashed(
    fuzz_client: Client, path: str, payload: dict[str, Any]
) -> None:
    response = fuzz_client.post(path, _encode(payload), content_type="application/json")
    assert response.status_code == 422, response.content
    _check(path, payload, response.status_code, response.content)


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_api_endpoint_survives_hostile_json(fuzz_client: Client, path: str) -> None:
    @FUZZ_SETTINGS
    @given(payload=ENDPOINTS[path])
    def run(payload: Any) -> None:
        response = fuzz_client.post(path, _encode(payload), content_type="application/json")
        _check(path, payload, response.status_code, response.content)

    run()


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_api_endpoint_survives_raw_bytes(fuzz_client: Client, path: str) -> None:
    @settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 4, 50))
    @given(
        raw=st.one_of(
            st.binary(max_size=200),
            st.text(max_size=200).map(str.encode),
            st.sampled_from([b"", b"{", b"null", b"[]", b'{"a":}', b"\xff\xfe", b"1e999"]),
        ),
        content_type=st.sampled_from(["application/json", "text/plain", "application/xml"]),
    )
    def run(raw: bytes, content_type: str) -> None:
        response = fuzz_client.post(path, raw, content_type=content_type)
        _check(path, raw, response.status_code, response.content)

    run()
