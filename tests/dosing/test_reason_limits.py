"""Every free-text reason or note has one length limit (500 characters), stated in the error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from dosing.models import ContentStatus, PlanAdjustment, RegimenVersion
from tests.dosing.test_views import _reschedule_url, _saved
from tests.governance.test_regimen_workflow import _in_review
from treatment.models import Guideline

pytestmark = pytest.mark.django_db

PLAN = {
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
LATE = {"drug": "isatuximab", "planned_date": "2026-01-19", "actual_date": "2026-01-21"}


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_api_refuses_a_2_mb_reason_naming_the_field(clinician_client: Client) -> None:
    created = _post(clinician_client, "/api/v1/plans", PLAN).json()
    url = f"/api/v1/plans/{created['id']}/reschedule"
    response = _post(clinician_client, url, LATE | {"scope": "drug", "reason": "x" * 2_000_000})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "reason"
    assert "Reason: at most 500 characters (got 2,000,000)." in error["msg"]
    assert not PlanAdjustment.objects.exists()

    accepted = _post(clinician_client, url, LATE | {"scope": "drug", "reason": "x" * 500})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["adjustments"][0]["reason"] == "x" * 500


def test_form_refuses_a_long_reason_and_keeps_the_values(clinician_client: Client) -> None:
    plan = _saved(clinician_client)
    response = clinician_client.post(
        _reschedule_url(plan),
        {
            "administration": "isatuximab|2026-01-19",
            "actual_date": "2026-01-21",
            "scope": "drug",
            "reason": "y" * 2000,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reason: at most 500 characters (got 2,000)." in body
    assert 'value="2026-01-21"' in body
    assert not PlanAdjustment.objects.filter(plan=plan).exists()


def test_model_fields_carry_the_limit(clinician: User) -> None:
    adjustment = PlanAdjustment(
        drug="isatuximab",
        planned_date="2026-01-19",
        reason="z" * 501,
        recorded_by=clinician,
    )
    with pytest.raises(ValidationError) as caught:
        adjustment.clean_fields(exclude=["plan"])
    assert caught.value.message_dict["reason"] == ["Reason: at most 500 characters (got 501)."]
    for model, names in (
        (PlanAdjustment, ["reason"]),
        (RegimenVersion, ["change_reason", "publish_reason", "verification_note"]),
        (Guideline, ["publish_reason"]),
    ):
        for name in names:
            field = model._meta.get_field(name)
            with pytest.raises(ValidationError):
                field.run_validators("a" * 501)  # type: ignore[union-attr]
            field.run_validators("a" * 500)  # type: ignore[union-attr]


def test_content_publish_refuses_a_long_reason(editor: User, approver: User) -> None:
    version = _in_review(editor)
    client = Client()
    client.force_login(approver)
    response = client.post(
        reverse("content:version", kwargs={"kind": "regimens", "pk": version.pk}),
        {"action": "publish", "reason": "p" * 2000},
    )
    assert "Reason: at most 500 characters (got 2,000)." in response.content.decode()
    version.refresh_from_db()
    assert version.status == ContentStatus.IN_REVIEW
    assert version.publish_reason == ""
