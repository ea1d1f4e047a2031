"""POST /api/v1/response/assess as in docs/api.md (domain-reference §21).

Expected categories are computed by hand in the comments from the §21 thresholds.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BASELINE: dict[str, Any] = {
    "date": "2026-01-02",
    "baseline": True,
    "serum_m_protein": {"value": 32, "unit": "g/L"},
    "urine_m_protein": {"value": 850, "unit": "mg/24h"},
    "involved_flc": {"value": 420, "unit": "mg/L"},
    "uninvolved_flc": {"value": 12, "unit": "mg/L"},
    "serum_ife": "positive",
    "urine_ife": "positive",
    "bone_marrow_plasma_cells_percent": 40,
    "bone_marrow_clonality": "clonal",
    "plasmacytoma": "absent",
    "new_bone_lesions": "absent",
    "mrd": None,
    "pet_ct": None,
    "ife_shift_assay": None,
}
CR: dict[str, Any] = {
    "serum_m_protein": {"value": 0, "unit": "g/L"},
    "urine_m_protein": {"value": 0, "unit": "mg/24h"},
    "serum_ife": "negative",
    "urine_ife": "negative",
    "bone_marrow_plasma_cells_percent": 1,
    "plasmacytoma": "absent",
}


def _body(*assessments: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "isotype": {"heavy_chain": "IgG", "light_chain": "kappa"},
        "anti_cd38": None,
        "treatment_start": "2026-01-05",
        "assessments": [BASELINE, *assessments],
    } | extra


def _post(client: Client, body: Any) -> Any:
    return client.post("/api/v1/response/assess", json.dumps(body), content_type="application/json")


def test_contract_example_with_a_confirmed_pr(clinician_client: Client) -> None:
    # serum 32 → 13.7 g/L = −57.2 %; urine 850 → 150 mg/24 h (< 200) → PR twice → confirmed PR
    response = _post(
        clinician_client,
        _body(
            {
                "date": "2026-03-02",
                "serum_m_protein": {"value": 13.7, "unit": "g/L"},
                "urine_m_protein": {"value": 150, "unit": "mg/24h"},
            },
            {
                "date": "2026-04-02",
                "serum_m_protein": {"value": 1.2, "unit": "g/dL"},
                "urine_m_protein": {"value": 0.12, "unit": "g/24h"},
            },
        ),
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["measurable_disease"] | {"reasons": [], "missing": [], "source": ""} == {
        "measurable": True,
        "by": ["serum", "urine"],
        "track": "serum_urine",
        "reasons": [],
        "missing": [],
        "source": "",
    }
    first, second, third = data["assessments"]
    assert (first["baseline"], first["category"], first["confirmed"], first["mrd"]) == (
        True,
        None,
        None,
        None,
    )
    assert (second["date"], second["category"], second["confirmed"]) == ("2026-03-02", "PR", True)
    assert "serum M-protein −57.2 % from baseline" in second["reasons"][0]
    assert (third["category"], third["confirmed"]) == ("PR", False)  # 12 g/L = −62.5 %
    assert data["best_confirmed_response"] == "PR"
    assert data["progression"] == {
        "progressed": False,
        "date": None,
        "criteria": [],
        "reasons": [],
        "source": data["progression"]["source"],
    }
    assert (data["mrd_cr"]["month_9"], data["mrd_cr"]["month_12"]) == (None, None)
    assert data["mrd_cr"]["window_status"] == "pending verification"
    assert "Kumar" in data["source"] and "I2TEAMM" in data["source"]
    assert data["warnings"] == []


def test_progression_mrd_and_interference(clinician_client: Client) -> None:
    body = _body(
        {**CR, "date": "2026-05-04", "serum_ife": "positive"},  # interference, no shift assay
        {
            **CR,
            "date": "2026-09-07",
            "serum_ife": "positive",
            "ife_shift_assay": "shifted",
            "mrd": {"result": "negative", "method": "ngf", "sensitivity": 1e-5},
            "pet_ct": "negative",
        },
        {"date": "2026-12-01", "serum_m_protein": {"value": 6, "unit": "g/L"}},
        {"date": "2027-01-04", "serum_m_protein": {"value": 9, "unit": "g/L"}},
        anti_cd38="isatuximab",
    )
    data = _post(clinician_client, body).json()
    categories = [a["category"] for a in data["assessments"]]
    # VGPR (interference), CR (shifted band), PD (0 → 6 g/L: ≥ 5 g/L from a nadir of 0), PD
    assert categories == [None, "VGPR", "CR", "PD", "PD"]
    assert any("interference" in w for w in data["warnings"])
    assert data["assessments"][2]["mrd"]["category"] == "imaging_plus_mrd_negative"
    assert data["assessments"][1]["confirmed"] is True  # next is CR
    assert data["best_confirmed_response"] == "VGPR"
    assert data["progression"]["progressed"] is True
    assert data["progression"]["date"] == "2026-12-01"
    assert data["progression"]["criteria"] == ["serum_m_protein"]
    # 2026-09-07 lies in the 9-month window (to 2026-11-04) and the 12-month one
    assert (data["mrd_cr"]["month_9"], data["mrd_cr"]["month_12"]) == (True, True)
    assert data["mrd_cr"]["month_12_method"] == "ngf"
    assert data["summary"].endswith("MRD-negative CR at 12 months: yes (NGF, 10⁻⁵)")


@pytest.mark.parametrize(
    ("change", "loc", "text"),
    [
        ({"serum_m_protein": {"value": -3, "unit": "g/L"}}, ["serum_m_protein"], "at least 0"),
        ({"serum_m_protein": {"value": 32, "unit": "g/dL"}}, ["serum_m_protein"], "g/dL"),
        ({"urine_m_protein": {"value": 850, "unit": "mg/dL"}}, ["urine_m_protein"], "mg/24 h"),
        ({"involved_flc": {"value": 420, "unit": "g/L"}}, ["involved_flc"], "mg/L, mg/dL"),
        ({"bone_marrow_plasma_cells_percent": 140}, ["bone_marrow_plasma_cells_percent"], "100"),
        (
            {"mrd": {"result": "negative", "method": "ngs", "sensitivity": 5}},
            ["mrd", "sensitivity"],
            "0.01",
        ),
    ],
)
def test_implausible_values_are_422_naming_the_field(
    clinician_client: Client, change: dict[str, Any], loc: list[str], text: str
) -> None:
    response = _post(clinician_client, _body({"date": "2026-03-02", **change}))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "assessments", 1, *loc]
    assert text in detail[0]["msg"]


@pytest.mark.parametrize(
    ("assessments", "text"),
    [
        ([{**BASELINE, "date": "2026-03-02"}], "Exactly one"),
        ([{"date": "2026-01-02"}], "unique"),
        ([{"date": "2025-12-30"}], "earliest"),
    ],
)
def test_series_rules_are_422(
    clinician_client: Client, assessments: list[dict[str, Any]], text: str
) -> None:
    response = _post(clinician_client, _body(*assessments))
    assert response.status_code == 422
    assert text in response.json()["detail"][0]["msg"]


def test_a_string_number_or_unknown_literal_is_422(clinician_client: Client) -> None:
    bad_number = _body({"date": "2026-03-02", "serum_m_protein": {"value": "15", "unit": "g/L"}})
    assert _post(clinician_client, bad_number).status_code == 422
    bad_literal = _body({"date": "2026-03-02", "serum_ife": "weak"})
    assert _post(clinician_client, bad_literal).status_code == 422
    assert _post(clinician_client, _body(anti_cd38="rituximab")).status_code == 422


def test_login_required(client: Client) -> None:
    assert _post(client, _body()).status_code == 401


def test_the_landmark_window_is_a_site_setting(clinician_client: Client, settings: Any) -> None:
    settings.I2TEAMM_LANDMARK_WINDOW_DAYS = 0
    # MRD-negative CR on 2026-10-06: one day after start + 9 months (2026-10-05) → not in a
    # 0-day window, and it is an assessment after the window → false; 12 months → true
    body = _body(
        {
            **CR,
            "date": "2026-10-06",
            "mrd": {"result": "negative", "method": "ngs", "sensitivity": 1e-6},
        }
    )
    data = _post(clinician_client, body).json()
    assert (data["mrd_cr"]["month_9"], data["mrd_cr"]["month_12"]) == (False, True)
    assert data["mrd_cr"]["window_days"] == 0
    assert data["mrd_cr"]["window_status"] == "pending verification"
