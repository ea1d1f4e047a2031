"""Roles hold: clinicians see no content governance or admin, editors cannot publish, and a
clinician's saved plan does not exist for another clinician (pages and API)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.test import Client

from accounts.roles import CLINICIAN
from dosing.models import ContentStatus, Regimen, RegimenVersion, TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from tests.governance.workflow import document_yaml, draft_create, draft_edit, submit

pytestmark = pytest.mark.django_db

PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
}


def _in_review(editor: User) -> RegimenVersion:
    draft = draft_create("regimens", Regimen.objects.get(slug="isa-pd").slug, user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["notes"] = ["Edited for the permission test."]
    draft_edit(
        draft,
        user=editor,
        document_yaml=yaml.safe_dump(data, allow_unicode=True),
        reason="Add a note",
    )
    return submit(draft, user=editor)


def _saved_plan(user: User) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0001",
    )


def test_clinician_gets_403_on_content_pages(clinician_client: Client, editor: User) -> None:
    version = _in_review(editor)
    assert clinician_client.get("/content/").status_code == 403
    assert clinician_client.get(f"/content/regimens/versions/{version.pk}/").status_code == 403
    url = f"/content/regimens/versions/{version.pk}/preview/"
    assert clinician_client.get(url).status_code == 403
    response = clinician_client.post(
        f"/content/regimens/versions/{version.pk}/", {"action": "publish", "reason": "looks fine"}
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == ContentStatus.IN_REVIEW


def test_clinician_cannot_see_the_admin(clinician_client: Client) -> None:
    response = clinician_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    followed = clinician_client.get("/admin/", follow=True)
    body = followed.content.decode()
    assert "Regimen" not in body
    assert "/admin/dosing/" not in body
    for path in ("/admin/dosing/regimen/", "/admin/dosing/regimenversion/", "/admin/dosing/drug/"):
        response = clinician_client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path


def test_editor_cannot_publish(client: Client, editor: User) -> None:
    version = _in_review(editor)
    client.force_login(editor)
    response = client.post(
        f"/content/regimens/versions/{version.pk}/", {"action": "publish", "reason": "my own work"}
    )
    assert response.status_code in (200, 302)
    version.refresh_from_db()
    assert version.status == ContentStatus.IN_REVIEW
    published = RegimenVersion.objects.filter(
        regimen__slug="isa-pd", status=ContentStatus.PUBLISHED
    )
    assert [v.pk for v in published] != [version.pk]


def test_another_clinicians_plan_is_404_in_pages_and_api(
    clinician: User, clinician_client: Client
) -> None:
    other = User.objects.create_user(username="dr-other", password="a-long-test-password-2")
    other.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    plan = _saved_plan(other)

    other_client = Client()
    other_client.force_login(other)
    assert other_client.get(f"/plans/{plan.pk}/").status_code == 200
    assert other_client.get(f"/api/v1/plans/{plan.pk}").status_code == 200

    # The calendar PDF/.ics downloads are being reworked (their methods change); their own
    # tests cover ownership.
    for path in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/reschedule/"):
        assert clinician_client.get(path).status_code == 404, path
    assert clinician_client.get(f"/api/v1/plans/{plan.pk}").status_code == 404
    response = clinician_client.post(
        f"/api/v1/plans/{plan.pk}/reschedule",
        json.dumps(
            {
                "drug": "isatuximab",
                "planned_date": "2026-01-05",
                "actual_date": None,
                "scope": "drug",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert str(plan.pk) not in clinician_client.get("/plans/").content.decode()
