"""POST /api/v1/plans/{id}/assessments and GET /api/v1/plans/{id}/response (api-v1, §21)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN, CONTENT_EDITOR
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from followup.models import DiseaseAssessment
from followup.selectors import plan_anti_cd38
from followup.services import assessment_record, assessment_update

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
BASELINE: dict[str, Any] = {
    "date": "2026-01-02",
    "baseline": True,
    "isotype": {"heavy_chain": "IgG", "light_chain": "kappa"},
    "serum_m_protein": {"value": 35, "unit": "g/L"},
    "urine_m_protein": {"value": 0, "unit": "mg/24h"},
    "plasmacytoma": "absent",
}
CR_SERUM_IFE_POSITIVE: dict[str, Any] = {
    "serum_m_protein": {"value": 0, "unit": "g/L"},
    "serum_ife": "positive",
    "urine_ife": "negative",
    "bone_marrow_plasma_cells_percent": 2,
    "plasmacytoma": "absent",
}


def _plan(user: User, regimen: str = "isa-pd") -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug=regimen),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )


def _post(client: Client, plan: TreatmentPlan, body: Any) -> Any:
    return client.post(
        f"/api/v1/plans/{plan.pk}/assessments", json.dumps(body), content_type="application/json"
    )


def _response(client: Client, plan: TreatmentPlan) -> Any:
    return client.get(f"/api/v1/plans/{plan.pk}/response")


def test_record_assessments_and_read_the_response(
    clinician_client: Client, clinician: User
) -> None:
    plan = _plan(clinician)
    assert _response(clinician_client, plan).status_code == 409  # no baseline yet
    created = _post(clinician_client, plan, BASELINE)
    assert created.status_code == 201, created.content
    assert created.json()["isotype"] == {"heavy_chain": "IgG", "light_chain": "kappa"}
    # 35 → 15 g/L = −57.1 % (PR); 35 → 14 = −60 % (PR)
    for day, value in (("2026-03-02", 15), ("2026-04-02", 14)):
        body = {"date": day, "serum_m_protein": {"value": value, "unit": "g/L"}}
        assert _post(clinician_client, plan, body).status_code == 201
    # isatuximab regimen, IgG-κ, every CR criterion but a positive serum IFE → VGPR + warning
    assert (
        _post(clinician_client, plan, {"date": "2026-05-04", **CR_SERUM_IFE_POSITIVE}).status_code
        == 201
    )
    data = _response(clinician_client, plan).json()
    assert [a["category"] for a in data["assessments"]] == [None, "PR", "PR", "VGPR"]
    assert data["best_confirmed_response"] == "PR"
    assert any("interference" in w for w in data["warnings"])
    assert "serum M-protein −57.1 % from baseline" in data["assessments"][1]["reasons"][0]


@pytest.mark.parametrize(("regimen", "drug"), [("isa-pd", "isatuximab"), ("drd", "daratumumab")])
def test_anti_cd38_comes_from_the_plans_regimen(clinician: User, regimen: str, drug: str) -> None:
    assert plan_anti_cd38(plan=_plan(clinician, regimen)) == drug


@pytest.mark.parametrize(
    ("second", "loc", "text"),
    [
        ({**BASELINE, "date": "2026-02-02"}, ["baseline"], "already has a baseline"),
        ({"date": "2026-01-02"}, ["date"], "already has an assessment on 2026-01-02"),
        ({"date": "2025-12-20"}, ["date"], "must be the earliest"),
        (
            {"date": "2026-03-02", "serum_m_protein": {"value": 3500, "unit": "g/L"}},
            ["serum_m_protein"],
            "at most 150 g/L",
        ),
        (
            {"date": "2026-03-02", "isotype": {"heavy_chain": "IgA", "light_chain": "kappa"}},
            ["isotype"],
            "baseline",
        ),
    ],
)
def test_invalid_assessments_are_422_and_nothing_is_saved(
    clinician_client: Client, clinician: User, second: dict[str, Any], loc: list[str], text: str
) -> None:
    plan = _plan(clinician)
    assert _post(clinician_client, plan, BASELINE).status_code == 201
    response = _post(clinician_client, plan, second)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", *loc]
    assert text in detail["msg"]
    assert DiseaseAssessment.objects.filter(plan=plan).count() == 1


def test_other_teams_get_404_and_non_clinicians_403(clinician: User) -> None:
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    Membership.objects.create(user=clinician, team=team_a)
    plan = _plan(clinician)
    assert plan.team == team_a
    outsider = User.objects.create_user(username="other", password="a-long-test-password-1")
    outsider.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    Membership.objects.create(user=outsider, team=team_b)
    client = Client()
    client.force_login(outsider)
    assert _post(client, plan, BASELINE).status_code == 404
    assert _response(client, plan).status_code == 404
    editor = User.objects.create_user(username="ed", password="a-long-test-password-1")
    editor.groups.add(Group.objects.get_or_create(name=CONTENT_EDITOR)[0])
    Membership.objects.create(user=editor, team=team_a)
    client.force_login(editor)
    assert _post(client, plan, BASELINE).status_code == 403
    assert _response(client, plan).status_code == 403  # content roles never read plans (#11)


def test_history_keeps_a_corrected_value(clinician: User) -> None:
    plan = _plan(clinician)
    data = {**BASELINE, "date": dt.date(2026, 1, 2)}
    row = assessment_record(plan=plan, user=clinician, data=data)
    corrected = {**data, "serum_m_protein": {"value": 3.5, "unit": "g/dL"}}
    assessment_update(assessment=row, data=corrected, reason="typing error")
    assert row.history.count() == 2
    assert row.history.first().history_change_reason == "typing error"
    assert row.findings["serum_m_protein"] == {"value": 3.5, "unit": "g/dL"}
