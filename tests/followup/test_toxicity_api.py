"""Toxicity endpoints as in docs/api.md (domain-reference §22).

Expected grades and decisions are derived by hand in the comments from T2 (CTCAE v5.0), T4–T6
(SARCLISA), T8–T10 (ASTCT, KVA).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create

pytestmark = pytest.mark.django_db

PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
# Isa-Pd from Monday 2026-01-05 (X9): isatuximab C1 D1, 8, 15, 22 and C2 D1, 15 → infusions on
# 01-05, 01-12, 01-19, 01-26, 02-02, 02-16; pomalidomide D1–21; dexamethasone D1, 8, 15, 22.
START = dt.date(2026, 1, 5)


def _plan(user: User) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=START,
        cycles=2,
        patient_reference="MM-0015",
    )


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [item["loc"] for item in response.json()["detail"]]


# --------------------------------------------------------------------------------------------------
# POST /api/v1/toxicity/grade
# --------------------------------------------------------------------------------------------------


def test_grade_contract_example(clinician_client: Client) -> None:
    response = _post(
        clinician_client,
        "/api/v1/toxicity/grade",
        {
            "ctcae_version": "5.0",
            "neutrophils": {"value": 0.8, "unit": "10^9/L"},
            "platelets": {"value": 60, "unit": "10^9/L"},
            "haemoglobin": {"value": 92, "unit": "g/L"},
            "lower_limits": {"neutrophils": {"value": 1.8, "unit": "10^9/L"}},
            "temperature_celsius": 38.5,
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["ctcae_version"] == "5.0"
    grades = data["grades"]
    # 0.5 ≤ 0.8 < 1.0 → G3; 50 ≤ 60 < 75 → G2; 80 ≤ 92 < 100 g/L → G2;
    # ANC 0.8 < 1.0 with a single 38.5 > 38.3 °C → febrile neutropenia G3.
    assert {key: g["grade"] for key, g in grades.items()} == {
        "neutrophils": 3,
        "platelets": 2,
        "haemoglobin": 2,
        "febrile_neutropenia": 3,
    }
    assert grades["neutrophils"]["term"] == "Neutrophil count decreased"
    assert grades["neutrophils"]["possible_grades"] == [3]
    assert all(g["ctcae_version"] == "5.0" for g in grades.values())
    assert data["missing"] == []
    assert "CTCAE" in data["source"]


def test_grade_without_lln_is_a_range(clinician_client: Client) -> None:
    # 2000 /µL = 2.0 ×10⁹/L: not < 1.5 → grade 0 or 1, the LLN decides.
    response = _post(
        clinician_client,
        "/api/v1/toxicity/grade",
        {"neutrophils": {"value": 2000, "unit": "/uL"}},
    )
    data = response.json()
    assert data["ctcae_version"] == "5.0"  # the default
    assert data["grades"]["neutrophils"]["grade"] is None
    assert data["grades"]["neutrophils"]["possible_grades"] == [0, 1]
    assert data["missing"] == ["lower_limits.neutrophils"]
    assert set(data["grades"]) == {"neutrophils"}  # only the values sent


def test_grade_v6_is_labelled_pending(clinician_client: Client) -> None:
    # v6.0 (T3): 0.8 is < 1.0 and ≥ 0.5 → grade 2 (one step down from v5.0's 3).
    response = _post(
        clinician_client,
        "/api/v1/toxicity/grade",
        {"ctcae_version": "6.0", "neutrophils": {"value": 0.8, "unit": "10^9/L"}},
    )
    data = response.json()
    assert data["grades"]["neutrophils"]["grade"] == 2
    assert data["verification"] == "pending"
    assert data["grades"]["neutrophils"]["verification"] == "pending"
    assert any("pending verification" in w for w in data["warnings"])


@pytest.mark.parametrize(
    ("body", "loc", "fragment"),
    [
        ({"neutrophils": {"value": 0.8, "unit": "g/L"}}, ["body", "neutrophils"], "10^9/L"),
        ({"neutrophils": {"value": -1, "unit": "10^9/L"}}, ["body", "neutrophils"], "from 0"),
        ({"neutrophils": {"value": 800, "unit": "10^9/L"}}, ["body", "neutrophils"], "/µL"),
        ({"platelets": {"value": "60", "unit": "10^9/L"}}, ["body", "platelets", "value"], ""),
        ({"haemoglobin": {"value": 92, "unit": "mg/dL"}}, ["body", "haemoglobin"], "g/dL"),
        (
            {
                "neutrophils": {"value": 2, "unit": "10^9/L"},
                "lower_limits": {"neutrophils": {"value": 2, "unit": "g/L"}},
            },
            ["body", "lower_limits", "neutrophils"],
            "10^9/L",
        ),
        ({"ctcae_version": "4.03"}, ["body", "ctcae_version"], "pending verification"),
        ({"temperature_celsius": 101}, ["body", "temperature_celsius"], "°F"),
    ],
)
def test_grade_invalid_input_names_the_field(
    clinician_client: Client, body: dict[str, Any], loc: list[Any], fragment: str
) -> None:
    response = _post(clinician_client, "/api/v1/toxicity/grade", body)
    assert loc in _locs(response)
    assert fragment in json.dumps(response.json(), ensure_ascii=False)


def test_grade_needs_a_login(client: Client) -> None:
    assert _post(client, "/api/v1/toxicity/grade", {}).status_code == 401


# --------------------------------------------------------------------------------------------------
# CRS, ICANS, KVA
# --------------------------------------------------------------------------------------------------


def test_crs_contract_example(clinician_client: Client) -> None:
    # Fever 38.9 °C + hypotension without vasopressors → grade 2 (§13.2).
    response = _post(
        clinician_client,
        "/api/v1/toxicity/crs",
        {
            "temperature_celsius": 38.9,
            "fever_masked_by_treatment": False,
            "hypotension": "no_vasopressor",
            "hypoxia": "none",
        },
    )
    data = response.json()
    assert data["grade"] == 2
    assert data["reasons"]
    assert "ASTCT" in data["source"]


def test_crs_vasopressin_is_not_a_second_vasopressor(clinician_client: Client) -> None:
    # Norepinephrine + vasopressin = one vasopressor ± vasopressin → grade 3, not 4.
    response = _post(
        clinician_client,
        "/api/v1/toxicity/crs",
        {
            "temperature_celsius": 39.2,
            "vasopressors": ["norepinephrine", "vasopressin"],
            "hypoxia": "low_flow",
        },
    )
    assert response.json()["grade"] == 3
    contradiction = _post(
        clinician_client,
        "/api/v1/toxicity/crs",
        {
            "temperature_celsius": 39.2,
            "hypotension": "multiple_vasopressors",
            "vasopressors": ["norepinephrine", "vasopressin"],
            "hypoxia": "none",
        },
    )
    assert ["body", "hypotension"] in _locs(contradiction)


def test_crs_invalid_choice(clinician_client: Client) -> None:
    response = _post(clinician_client, "/api/v1/toxicity/crs", {"hypoxia": "mask"})
    assert ["body", "hypoxia"] in _locs(response)


def test_icans_contract_example(clinician_client: Client) -> None:
    # ICE 4 + 3 + 1 + 0 + 1 = 9 → grade 1; every other domain normal.
    response = _post(
        clinician_client,
        "/api/v1/toxicity/icans",
        {
            "ice": {"orientation": 4, "naming": 3, "commands": 1, "writing": 0, "attention": 1},
            "unable_to_perform_ice": False,
            "consciousness": "normal",
            "seizure": "none",
            "motor_weakness": "none",
            "cerebral_oedema": "none",
        },
    )
    data = response.json()
    assert (data["ice_score"], data["grade"]) == (9, 1)


def test_icans_impossible_ice_item(clinician_client: Client) -> None:
    response = _post(
        clinician_client,
        "/api/v1/toxicity/icans",
        {"ice": {"orientation": 5, "naming": 3, "commands": 1, "writing": 1, "attention": 1}},
    )
    assert ["body", "ice", "orientation"] in _locs(response)
    assert "0 to 4" in response.json()["detail"][0]["msg"]


def test_kva_contract_example(clinician_client: Client) -> None:
    # Mild keratopathy (1) and a 2-line BCVA decline (2) → the worse: grade 2 → withhold.
    response = _post(
        clinician_client,
        "/api/v1/toxicity/kva",
        {
            "corneal_exam": "mild_superficial",
            "bcva_lines_decline": 2,
            "snellen_worse_than_20_200": False,
        },
    )
    data = response.json()
    assert data["grade"] == 2
    assert data["action"].startswith("Withhold")


@pytest.mark.parametrize("lines", [-1, 21])
def test_kva_impossible_lines(clinician_client: Client, lines: int) -> None:
    response = _post(
        clinician_client,
        "/api/v1/toxicity/kva",
        {"corneal_exam": "normal", "bcva_lines_decline": lines},
    )
    assert ["body", "bcva_lines_decline"] in _locs(response)


# --------------------------------------------------------------------------------------------------
# POST /api/v1/plans/{id}/dose-check
# --------------------------------------------------------------------------------------------------


def _check(client: Client, plan: TreatmentPlan, **body: Any) -> Any:
    return _post(client, f"/api/v1/plans/{plan.pk}/dose-check", body)


def _decisions(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200, response.content
    return {d["drug"]: d for d in response.json()["decisions"]}


def test_dose_check_grade_3_neutropenia_delays_isatuximab(
    clinician_client: Client, clinician: User
) -> None:
    plan = _plan(clinician)
    response = _check(
        clinician_client,
        plan,
        date="2026-01-12",
        neutrophils={"value": 0.8, "unit": "10^9/L"},
        platelets={"value": 160, "unit": "10^9/L"},
        febrile_neutropenia=False,
        neutropenic_infection=False,
        infusion_reaction=None,
    )
    decisions = _decisions(response)
    # C1 D8: isatuximab, pomalidomide (D1–21) and dexamethasone are due.
    assert set(decisions) == {"isatuximab", "pomalidomide", "dexamethasone"}
    isa = decisions["isatuximab"]
    assert isa["action"] == "delay"  # 0.8 → grade 3 (T4)
    assert isa["dose_reduction"] is False
    assert isa["verification"] == "verified"
    assert "SARCLISA" in isa["source"]
    # T7: no label-verified partner rule → review, never a number.
    assert decisions["pomalidomide"]["action"] == "review"
    assert decisions["pomalidomide"]["verification"] == "pending"
    data = response.json()
    assert data["ctcae_version"] == "5.0"
    assert data["grades"]["neutrophils"]["grade"] == 3
    assert data["date"] == "2026-01-12"


def test_dose_check_normal_counts_give_isatuximab(
    clinician_client: Client, clinician: User
) -> None:
    plan = _plan(clinician)
    response = _check(
        clinician_client,
        plan,
        date="2026-01-05",
        neutrophils={"value": 2500, "unit": "/uL"},
        lower_limits={"neutrophils": {"value": 1.8, "unit": "10^9/L"}},
        febrile_neutropenia=False,
        neutropenic_infection=False,
    )
    assert _decisions(response)["isatuximab"]["action"] == "give"


def test_dose_check_unknown_count_is_review(clinician_client: Client, clinician: User) -> None:
    plan = _plan(clinician)
    response = _check(
        clinician_client,
        plan,
        date="2026-01-05",
        febrile_neutropenia=False,
        neutropenic_infection=False,
    )
    isa = _decisions(response)["isatuximab"]
    assert isa["action"] == "review"
    assert any("missing neutrophil count" in r for r in isa["reasons"])


def test_dose_check_unresolved_grade_2_reaction_discontinues(
    clinician_client: Client, clinician: User
) -> None:
    plan = _plan(clinician)
    response = _check(
        clinician_client,
        plan,
        date="2026-01-19",
        neutrophils={"value": 0.4, "unit": "10^9/L"},
        febrile_neutropenia=False,
        neutropenic_infection=False,
        infusion_reaction={
            "grade": 2,
            "improved_to_grade_1_or_less": False,
            "hospitalisation": False,
        },
    )
    # T5: a grade 2 reaction that did not improve → permanent discontinuation, which outranks
    # the delay for grade 4 neutropenia (0.4 < 0.5).
    assert _decisions(response)["isatuximab"]["action"] == "discontinue"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"date": "2027-06-01"}, ["body", "date"]),  # not a treatment day
        (
            {"date": "2026-01-05", "infusion_reaction": {"grade": 5}},
            ["body", "infusion_reaction", "grade"],
        ),
        ({"date": "05/01/2026"}, ["body", "date"]),
        (
            {"date": "2026-01-05", "neutrophils": {"value": 1e9, "unit": "/uL"}},
            ["body", "neutrophils"],
        ),
    ],
)
def test_dose_check_invalid_input(
    clinician_client: Client, clinician: User, body: dict[str, Any], loc: list[Any]
) -> None:
    plan = _plan(clinician)
    assert loc in _locs(_check(clinician_client, plan, **body))


def test_not_a_treatment_day_names_the_nearest(clinician_client: Client, clinician: User) -> None:
    plan = _plan(clinician)
    # 2026-01-31 is C1 D27: nothing is due; before it C1 D22 (01-26: isatuximab,
    # dexamethasone), after it C2 D1 (02-02).
    response = _check(clinician_client, plan, date="2026-01-31")
    message = response.json()["detail"][0]["msg"]
    assert "the previous is 2026-01-26 and the next is 2026-02-02" in message


# --------------------------------------------------------------------------------------------------
# GET /api/v1/plans/{id}/infusions
# --------------------------------------------------------------------------------------------------


def test_infusions_with_steps_and_totals(clinician_client: Client, clinician: User) -> None:
    plan = _plan(clinician)
    response = clinician_client.get(f"/api/v1/plans/{plan.pk}/infusions")
    assert response.status_code == 200, response.content
    infusions = response.json()
    assert [i["date"] for i in infusions] == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-16",
    ]
    assert [i["infusion_number"] for i in infusions] == [1, 2, 3, 4, 5, 6]
    # T6: 200 min, 112.5 min, then 75 min.
    assert [i["total_minutes"] for i in infusions] == pytest.approx([200, 112.5, 75, 75, 75, 75])
    first = infusions[0]
    assert first["volume_ml"] == 250
    assert first["steps"][:2] == [
        {"from_minute": 0, "rate_ml_h": 25},
        {"from_minute": 60, "rate_ml_h": 50},
    ]
    assert [s["rate_ml_h"] for s in first["steps"]] == [25, 50, 75, 100, 125, 150]
    # 10 mg/kg × 72 kg = 720 mg = 36 mL of 20 mg/mL (X5).
    assert first["dose_mg"] == 720
    assert first["drug_volume_ml"] == 36
    assert first["steps_verification"] == "pending"  # §17 #14
    restart = first["after_grade_2_reaction"]
    assert restart["steps"][0] == {"from_minute": 0, "rate_ml_h": 12.5}
    assert restart["verification"] == "pending"


def test_other_teams_get_404(clinician: User) -> None:
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    Membership.objects.create(user=clinician, team=team_a)
    plan = _plan(clinician)
    outsider = User.objects.create_user(username="other", password="a-long-test-password-1")
    outsider.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    Membership.objects.create(user=outsider, team=team_b)
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/api/v1/plans/{plan.pk}/infusions").status_code == 404
    assert _check(client, plan, date="2026-01-05").status_code == 404
