"""Dose records have the plans' working admin: listed, searchable and viewable with their history,
never added or edited there (what was done is recorded on the treatment-day page)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from followup.models import DoseRecord
from tests.followup.test_dose_check_views import COUNTS, _url
from tests.followup.test_toxicity_api import _plan

pytestmark = pytest.mark.django_db


def _record(clinician_client: Client, clinician: User) -> DoseRecord:
    plan = _plan(clinician)
    body = {"date": "2026-01-12", "record": "", **COUNTS}
    body |= {f"{drug}_outcome": "given" for drug in ("isatuximab", "dexamethasone", "pomalidomide")}
    response = clinician_client.post(_url(plan), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    return DoseRecord.objects.get(plan=plan, drug="pomalidomide")


def test_dose_records_are_listed_and_viewable_not_editable(
    clinician_client: Client, clinician: User, admin_client: Client
) -> None:
    record = _record(clinician_client, clinician)
    changelist = admin_client.get(reverse("admin:followup_doserecord_changelist"))
    assert changelist.status_code == 200
    assert record.plan.patient_reference in changelist.content.decode()
    searched = admin_client.get(
        reverse("admin:followup_doserecord_changelist"), {"q": record.plan.patient_reference}
    )
    assert "pomalidomide" in searched.content.decode()
    change_url = reverse("admin:followup_doserecord_change", args=[record.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # a view, not a form
    history = admin_client.get(reverse("admin:followup_doserecord_history", args=[record.pk]))
    assert history.status_code == 200
    refused = admin_client.post(change_url, {"outcome": "omitted", "note": "edited"})
    assert refused.status_code == 403
    record.refresh_from_db()
    assert (record.outcome, record.note) == ("given", "")
    assert admin_client.get(reverse("admin:followup_doserecord_add")).status_code == 403
