"""Regimen names and indications shown to users come from the regimen version, never the row.

A saved plan pins its version, so a later version that renames the regimen must not change what
an old plan's page, API answer, FHIR export or printed calendar says; lists that offer regimens
to plan with show the published version's name.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dosing.calendar_pdf import plan_calendar_pdf
from dosing.models import RegimenVersion, TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

pytestmark = pytest.mark.django_db

OLD_NAME = "Isa-Pd — isatuximab, pomalidomide, dexamethasone (ICARIA-MM)"
NEW_SHORT = "Isatuximab-Pom-Dex"
NEW_NAME = f"{NEW_SHORT} — isatuximab, pomalidomide, dexamethasone (ICARIA-MM)"
NEW_INDICATION = "Renamed for the test: relapsed and refractory multiple myeloma."

# domain-reference §18.3 D1: 68-year-old man, 72 kg, 178 cm, creatinine 0.9 mg/dL.
D1_PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}


def _plan(user: User, reference: str) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug="isa-pd"),
        patient=D1_PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=1,
        patient_reference=reference,
    )


def _rename_isa_pd(editor: User, approver: User) -> RegimenVersion:
    draft = draft_create("regimens", "isa-pd", user=editor)
    document = yaml.safe_load(document_yaml(draft))
    document["name"] = NEW_NAME
    document["indication"] = NEW_INDICATION
    edited = yaml.safe_dump(document, allow_unicode=True)
    draft_edit(draft, user=editor, document_yaml=edited, reason="Rename the regimen")
    submit(draft, user=editor)
    return publish(draft, user=approver, reason="New name agreed by the pharmacy")


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_old_plan_keeps_its_versions_name_and_lists_show_the_new_one(
    clinician: User, clinician_client: Client, editor: User, approver: User
) -> None:
    old_plan = _plan(clinician, "MM-OLD")
    old_indication = old_plan.regimen_version.definition["indication"]
    renamed = _rename_isa_pd(editor, approver)
    new_plan = _plan(clinician, "MM-NEW")
    assert new_plan.regimen_version == renamed
    old_plan.refresh_from_db()

    old_page = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": old_plan.pk}))
    assert f"{OLD_NAME} · version 1" in old_page.content.decode()
    new_page = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": new_plan.pk}))
    assert f"{NEW_NAME} · version 2" in new_page.content.decode()

    old_api = clinician_client.get(f"/api/v1/plans/{old_plan.pk}").json()
    assert old_api["regimen"]["name"] == OLD_NAME
    assert clinician_client.get(f"/api/v1/plans/{new_plan.pk}").json()["regimen"]["name"] == (
        NEW_NAME
    )

    fhir = json.dumps(clinician_client.get(f"/api/v1/plans/{old_plan.pk}/fhir").json())
    assert json.dumps(OLD_NAME)[1:-1] in fhir
    assert json.dumps(old_indication)[1:-1] in fhir
    assert NEW_SHORT not in fhir
    assert NEW_INDICATION not in fhir
    new_fhir = json.dumps(clinician_client.get(f"/api/v1/plans/{new_plan.pk}/fhir").json())
    assert json.dumps(NEW_NAME)[1:-1] in new_fhir
    assert NEW_INDICATION in new_fhir

    old_calendar = _pdf_text(plan_calendar_pdf(plan=old_plan, language="en"))
    assert "Isa-Pd" in old_calendar
    assert NEW_SHORT not in old_calendar
    assert NEW_SHORT in _pdf_text(plan_calendar_pdf(plan=new_plan, language="en"))

    def worksheet(plan: TreatmentPlan) -> str:
        url = f"/followup/plans/{plan.pk}/infusion-worksheet/"
        return _pdf_text(clinician_client.get(url, {"date": "2026-01-05"}).content)

    assert "Isa-Pd" in worksheet(old_plan)
    assert NEW_SHORT not in worksheet(old_plan)
    assert NEW_SHORT in worksheet(new_plan)

    listed = {r["slug"]: r["name"] for r in clinician_client.get("/api/v1/regimens").json()}
    assert listed["isa-pd"] == NEW_NAME
    wizard = clinician_client.get(reverse("dosing:plan_new")).content.decode()
    assert NEW_NAME in wizard
    assert OLD_NAME not in wizard
    plan_list = clinician_client.get(reverse("dosing:plan_list")).content.decode()
    assert OLD_NAME in plan_list
    assert NEW_NAME in plan_list


def test_version_name_and_indication_are_its_definitions() -> None:
    version = regimen_version_published(slug="isa-pd")
    assert version.name == version.definition["name"] == OLD_NAME
    assert version.indication == version.definition["indication"]
