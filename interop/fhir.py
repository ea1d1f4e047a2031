"""FHIR R4 resources (``fhir.resources`` R4B models, validated as they are built).

Staging: mCODE-shaped Observations — ISS (NCIt C139007; stages C70658, C70659, C70660) and R-ISS
(NCIt C141392; stages C141394, C141395, C141396). R2-ISS and the IMS/IMWG 2025 high-risk
definition have no standard code: they use this application's code system (``app_system``),
and each says so in its ``code.text``. Response: mCODE CancerDiseaseStatus (LOINC 97509-4,
SNOMED CT condition-status values) where the IMWG category maps, the app's IMWG category
otherwise. A saved plan: a CarePlan with one RequestGroup per cycle and one MedicationRequest
per administration, the regimen version as a PlanDefinition, all in one Bundle for the plan's
pseudonymous patient reference (never a name; identifier system ``<base>/patient-reference``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.plandefinition import PlanDefinition
from fhir.resources.R4B.requestgroup import RequestGroup
from fhir.resources.R4B.resource import Resource

from myeloma_core.response_types import AssessmentResult, Category
from myeloma_core.staging import StageResult, StagingAssessment

NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
V3_CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
MCODE_STAGE = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-cancer-stage"
MCODE_DISEASE_STATUS = (
    "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-cancer-disease-status"
)

ISS_CODE = ("C139007", "International Staging System Stage")
ISS_STAGES = {
    "I": ("C70658", "ISS Stage I Plasma Cell Myeloma"),
    "II": ("C70659", "ISS Stage II Plasma Cell Myeloma"),
    "III": ("C70660", "ISS Stage III Plasma Cell Myeloma"),
}
R_ISS_CODE = ("C141392", "Revised International Staging System Stage")
R_ISS_STAGES = {
    "I": ("C141394", "R-ISS Stage I Plasma Cell Myeloma"),
    "II": ("C141395", "R-ISS Stage II Plasma Cell Myeloma"),
    "III": ("C141396", "R-ISS Stage III Plasma Cell Myeloma"),
}
DISEASE_STATUS_CODE = ("97509-4", "Cancer disease status")
# mCODE ConditionStatusTrendVS (SNOMED CT) for the IMWG categories that have a counterpart.
DISEASE_STATUS_VALUES: dict[Category, tuple[str, str]] = {
    Category.SCR: ("550991000124107", "Malignant neoplasm in full remission"),
    Category.CR: ("550991000124107", "Malignant neoplasm in full remission"),
    Category.VGPR: ("268910001", "Patient's condition improved"),
    Category.PR: ("268910001", "Patient's condition improved"),
    Category.MR: ("268910001", "Patient's condition improved"),
    Category.SD: ("359746009", "Patient's condition stable"),
    Category.PD: ("271299001", "Patient's condition worsened"),
}
ROUTES = {
    "iv": ("47625008", "Intravenous route"),
    "sc": ("34206005", "Subcutaneous route"),
    "po": ("26643006", "Oral route"),
}
MEDICATION_STATUS = {"planned": "active", "given": "completed", "omitted": "cancelled"}
OWN_CODE_NOTE = "no standard code exists; code from this application's own code system"


R = TypeVar("R", bound=Resource)


def _build(cls: type[R], **fields: Any) -> R:
    """The resource validated by its R4B model as it is built (fields that are None left out)."""
    return cls.model_validate({key: value for key, value in fields.items() if value is not None})


def app_system(base: str, name: str) -> str:
    """This application's code system ``name`` under the site's ``FHIR_SYSTEM_BASE``."""
    return f"{base.rstrip('/')}/CodeSystem/{name}"


def _urn(namespace: str, key: str) -> str:
    """A stable ``urn:uuid`` so the same plan exports the same references every time."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{namespace}/{key}')}"


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def _ref(urn: str) -> dict[str, str]:
    return {"reference": urn}


def _bundle(entries: Iterable[tuple[str, Resource]], *, identifier: str, base: str) -> Bundle:
    return _build(
        Bundle,
        type="collection",
        identifier={"system": app_system(base, "export"), "value": identifier},
        timestamp=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        entry=[{"fullUrl": urn, "resource": resource} for urn, resource in entries],
    )


def patient_resource(*, reference: str, base: str) -> Patient:
    """The patient as the pseudonymous reference only: no name, no other identifier."""
    identifier = (
        [
            {
                "system": f"{base.rstrip('/')}/patient-reference",
                "value": reference,
                "type": {"text": "pseudonymous patient reference of this clinic"},
            }
        ]
        if reference
        else []
    )
    return _build(
        Patient,
        meta={"security": [_coding(V3_CONFIDENTIALITY, "PSEUDED", "pseudonymized")]},
        identifier=identifier or None,
    )


def _notes(*groups: Iterable[str]) -> list[dict[str, str]] | None:
    texts = [text for group in groups for text in group]
    return [{"text": text} for text in texts] or None


def _not_assessable(missing: Iterable[str]) -> dict[str, Any]:
    return {
        "dataAbsentReason": {
            "coding": [_coding(DATA_ABSENT, "unknown", "Unknown")],
            "text": "not assessable: missing " + ", ".join(missing),
        }
    }


def _stage_observation(
    result: StageResult,
    *,
    code: tuple[str, str],
    stages: dict[str, tuple[str, str]],
    subject: str | None,
    effective: str,
) -> Observation:
    value: dict[str, Any]
    if result.stage is None:
        value = _not_assessable(result.missing)
    else:
        stage_code, display = stages[result.stage]
        value = {"valueCodeableConcept": {"coding": [_coding(NCIT, stage_code, display)]}}
    return _build(
        Observation,
        meta={"profile": [MCODE_STAGE]},
        status="final",
        code={"coding": [_coding(NCIT, *code)], "text": result.system},
        method={"coding": [_coding(NCIT, *code)]},
        subject=_ref(subject) if subject else None,
        effectiveDateTime=effective,
        note=_notes(result.reasons, [f"Source: {result.source}"]),
        **value,
    )


def _own_stage_observation(
    result: StageResult, *, base: str, subject: str | None, effective: str
) -> Observation:
    system = app_system(base, "staging")
    value: dict[str, Any]
    if result.stage is None:
        value = _not_assessable(result.missing)
    else:
        value = {
            "valueCodeableConcept": {
                "coding": [_coding(system, f"r2-iss-{result.stage}", f"R2-ISS {result.stage}")]
            }
        }
    return _build(
        Observation,
        status="final",
        code={
            "coding": [_coding(system, "r2-iss", "R2-ISS stage")],
            "text": f"R2-ISS stage ({OWN_CODE_NOTE})",
        },
        subject=_ref(subject) if subject else None,
        effectiveDateTime=effective,
        note=_notes(result.reasons, [f"Source: {result.source}"]),
        **value,
    )


def staging_observations(
    result: StagingAssessment, *, base: str, subject: str | None, effective: str
) -> list[Observation]:
    """ISS, R-ISS (mCODE, NCIt), R2-ISS and IMS/IMWG 2025 high risk (the app's code system)."""
    high_risk = result.high_risk_ims_imwg_2025
    system = app_system(base, "staging")
    risk_value: dict[str, Any]
    if high_risk.status == "not_assessable":
        risk_value = _not_assessable(high_risk.missing)
    else:
        label = "high risk" if high_risk.status == "high_risk" else "not high risk"
        risk_value = {
            "valueCodeableConcept": {"coding": [_coding(system, str(high_risk.status), label)]}
        }
    return [
        _stage_observation(
            result.iss, code=ISS_CODE, stages=ISS_STAGES, subject=subject, effective=effective
        ),
        _stage_observation(
            result.r_iss,
            code=R_ISS_CODE,
            stages=R_ISS_STAGES,
            subject=subject,
            effective=effective,
        ),
        _own_stage_observation(result.r2_iss, base=base, subject=subject, effective=effective),
        _build(
            Observation,
            status="final",
            code={
                "coding": [_coding(system, "high-risk-ims-imwg-2025", "IMS/IMWG 2025 high risk")],
                "text": f"IMS/IMWG 2025 high-risk multiple myeloma ({OWN_CODE_NOTE})",
            },
            subject=_ref(subject) if subject else None,
            effectiveDateTime=effective,
            note=_notes(high_risk.criteria_met, high_risk.reasons, [f"Source: {high_risk.source}"]),
            **risk_value,
        ),
    ]


def staging_bundle(
    result: StagingAssessment, *, base: str, patient_reference: str = "", effective: str
) -> Bundle:
    """The staging Observations, with the pseudonymous Patient when a reference is given."""
    key = patient_reference or "anonymous"
    entries: list[tuple[str, Resource]] = []
    subject = None
    if patient_reference:
        subject = _urn("patient", patient_reference)
        entries.append((subject, patient_resource(reference=patient_reference, base=base)))
    for index, observation in enumerate(
        staging_observations(result, base=base, subject=subject, effective=effective)
    ):
        entries.append((_urn(f"staging/{key}/{effective}", str(index)), observation))
    return _bundle(entries, identifier=f"staging-{effective}", base=base)


def response_observation(result: AssessmentResult, *, base: str, subject: str) -> Observation:
    """mCODE CancerDiseaseStatus where the IMWG category maps; the app's category otherwise."""
    system = app_system(base, "imwg-response")
    category = result.category
    own = [_coding(system, str(category), f"IMWG {category}")] if category is not None else []
    common: dict[str, Any] = {
        "status": "final",
        "subject": _ref(subject),
        "effectiveDateTime": result.date.isoformat(),
        "note": _notes(result.reasons, result.notes, [f"Source: {s}" for s in result.sources]),
    }
    mapped = DISEASE_STATUS_VALUES.get(category) if category is not None else None
    if mapped is not None:
        return _build(
            Observation,
            meta={"profile": [MCODE_DISEASE_STATUS]},
            code={"coding": [_coding(LOINC, *DISEASE_STATUS_CODE)]},
            valueCodeableConcept={
                "coding": [_coding(SNOMED, *mapped), *own],
                "text": f"IMWG {category}",
            },
            **common,
        )
    value: dict[str, Any] = (
        {"valueCodeableConcept": {"coding": own, "text": f"IMWG {category}"}}
        if own
        else _not_assessable(result.missing)
    )
    return _build(
        Observation,
        code={
            "coding": [_coding(system, "imwg-response", "IMWG response category")],
            "text": f"IMWG response category ({OWN_CODE_NOTE}: no mCODE disease status maps)",
        },
        **common,
        **value,
    )


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def plan_bundle(
    *,
    plan: dict[str, Any],
    computed: dict[str, Any],
    patient: dict[str, Any],
    regimen: dict[str, Any],
    responses: Iterable[AssessmentResult],
    base: str,
) -> Bundle:
    """A saved plan: Patient, body measurements, PlanDefinition, CarePlan, a RequestGroup per
    cycle, a MedicationRequest per administration and the response Observations.

    ``plan``: id, patient_reference, start_date, saved_at; ``regimen``: slug, name, version,
    source, indication, verification.
    """
    plan_id = str(plan["id"])
    reference = plan["patient_reference"]
    subject = _urn("patient", reference or plan_id)
    measured = str(patient.get("measured_on") or plan["start_date"])
    base_url = base.rstrip("/")
    entries: list[tuple[str, Resource]] = [
        (subject, patient_resource(reference=reference, base=base))
    ]

    body: list[tuple[str, str, str, dict[str, Any]]] = [
        ("weight", "29463-7", "Body weight", _quantity(patient["weight_kg"], "kg", "kg")),
        ("height", "8302-2", "Body height", _quantity(patient["height_cm"], "cm", "cm")),
    ]
    bsa = computed.get("patient", {}).get("bsa_m2")
    if bsa is not None:
        body.append(("bsa", "8277-6", "Body surface area", _quantity(bsa, "m2", "m2")))
    measurement_refs = []
    for key, code, display, quantity in body:
        urn = _urn(f"plan/{plan_id}", key)
        measurement_refs.append(_ref(urn))
        note = None
        if key == "bsa":
            formula = computed["patient"].get("bsa_formula", "")
            note = [{"text": f"Computed by the {formula} formula from weight and height."}]
        entries.append(
            (
                urn,
                _build(
                    Observation,
                    status="final",
                    category=[
                        {
                            "coding": [
                                _coding(
                                    "http://terminology.hl7.org/CodeSystem/observation-category",
                                    "vital-signs",
                                    "Vital Signs",
                                )
                            ]
                        }
                    ],
                    code={"coding": [_coding(LOINC, code, display)]},
                    subject=_ref(subject),
                    effectiveDateTime=measured,
                    valueQuantity=quantity,
                    note=note,
                ),
            )
        )

    definition_urn = _urn("regimen", f"{regimen['slug']}/{regimen['version']}")
    canonical = f"{base_url}/PlanDefinition/{regimen['slug']}"
    entries.append(
        (
            definition_urn,
            _build(
                PlanDefinition,
                url=canonical,
                version=str(regimen["version"]),
                name="Regimen_" + regimen["slug"].replace("-", "_"),
                title=regimen["name"],
                status="active",
                type={"text": "treatment regimen"},
                description=regimen.get("indication") or None,
                relatedArtifact=[{"type": "citation", "citation": regimen["source"]}],
            ),
        )
    )

    cycles: dict[int, list[str]] = {}
    for adm in computed.get("administrations", []):
        urn = _urn(f"plan/{plan_id}", f"{adm['cycle']}/{adm['day']}/{adm['drug']}/{adm['order']}")
        cycles.setdefault(adm["cycle"], []).append(urn)
        route = ROUTES.get(adm["route"])
        calculation = adm.get("calculation", "")
        entries.append(
            (
                urn,
                _build(
                    MedicationRequest,
                    status=MEDICATION_STATUS.get(adm["status"], "unknown"),
                    intent="plan",
                    medicationCodeableConcept={
                        "coding": [_coding(app_system(base, "drug"), adm["drug"], adm["drug"])],
                        "text": adm["drug"],
                    },
                    subject=_ref(subject),
                    supportingInformation=measurement_refs,
                    groupIdentifier={
                        "system": app_system(base, "plan-cycle"),
                        "value": f"{plan_id}/C{adm['cycle']}",
                    },
                    note=[{"text": f"Computed: {calculation}"}] if calculation else None,
                    dosageInstruction=[
                        {
                            "text": f"{adm['dose']['value']} {adm['dose']['unit']} "
                            f"C{adm['cycle']} D{adm['day']} ({calculation})",
                            "timing": {"event": [adm["date"]]},
                            "route": (
                                {"coding": [_coding(SNOMED, *route)], "text": adm["route"]}
                                if route
                                else {"text": adm["route"]}
                            ),
                            "doseAndRate": [
                                {
                                    "doseQuantity": _quantity(
                                        adm["dose"]["value"],
                                        adm["dose"]["unit"],
                                        adm["dose"]["unit"],
                                    )
                                }
                            ],
                        }
                    ],
                ),
            )
        )

    group_refs = []
    for cycle in computed.get("cycles", []):
        number = cycle["number"]
        urn = _urn(f"plan/{plan_id}", f"cycle/{number}")
        group_refs.append(urn)
        entries.append(
            (
                urn,
                _build(
                    RequestGroup,
                    status="active",
                    intent="plan",
                    subject=_ref(subject),
                    instantiatesCanonical=[f"{canonical}|{regimen['version']}"],
                    groupIdentifier={
                        "system": app_system(base, "plan-cycle"),
                        "value": f"{plan_id}/C{number}",
                    },
                    note=[
                        {
                            "text": f"Cycle {number}: from {cycle['start_date']}, "
                            f"{cycle['length_days']} days"
                        }
                    ],
                    action=[{"resource": _ref(adm_urn)} for adm_urn in cycles.get(number, [])]
                    or None,
                ),
            )
        )

    dates = [adm["date"] for adm in computed.get("administrations", [])]
    careplan_urn = _urn("plan", plan_id)
    entries.append(
        (
            careplan_urn,
            _build(
                CarePlan,
                identifier=[{"system": app_system(base, "plan"), "value": plan_id}],
                status="active",
                intent="plan",
                title=f"{regimen['name']} v{regimen['version']}",
                subject=_ref(subject),
                instantiatesCanonical=[f"{canonical}|{regimen['version']}"],
                period={"start": plan["start_date"], "end": max(dates) if dates else None},
                supportingInfo=measurement_refs,
                activity=[{"reference": _ref(urn)} for urn in group_refs] or None,
                note=[
                    {
                        "text": f"Regimen {regimen['slug']} version {regimen['version']} "
                        f"({regimen['verification']}); source: {regimen['source']}"
                    }
                ],
            ),
        )
    )
    for result in responses:
        if result.baseline:
            continue
        entries.append(
            (
                _urn(f"plan/{plan_id}", f"response/{result.date.isoformat()}"),
                response_observation(result, base=base, subject=subject),
            )
        )
    return _bundle(entries, identifier=f"plan-{plan_id}", base=base)


def bundles_merge(bundles: Iterable[Bundle], *, identifier: str, base: str) -> Bundle:
    """One Bundle of several plans of the same patient reference: each resource once (the
    Patient and a shared PlanDefinition have the same ``fullUrl`` in every plan's Bundle)."""
    entries: dict[str, Resource] = {}
    for bundle in bundles:
        for entry in bundle.entry or []:
            if entry.resource is not None:
                entries.setdefault(str(entry.fullUrl), entry.resource)
    return _bundle(entries.items(), identifier=identifier, base=base)
