"""POST /api/v1/treatment/options (docs/api.md); examples from domain-reference §12."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CONTRACT_EXAMPLE = {
    # api-v1's example is the seed's one-prior-line case (§12.5).
    "setting": "rrmm",
    "prior_lines": 1,
    "exposed_to": ["bortezomib"],
    "refractory_to": ["bortezomib"],
    "transplant_eligible": None,
    "frailty": None,
}


def _post(client: Client, body: Any) -> Any:
    return client.post(
        "/api/v1/treatment/options", json.dumps(body), content_type="application/json"
    )


def test_contract_example_gives_drd_dkd_isa_kd(clinician_client: Client) -> None:
    response = _post(clinician_client, CONTRACT_EXAMPLE)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["guideline"]["name"] == "EHA-EMN 2025 guidelines for multiple myeloma"
    assert data["guideline"]["version"] == 1
    assert [o["regimen"] for o in data["options"]] == ["drd", "dkd", "isa-kd"]
    for option in data["options"]:
        assert set(option) >= {"regimen", "name", "evidence", "grade", "source", "basis"}
        assert option["grade"] is None
        assert option["basis"] == "guideline"
        assert option["source"].startswith("[SEED] EHA-EMN summary")
        assert option["match"] == "matches"
        assert option["verification"] == "verified"
    assert isinstance(data["notes"], list) and data["notes"]
    assert data["missing"] == []


def test_smouldering_high_risk(clinician_client: Client) -> None:
    data = _post(clinician_client, {"setting": "smouldering_high_risk"}).json()
    assert len(data["options"]) == 1
    dara = data["options"][0]
    assert dara["regimen"] is None
    assert dara["grade"] == "[I, A]"
    assert dara["basis"] == "guideline"
    assert dara["pivotal_trial"] == "AQUILA"


def test_ndmm_unknowns_are_reported(clinician_client: Client) -> None:
    data = _post(clinician_client, {"setting": "ndmm"}).json()
    assert data["missing"] == ["transplant_eligible", "frailty"]
    assert {o["match"] for o in data["options"]} == {"possible"}
    assert all(o["grade"] is None for o in data["options"])
    assert [o["regimen"] for o in data["investigational"]] == ["isa-vrd-rest"]
    assert data["investigational"][0]["basis"] == "investigational"


def test_ti_fit(clinician_client: Client) -> None:
    body = {"setting": "ndmm", "prior_lines": 0, "transplant_eligible": False, "frailty": "fit"}
    data = _post(clinician_client, body).json()
    assert [(o["regimen"], o["basis"]) for o in data["options"]] == [
        ("isa-vrd-imroz", "label"),
        ("d-vrd", "guideline"),
        ("drd", "guideline"),
    ]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"setting": "mgus"}, ["body", "setting"]),
        ({}, ["body", "setting"]),
        (CONTRACT_EXAMPLE | {"prior_lines": 21}, ["body", "prior_lines"]),
        (CONTRACT_EXAMPLE | {"prior_lines": "1"}, ["body", "prior_lines"]),
        (CONTRACT_EXAMPLE | {"prior_lines": True}, ["body", "prior_lines"]),
        (CONTRACT_EXAMPLE | {"prior_lines": 0}, ["body", "prior_lines"]),
        (CONTRACT_EXAMPLE | {"exposed_to": ["thalidomide"]}, ["body", "exposed_to", "0"]),
        (CONTRACT_EXAMPLE | {"refractory_to": "bortezomib"}, ["body", "refractory_to"]),
        (CONTRACT_EXAMPLE | {"transplant_eligible": "yes"}, ["body", "transplant_eligible"]),
        (CONTRACT_EXAMPLE | {"frailty": "robust"}, ["body", "frailty"]),
    ],
)
def test_invalid_input_is_422_naming_the_field(
    clinician_client: Client, body: dict[str, Any], loc: list[str]
) -> None:
    response = _post(clinician_client, body)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == loc
    assert detail[0]["msg"]


def test_not_json_is_422(clinician_client: Client) -> None:
    response = clinician_client.post(
        "/api/v1/treatment/options", "{not json", content_type="application/json"
    )
    assert response.status_code == 422


def test_anonymous_is_401(client: Client) -> None:
    response = _post(client, CONTRACT_EXAMPLE)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}


def test_listed_in_the_openapi_schema(clinician_client: Client) -> None:
    schema = clinician_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/treatment/options" in schema["paths"]
