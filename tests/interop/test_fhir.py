"""FHIR R4 export: parsed back with fhir.resources (R4B), codes and values checked by hand.

Codes (issue 17, mCODE): ISS NCIt C139007 with stages C70658/C70659/C70660; R-ISS NCIt C141392
with C141394/C141395/C141396; CancerDiseaseStatus LOINC 97509-4 with SNOMED CT values.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from followup.services import assessment_record
from interop.fhir import NCIT, SNOMED, response_observation
from myeloma_core.response_types import AssessmentResult, Category

pytestmark = pytest.mark.django_db

BASE = "https://myeloma-clinic.invalid/fhir"
PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
ALL_ABSENT = {
    "del_17p": "absent",
    "tp53_mutation": "absent",
    "t_4_14": "absent",
    "t_14_16": "absent",
    "t_14_20": "absent",
    "gain_1q": "absent",
    "del_1p32": "absent",
}


@pytest.fixture
def plan(clinician: User) -> TreatmentPlan:
    return plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )


def _resources(bundle: Any, kind: str) -> list[Any]:
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == kind]


def _staging(client: Client, body: dict[str, Any], query: str = "") -> Any:
    response = client.post(
        f"/api/v1/fhir/staging/assess{query}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json"
    return Bundle.model_validate_json(response.content)


def _by_code(observations: list[Any]) -> dict[str, Any]:
    return {o.code.coding[0].code: o for o in observations}


def test_staging_stage_i_as_mcode_observations(clinician_client: Client) -> None:
    # β2M 2.0 mg/L (< 3.5) and albumin 40 g/L (≥ 35) → ISS I; LDH normal and no high-risk
    # abnormality → R-ISS I; R2-ISS score 0 → I.
    bundle = _staging(
        clinician_client,
        {
            "beta2_microglobulin": {"value": 2.0, "unit": "mg/L"},
            "albumin": {"value": 40, "unit": "g/L"},
            "ldh_status": "normal",
            "cytogenetics": ALL_ABSENT,
        },
    )
    assert bundle.type == "collection"
    observations = _by_code(_resources(bundle, "Observation"))
    iss = observations["C139007"]
    assert iss.code.coding[0].system == NCIT
    assert iss.valueCodeableConcept.coding[0].code == "C70658"
    assert iss.meta.profile == [
        "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-cancer-stage"
    ]
    r_iss = observations["C141392"]
    assert r_iss.valueCodeableConcept.coding[0].code == "C141394"
    r2 = observations["r2-iss"]
    assert r2.code.coding[0].system == f"{BASE}/CodeSystem/staging"
    assert "own code system" in r2.code.text
    assert r2.valueCodeableConcept.coding[0].code == "r2-iss-I"
    assert "high-risk-ims-imwg-2025" in observations
    assert not _resources(bundle, "Patient")
    assert all(o.subject is None for o in observations.values())


def test_staging_stage_iii_high_risk_with_patient(clinician_client: Client) -> None:
    # β2M 6.2 mg/L (≥ 5.5) → ISS III; del(17p) in 60 % of clonal plasma cells (> 20 %) is
    # high-risk CA → R-ISS III, and IMS/IMWG 2025 high risk.
    bundle = _staging(
        clinician_client,
        {
            "beta2_microglobulin": {"value": 6.2, "unit": "mg/L"},
            "albumin": {"value": 30, "unit": "g/L"},
            "ldh_status": "normal",
            "cytogenetics": ALL_ABSENT
            | {"del_17p": "present", "del_17p_clonal_fraction_percent": 60},
        },
        "?patient_reference=MM-0042",
    )
    observations = _by_code(_resources(bundle, "Observation"))
    assert observations["C139007"].valueCodeableConcept.coding[0].code == "C70660"
    assert observations["C141392"].valueCodeableConcept.coding[0].code == "C141396"
    high_risk = observations["high-risk-ims-imwg-2025"]
    assert high_risk.valueCodeableConcept.coding[0].code == "high_risk"
    assert "own code system" in high_risk.code.text
    (patient,) = _resources(bundle, "Patient")
    assert patient.name is None
    assert patient.identifier[0].system == f"{BASE}/patient-reference"
    assert patient.identifier[0].value == "MM-0042"
    patient_url = bundle.entry[0].fullUrl
    assert all(o.subject.reference == patient_url for o in observations.values())


def test_staging_not_assessable_is_never_a_stage(clinician_client: Client) -> None:
    # β2M 6.2 mg/L → ISS III; LDH normal but cytogenetics unknown → R-ISS II or III.
    bundle = _staging(
        clinician_client,
        {"beta2_microglobulin": {"value": 6.2, "unit": "mg/L"}, "ldh_status": "normal"},
    )
    r_iss = _by_code(_resources(bundle, "Observation"))["C141392"]
    assert r_iss.valueCodeableConcept is None
    assert r_iss.dataAbsentReason.coding[0].code == "unknown"
    assert r_iss.dataAbsentReason.text.startswith("not assessable: missing")


def test_staging_fhir_invalid_input_is_422(clinician_client: Client) -> None:
    response = clinician_client.post(
        "/api/v1/fhir/staging/assess",
        json.dumps({"albumin": {"value": 40, "unit": "furlongs"}}),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_plan_bundle(clinician_client: Client, plan: TreatmentPlan) -> None:
    response = clinician_client.get(f"/api/v1/plans/{plan.pk}/fhir")
    assert response.status_code == 200
    bundle: Any = Bundle.model_validate_json(response.content)
    urls: dict[str, Any] = {e.fullUrl: e.resource for e in bundle.entry}

    (patient,) = _resources(bundle, "Patient")
    assert patient.name is None and patient.identifier[0].value == "MM-0042"
    assert patient.meta.security[0].code == "PSEUDED"

    (definition,) = _resources(bundle, "PlanDefinition")
    assert definition.url == f"{BASE}/PlanDefinition/isa-pd"
    assert definition.version == str(plan.regimen_version.number)

    (careplan,) = _resources(bundle, "CarePlan")
    assert careplan.instantiatesCanonical == [f"{definition.url}|{definition.version}"]
    assert careplan.period.start.isoformat() == "2026-01-05"
    groups = [urls[a.reference.reference] for a in careplan.activity]
    assert len(groups) == 2  # one RequestGroup per cycle

    requests = _resources(bundle, "MedicationRequest")
    assert len(requests) == len(plan.computed["administrations"])
    cycle_1 = [urls[a.resource.reference] for a in groups[0].action]
    isatuximab = [r for r in cycle_1 if r.medicationCodeableConcept.text == "isatuximab"]
    # Isa-Pd cycle 1: isatuximab on D1, D8, D15, D22 (SARCLISA SmPC).
    assert [r.dosageInstruction[0].timing.event[0].isoformat() for r in isatuximab] == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
    ]
    first = isatuximab[0]
    dose = first.dosageInstruction[0].doseAndRate[0].doseQuantity
    assert (float(dose.value), dose.code, dose.system) == (720.0, "mg", "http://unitsofmeasure.org")
    assert first.dosageInstruction[0].route.coding[0].code == "47625008"  # IV, SNOMED CT
    assert first.dosageInstruction[0].route.coding[0].system == SNOMED
    assert first.subject.reference == bundle.entry[0].fullUrl
    weight = urls[first.supportingInformation[0].reference]
    assert weight.code.coding[0].code == "29463-7"  # LOINC body weight
    assert (float(weight.valueQuantity.value), weight.valueQuantity.code) == (72.0, "kg")
    codes = {urls[s.reference].code.coding[0].code for s in first.supportingInformation}
    assert codes == {"29463-7", "8302-2", "8277-6"}
    assert "720" in first.dosageInstruction[0].text
    assert "mg/kg" in first.note[0].text


def test_plan_fhir_team_access(clinician: User, plan: TreatmentPlan) -> None:
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    Membership.objects.create(user=clinician, team=team_a)
    TreatmentPlan.objects.filter(pk=plan.pk).update(team=team_a)
    other = User.objects.create_user(username="o", password="a-long-test-password-1")
    other.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    Membership.objects.create(user=other, team=team_b)
    client = Client()
    client.force_login(other)
    assert client.get(f"/api/v1/plans/{plan.pk}/fhir").status_code == 404
    assert Client().get(f"/api/v1/plans/{plan.pk}/fhir").status_code == 401


def _result(category: Category | None) -> AssessmentResult:
    return AssessmentResult(
        date=dt.date(2026, 3, 2),
        baseline=False,
        category=category,
        confirmed=True,
        reasons=("reason",),
        missing=("serum M-protein",) if category is None else (),
        mrd=None,
        notes=(),
        progression_criteria=(),
        tracked_value=None,
        sources=("IMWG 2016",),
    )


@pytest.mark.parametrize(
    ("category", "snomed"),
    [
        (Category.SCR, "550991000124107"),
        (Category.CR, "550991000124107"),
        (Category.VGPR, "268910001"),
        (Category.PR, "268910001"),
        (Category.SD, "359746009"),
        (Category.PD, "271299001"),
    ],
)
def test_response_as_mcode_disease_status(category: Category, snomed: str) -> None:
    observation = response_observation(_result(category), base=BASE, subject="urn:uuid:x")
    parsed: Any = Observation.model_validate_json(observation.model_dump_json())
    assert parsed.code.coding[0].system == "http://loinc.org"
    assert parsed.code.coding[0].code == "97509-4"
    assert parsed.valueCodeableConcept.coding[0].code == snomed
    assert parsed.valueCodeableConcept.coding[1].code == str(category)


def test_response_without_mcode_counterpart_uses_the_app_category() -> None:
    observation: Any = response_observation(_result(Category.NE), base=BASE, subject="urn:uuid:x")
    assert observation.code.coding[0].system == f"{BASE}/CodeSystem/imwg-response"
    assert observation.valueCodeableConcept.coding[0].code == "NE"
    unknown: Any = response_observation(_result(None), base=BASE, subject="urn:uuid:x")
    assert unknown.dataAbsentReason.text == "not assessable: missing serum M-protein"


def test_openapi_documents_the_fhir_endpoints(clinician_client: Client) -> None:
    schema = clinician_client.get("/api/v1/openapi.json").json()
    plan_get = schema["paths"]["/api/v1/plans/{plan_id}/fhir"]["get"]
    assert "application/fhir+json" in plan_get["responses"]["200"]["content"]
    staging_post = schema["paths"]["/api/v1/fhir/staging/assess"]["post"]
    assert "application/fhir+json" in staging_post["responses"]["200"]["content"]
    assert "C139007" in staging_post["description"]


def test_plan_bundle_carries_the_response_assessments(
    clinician: User, clinician_client: Client, plan: TreatmentPlan
) -> None:
    # Serum M-protein 35 → 15 g/L: a 57 % fall (≥ 50 %, not ≥ 90 %) is IMWG PR, which mCODE
    # CancerDiseaseStatus reads as "condition improved" (SNOMED CT 268910001).
    baseline = {
        "date": dt.date(2026, 1, 2),
        "baseline": True,
        "isotype": {"heavy_chain": "IgG", "light_chain": "kappa"},
        "serum_m_protein": {"value": 35, "unit": "g/L"},
        "urine_m_protein": {"value": 0, "unit": "mg/24h"},
        "plasmacytoma": "absent",
    }
    assessment_record(plan=plan, user=clinician, data=baseline)
    for date in (dt.date(2026, 2, 2), dt.date(2026, 3, 2)):
        assessment_record(
            plan=plan,
            user=clinician,
            data={
                "date": date,
                "baseline": False,
                "serum_m_protein": {"value": 15, "unit": "g/L"},
                "urine_m_protein": {"value": 0, "unit": "mg/24h"},
                "plasmacytoma": "absent",
            },
        )
    bundle: Any = Bundle.model_validate_json(
        clinician_client.get(f"/api/v1/plans/{plan.pk}/fhir").content
    )
    statuses = [o for o in _resources(bundle, "Observation") if o.code.coding[0].code == "97509-4"]
    assert [o.effectiveDateTime.isoformat() for o in statuses] == ["2026-02-02", "2026-03-02"]
    for observation in statuses:
        assert observation.valueCodeableConcept.coding[0].code == "268910001"
        assert observation.valueCodeableConcept.coding[1].code == "PR"
        assert observation.subject.reference == bundle.entry[0].fullUrl


def test_one_bundle_per_patient_reference(
    clinician: User, clinician_client: Client, plan: TreatmentPlan
) -> None:
    second = plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 3, 2),
        cycles=1,
        patient_reference="MM-0042",
    )
    response = clinician_client.get("/api/v1/fhir/patients/MM-0042")
    assert response.status_code == 200
    bundle: Any = Bundle.model_validate_json(response.content)
    assert len(_resources(bundle, "Patient")) == 1
    assert len(_resources(bundle, "CarePlan")) == 2
    assert len(_resources(bundle, "PlanDefinition")) == 1  # the same regimen version
    administrations = len(plan.computed["administrations"]) + len(
        second.computed["administrations"]
    )
    assert len(_resources(bundle, "MedicationRequest")) == administrations
    assert clinician_client.get("/api/v1/fhir/patients/MM-9999").status_code == 404
    other = User.objects.create_user(username="o", password="a-long-test-password-1")
    other.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    client = Client()
    client.force_login(other)
    assert client.get("/api/v1/fhir/patients/MM-0042").status_code == 404
