"""POST /api/v1/staging/* as in docs/api.md; worked examples of domain-reference §18."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NO_ABNORMALITY = {
    "del_17p": "absent",
    "tp53_mutation": "absent",
    "t_4_14": "absent",
    "t_14_16": "absent",
    "t_14_20": "absent",
    "gain_1q": "absent",
    "del_1p32": "absent",
}


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"/api/v1/staging/{path}", json.dumps(body), content_type="application/json")


def test_contract_example_case_3(clinician_client: Client) -> None:
    """§18.1 Case 3: ISS III, R-ISS III, R2-ISS IV (3.5 points), IMS/IMWG high risk."""
    body = {
        "age_years": 71,
        "beta2_microglobulin": {"value": 6.1, "unit": "mg/L"},
        "albumin": {"value": 3.0, "unit": "g/dL"},
        "creatinine": {"value": 1.0, "unit": "mg/dL"},
        "ldh_status": "high",
        "cytogenetics": NO_ABNORMALITY
        | {"del_17p": "present", "del_17p_clonal_fraction_percent": 35},
    }
    response = _post(clinician_client, "assess", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["iss"]["stage"] == "III"
    assert data["r_iss"]["stage"] == "III"
    assert data["r2_iss"]["stage"] == "IV"
    assert data["r2_iss"]["score"] == 3.5
    assert data["r2_iss"]["score_range"] == [3.5, 3.5]
    hr = data["high_risk_ims_imwg_2025"]
    assert hr["status"] == "high_risk"
    assert "del17p_or_tp53" in hr["criteria_met"]
    assert "b2m_with_normal_creatinine" in hr["criteria_met"]
    for block in ("iss", "r_iss", "r2_iss", "high_risk_ims_imwg_2025"):
        assert data[block]["source"]
        assert data[block]["reasons"]


def test_case_1_in_si_units(clinician_client: Client) -> None:
    """§18.1 Case 1: albumin 40 g/L, creatinine 80 µmol/L ⇒ I / I / I / not high risk."""
    body = {
        "beta2_microglobulin": {"value": 2.8, "unit": "mg/L"},
        "albumin": {"value": 40, "unit": "g/L"},
        "creatinine": {"value": 80, "unit": "µmol/L"},
        "ldh_status": "normal",
        "cytogenetics": NO_ABNORMALITY,
    }
    data = _post(clinician_client, "assess", body).json()
    assert (data["iss"]["stage"], data["r_iss"]["stage"], data["r2_iss"]["stage"]) == (
        "I",
        "I",
        "I",
    )
    assert data["high_risk_ims_imwg_2025"]["status"] == "not_high_risk"


def test_omitted_everything_is_unknown_not_normal(clinician_client: Client) -> None:
    data = _post(clinician_client, "assess", {}).json()
    assert data["iss"]["stage"] is None
    assert data["iss"]["possible_stages"] == ["I", "II", "III"]
    assert "beta2_microglobulin" in data["iss"]["missing"]
    assert data["r2_iss"]["score"] is None
    assert data["high_risk_ims_imwg_2025"]["status"] == "not_assessable"


def test_iss_ii_gives_r_iss_ii_whatever_fish_shows(clinician_client: Client) -> None:
    """§5: ISS II ⇒ always R-ISS II, so FISH and LDH are not 'missing' for R-ISS."""
    body = {
        "beta2_microglobulin": {"value": 4.2, "unit": "mg/L"},
        "albumin": {"value": 3.2, "unit": "g/dL"},
    }
    data = _post(clinician_client, "assess", body).json()
    assert data["iss"]["stage"] == "II"
    assert data["r_iss"]["stage"] == "II"
    assert data["r_iss"]["missing"] == []


def test_ldh_value_with_upper_limit(clinician_client: Client) -> None:
    body = {
        "beta2_microglobulin": {"value": 6.0, "unit": "mg/L"},
        "ldh": {"value": 310, "unit": "U/L", "upper_limit_normal": 250},
        "cytogenetics": NO_ABNORMALITY,
    }
    data = _post(clinician_client, "assess", body).json()
    assert data["r_iss"]["stage"] == "III"  # ISS III + LDH above ULN


def test_smouldering_contract_example(clinician_client: Client) -> None:
    """api-v1 / §18.2 Case 14: 2.6 g/dL, ratio 22.5, BMPC 25 % ⇒ high risk, 3 factors."""
    body = {
        "m_protein": {"value": 2.6, "unit": "g/dL"},
        "flc_ratio": 22.5,
        "bone_marrow_plasma_cells_percent": 25,
    }
    response = _post(clinician_client, "smouldering-risk", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["risk"] == "high"
    assert data["possible_risks"] == ["high"]
    assert sorted(data["factors_present"]) == [
        "bone_marrow_plasma_cells",
        "flc_ratio",
        "m_protein",
    ]
    assert data["follow_up"]["every_months_min"] is None
    assert data["missing"] == []


def test_smouldering_low_risk_follow_up_every_six_months(clinician_client: Client) -> None:
    body = {
        "m_protein": {"value": 15, "unit": "g/L"},
        "flc_ratio": 5,
        "bone_marrow_plasma_cells_percent": 12,
    }
    data = _post(clinician_client, "smouldering-risk", body).json()
    assert data["risk"] == "low"
    assert (data["follow_up"]["every_months_min"], data["follow_up"]["every_months_max"]) == (
        6,
        6,
    )


def test_smouldering_intermediate_follow_up_three_to_six_months(clinician_client: Client) -> None:
    body = {
        "m_protein": {"value": 2.1, "unit": "g/dL"},
        "flc_ratio": 20,
        "bone_marrow_plasma_cells_percent": 20,
    }
    data = _post(clinician_client, "smouldering-risk", body).json()
    assert data["risk"] == "intermediate"
    assert (data["follow_up"]["every_months_min"], data["follow_up"]["every_months_max"]) == (
        3,
        6,
    )


def test_diagnosis_case_15_slim_criterion(clinician_client: Client) -> None:
    """§18.2 Case 15: BMPC 65 % is a myeloma-defining event ⇒ multiple myeloma."""
    body = {
        "clonal_bone_marrow_plasma_cells_percent": 65,
        "serum_m_protein": {"value": 1.8, "unit": "g/dL"},
    }
    data = _post(clinician_client, "diagnosis", body).json()
    assert data["classification"] == "multiple_myeloma"
    assert "bmpc_60" in data["myeloma_defining_events_met"]


def test_frailty_case_16(clinician_client: Client) -> None:
    """§18.2 Case 16: 78 y, CCI 2, ADL 5, IADL 5, ECOG 1 ⇒ simplified 3 frail; IMWG 3 frail."""
    body = {
        "age_years": 78,
        "charlson_comorbidity_index": 2,
        "katz_adl": 5,
        "lawton_iadl": 5,
        "ecog_performance_status": 1,
    }
    data = _post(clinician_client, "frailty", body).json()
    assert (data["simplified"]["score"], data["simplified"]["category"]) == (3, "frail")
    assert (data["imwg"]["score"], data["imwg"]["category"]) == (3, "frail")
    assert data["imwg"]["cut_points_verified"] is False
    assert data["simplified"]["cut_points_verified"] is True


@pytest.mark.parametrize(
    ("body", "loc", "words"),
    [
        ({"beta2_microglobulin": {"value": 151, "unit": "mg/L"}}, "beta2_microglobulin", "150"),
        ({"beta2_microglobulin": {"value": 3, "unit": "g/dL"}}, "beta2_microglobulin", "mg/L"),
        ({"albumin": {"value": -1, "unit": "g/L"}}, "albumin", "g/L"),
        ({"albumin": {"value": 95, "unit": "g/L"}}, "albumin", "60"),
        ({"creatinine": {"value": 2500, "unit": "umol/L"}}, "creatinine", "2000"),
        ({"cytogenetics": {"del_17p_clonal_fraction_percent": 120}}, "cytogenetics", "100"),
    ],
)
def test_invalid_values_answer_422_naming_field_unit_and_range(
    clinician_client: Client, body: dict[str, Any], loc: str, words: str
) -> None:
    response = _post(clinician_client, "assess", body)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"][:2] == ["body", loc]
    assert words in detail[0]["msg"]


def test_non_numeric_value_answers_422(clinician_client: Client) -> None:
    response = _post(clinician_client, "assess", {"albumin": {"value": "forty", "unit": "g/L"}})
    assert response.status_code == 422
    assert "albumin" in response.json()["detail"][0]["loc"]


def test_bad_json_answers_422_not_500(clinician_client: Client) -> None:
    response = clinician_client.post(
        "/api/v1/staging/assess", "{not json", content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_percent_out_of_range_on_smouldering(clinician_client: Client) -> None:
    response = _post(clinician_client, "smouldering-risk", {"bone_marrow_plasma_cells_percent": -5})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "bone_marrow_plasma_cells_percent"]


def test_anonymous_gets_401(client: Client) -> None:
    assert _post(client, "assess", {}).status_code == 401


# --- Issue 11: impossible values are unit mix-ups; contradictions are refused -----------------


def test_albumin_3_8_g_l_is_refused_with_the_g_dl_hint(clinician_client: Client) -> None:
    """It gave ISS II: 3.8 g/L is no serum albumin; 3.8 g/dL = 38 g/L (U2)."""
    body = {
        "beta2_microglobulin": {"value": 2.0, "unit": "mg/L"},
        "albumin": {"value": 3.8, "unit": "g/L"},
    }
    response = _post(clinician_client, "assess", body)
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "albumin"]
    assert "did you mean 3.8 g/dL (38 g/L)?" in error["msg"]


def test_albumin_3_8_g_dl_with_low_beta2_microglobulin_is_iss_i(clinician_client: Client) -> None:
    """I1: β2M 2.0 < 3.5 mg/L and albumin 3.8 g/dL ≥ 3.5 g/dL ⇒ ISS I."""
    body = {
        "beta2_microglobulin": {"value": 2.0, "unit": "mg/L"},
        "albumin": {"value": 3.8, "unit": "g/dL"},
    }
    response = _post(clinician_client, "assess", body)
    assert response.status_code == 200, response.content
    assert response.json()["iss"]["stage"] == "I"


@pytest.mark.parametrize("value", [1e-300, 1e300, -0.0, 0, -2])
def test_creatinine_zero_negative_or_absurd_is_422(clinician_client: Client, value: float) -> None:
    response = _post(clinician_client, "assess", {"creatinine": {"value": value, "unit": "mg/dL"}})
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "creatinine"]
    assert "0.11 to 22.63 mg/dL" in error["msg"]


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("diagnosis", {"haemoglobin": {"value": 9, "unit": "g/L"}}, ["body", "haemoglobin"]),
        ("diagnosis", {"calcium": {"value": 11, "unit": "mmol/L"}}, ["body", "calcium"]),
        ("diagnosis", {"involved_flc_mg_l": 0}, ["body", "involved_flc_mg_l"]),
        ("smouldering-risk", {"m_protein": {"value": 25, "unit": "g/dL"}}, ["body", "m_protein"]),
        (
            "assess",
            {"ldh": {"value": 310, "unit": "U/L", "upper_limit_normal": 4.2}},
            ["body", "ldh", "upper_limit_normal"],
        ),
    ],
)
def test_every_staging_endpoint_refuses_an_impossible_value(
    clinician_client: Client, path: str, body: dict[str, Any], loc: list[str]
) -> None:
    response = _post(clinician_client, path, body)
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"] == loc
    assert "is not possible for" in error["msg"]


@pytest.mark.parametrize(
    ("status", "value", "uln"),
    [("normal", 310, 250), ("normal", 250.5, 250), ("high", 250, 250), ("high", 120, 250)],
)
def test_ldh_status_contradicting_its_value_is_422_naming_both(
    clinician_client: Client, status: str, value: float, uln: float
) -> None:
    """G4: high = above ULN; a value equal to the ULN counts as normal."""
    body = {"ldh_status": status, "ldh": {"value": value, "unit": "U/L", "upper_limit_normal": uln}}
    response = _post(clinician_client, "assess", body)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert [error["loc"] for error in detail] == [["body", "ldh_status"], ["body", "ldh", "value"]]
    assert f'"{status}" contradicts' in detail[0]["msg"]


@pytest.mark.parametrize(
    ("status", "value", "stage"),
    [("normal", 250, "I"), ("high", 251, "II"), ("unknown", 251, "II")],
)
def test_ldh_status_agreeing_with_its_value_is_used(
    clinician_client: Client, status: str, value: float, stage: str
) -> None:
    """R-ISS I needs ISS I, standard-risk CA and LDH ≤ ULN (R1); LDH > ULN ⇒ R-ISS II."""
    body = {
        "beta2_microglobulin": {"value": 2.0, "unit": "mg/L"},
        "albumin": {"value": 40, "unit": "g/L"},
        "ldh_status": status,
        "ldh": {"value": value, "unit": "U/L", "upper_limit_normal": 250},
        "cytogenetics": NO_ABNORMALITY,
    }
    response = _post(clinician_client, "assess", body)
    assert response.status_code == 200, response.content
    assert response.json()["r_iss"]["stage"] == stage


def test_del_17p_absent_with_a_clonal_fraction_is_422_naming_both(clinician_client: Client) -> None:
    body = {"cytogenetics": NO_ABNORMALITY | {"del_17p_clonal_fraction_percent": 30}}
    response = _post(clinician_client, "assess", body)
    assert response.status_code == 422, response.content
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["body", "cytogenetics", "del_17p_clonal_fraction_percent"],
        ["body", "cytogenetics", "del_17p"],
    ]
