"""Hypothesis against the JSON API: never a 5xx; every 422 names a field and says why."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest
from django.db import transaction
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
    "d-vrd-cepheus",
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
PREVIEW_FIELDS: dict[str, st.SearchStrategy[Any]] = {
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
            "measured_on": DATES,
        }
    ),
}
PREVIEW = body(PREVIEW_FIELDS)
PLAN = body({**PREVIEW_FIELDS, "patient_reference": st.text(max_size=50)})
HISTORY = [
    "lenalidomide",
    "bortezomib",
    "carfilzomib",
    "pomalidomide",
    "anti_cd38",
    "bcma",
    "daratumumab",
    "isatuximab",
    "none",
    "Lenalidomide",
    "",
]
history = st.none() | st.lists(st.sampled_from(HISTORY), max_size=4)
TREATMENT = body(
    {
        "setting": st.sampled_from(["smouldering_high_risk", "ndmm", "rrmm", "RRMM", "mgus"]),
        "prior_lines": st.integers(min_value=-3, max_value=25),
        "exposed_to": history,
        "refractory_to": history,
        "transplant_eligible": st.none() | st.booleans(),
        "frailty": st.none() | st.sampled_from(["fit", "intermediate", "frail", "non_frail"]),
    }
)

ENDPOINTS = {
    "/api/v1/staging/assess": STAGING,
    "/api/v1/staging/smouldering-risk": SMOULDERING,
    "/api/v1/staging/diagnosis": DIAGNOSIS,
    "/api/v1/staging/frailty": FRAILTY,
    "/api/v1/dosing/preview": PREVIEW,
    "/api/v1/treatment/options": TREATMENT,
    "/api/v1/plans": PLAN,
}
# The success status where it is not 200: POST /api/v1/plans creates (201, with the plan's id).
CREATED = {"/api/v1/plans": 201}

# A saved plan to reschedule: §18.3 D1 (Isa-Pd from Monday 2026-01-05), 2 cycles.
D1: dict[str, Any] = {
    "regimen": "isa-pd",
    "start_date": "2026-01-05",
    "cycles": 2,
    "patient": {
        "age_years": 68,
        "sex": "male",
        "weight_kg": 72,
        "height_cm": 178,
        "creatinine": {"value": 0.9, "unit": "mg/dL"},
    },
}
# Dates around the plan (so planned doses are hit) and anything else.
NEAR_DATES = st.one_of(
    st.dates(min_value=dt.date(2025, 12, 20), max_value=dt.date(2026, 3, 15)).map(
        lambda d: d.isoformat()
    ),
    DATES,
)
RESCHEDULE = body(
    {
        "drug": st.sampled_from(
            ["isatuximab", "pomalidomide", "dexamethasone", "carfilzomib", "Isatuximab", ""]
        ),
        "planned_date": NEAR_DATES,
        "actual_date": st.none() | NEAR_DATES,
        "scope": st.sampled_from(["drug", "cycle", "all", "DRUG"]),
        "reason": st.text(max_size=40),
    }
)


def _encode(payload: Any) -> str:
    # allow_nan: Python's json (and ninja's parser) read NaN/Infinity, so attackers can send them.
    return json.dumps(payload, allow_nan=True)


def _check(path: str, payload: Any, status: int, content: bytes, ok: int = 200) -> None:
    assert status < 500, (path, payload)
    assert status in (ok, 422), (path, payload, status)
    data = json.loads(content)
    if status == ok:
        if ok == 201:  # a created plan is returned with its id
            assert str(UUID(data["id"])) == data["id"], (path, payload, data)
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
    # Issue 11: creatinine 1e-300 gave a 500; absurdly small or large labs are refused.
    ("/api/v1/staging/assess", {"creatinine": {"value": 1e-300, "unit": "mg/dL"}}),
    ("/api/v1/staging/diagnosis", {"haemoglobin": {"value": 1e300, "unit": "g/L"}}),
    ("/api/v1/staging/diagnosis", {"calcium": {"value": -0.0, "unit": "mmol/L"}}),
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
        _check(path, payload, response.status_code, response.content, CREATED.get(path, 200))

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
        _check(path, raw, response.status_code, response.content, CREATED.get(path, 200))

    run()


def _saved_plan(client: Client) -> str:
    response = client.post("/api/v1/plans", _encode(D1), content_type="application/json")
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


def test_reschedule_survives_hostile_json(fuzz_client: Client) -> None:
    # One saved plan; each example runs in a savepoint rolled back afterwards, so every example
    # meets the same plan (recorded adjustments would otherwise pile up and slow each replay).
    path = f"/api/v1/plans/{_saved_plan(fuzz_client)}/reschedule"

    @FUZZ_SETTINGS
    @given(payload=RESCHEDULE)
    def run(payload: Any) -> None:
        with transaction.atomic():
            response = fuzz_client.post(path, _encode(payload), content_type="application/json")
            transaction.set_rollback(True)
        _check(path, payload, response.status_code, response.content)

    run()


def _hostile_segment() -> st.SearchStrategy[str]:
    text = st.one_of(
        st.uuids().map(str),
        st.uuids().map(lambda u: u.hex),
        st.uuids().map(lambda u: str(u).upper()),
        st.text(max_size=40),
        st.sampled_from(["", "0", "-1", "null", "..", "%00", "' OR 1=1 --", "x" * 2000]),
    )
    return text.map(lambda t: quote(t, safe=""))


def _check_get(url: str, status: int, content: bytes, content_type: str) -> None:
    assert status < 500, url
    # 405: GET on the POST-only reschedule route.
    assert status in (200, 404, 405, 422), (url, status)
    if status == 422:
        for error in json.loads(content)["detail"]:
            assert error["loc"][0] in ("path", "query"), (url, error)
            assert len(error["loc"]) >= 2, (url, error)
            assert str(error["msg"]).strip(), (url, error)
    elif status == 200:
        assert content_type.startswith("application/json"), url


def test_get_endpoints_survive_hostile_paths_and_queries(fuzz_client: Client) -> None:
    plan_id = _saved_plan(fuzz_client)
    query = st.dictionaries(
        st.text(min_size=1, max_size=10), st.text(max_size=20) | st.lists(st.text(max_size=5))
    )
    url = st.one_of(
        st.just("/api/v1/regimens"),
        st.just(f"/api/v1/plans/{plan_id}"),
        _hostile_segment().map(lambda s: f"/api/v1/plans/{s}"),
        _hostile_segment().map(lambda s: f"/api/v1/plans/{s}/reschedule"),
        st.sampled_from([plan_id.upper(), plan_id.replace("-", ""), "{" + plan_id + "}"]).map(
            lambda s: f"/api/v1/plans/{quote(s, safe='')}"
        ),
    )

    @FUZZ_SETTINGS
    @given(url=url, params=query)
    def run(url: str, params: dict[str, Any]) -> None:
        response = fuzz_client.get(url, params)
        _check_get(url, response.status_code, response.content, response.get("Content-Type", ""))

    run()
