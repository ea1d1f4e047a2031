"""The plans list: search by reference, filter by status and team, soonest next day first.

Isa-Pd plans (28-day cycles; isatuximab C1 D1, 8, 15, 22, then D1, 15; pomalidomide D1–21;
dexamethasone D1, 8, 15, 22 — SARCLISA SmPC section 4.2): a 1-cycle plan started Mon 5 Jan 2026
ends with C1 D22, Mon 26 Jan 2026.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Team
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create

pytestmark = pytest.mark.django_db

PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "measured_on": "2026-01-05",
}
TODAY = dt.datetime(2026, 2, 4, 9, 0)  # a Wednesday


def _plan(user: User, reference: str, start: dt.date, cycles: int = 1) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=start,
        cycles=cycles,
        patient_reference=reference,
    )


def _references(client: Client, **query: str) -> list[str]:
    body = client.get(reverse("dosing:plan_list"), query).content.decode()
    table = (
        body[body.index('data-testid="plan-list"') :] if 'data-testid="plan-list"' in body else ""
    )
    return re.findall(r'href="/plans/[0-9a-f-]+/">([^<]+)</a>', table)


@pytest.fixture
def plans(clinician: User) -> None:
    _plan(clinician, "MM-FINISHED", dt.date(2026, 1, 5))  # ended Mon 26 Jan
    _plan(clinician, "MM-LATER", dt.date(2026, 3, 2))  # next day: its start, 2 Mar
    # Started Mon 2 Feb, 2 cycles: pomalidomide daily D1–21, so next day is today, 4 Feb.
    _plan(clinician, "MM-TODAY", dt.date(2026, 2, 2), cycles=2)


@time_machine.travel(TODAY, tick=False)
def test_sorted_by_next_treatment_day_finished_last(clinician_client: Client, plans: None) -> None:
    assert _references(clinician_client) == ["MM-TODAY", "MM-LATER", "MM-FINISHED"]
    body = clinician_client.get(reverse("dosing:plan_list")).content.decode()
    assert "Wed 4 Feb 2026" in body and "Mon 2 Mar 2026" in body


@time_machine.travel(TODAY, tick=False)
def test_search_by_part_of_the_reference(clinician_client: Client, plans: None) -> None:
    assert _references(clinician_client, reference="later") == ["MM-LATER"]
    body = clinician_client.get(reverse("dosing:plan_list"), {"reference": "nobody"})
    assert "No saved plan matches" in body.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_filter_by_status(clinician_client: Client, plans: None) -> None:
    assert _references(clinician_client, status="finished") == ["MM-FINISHED"]
    assert _references(clinician_client, status="active") == ["MM-TODAY", "MM-LATER"]
    assert _references(clinician_client, status="needs_recompute") == []


@time_machine.travel(TODAY, tick=False)
def test_filter_by_team_and_team_access_unchanged(
    clinician: User, clinician_client: Client
) -> None:
    _plan(clinician, "MM-OWN", dt.date(2026, 3, 2))  # saved before joining: no team
    team = Team.objects.create(name="Day unit")
    Membership.objects.create(user=clinician, team=team)
    _plan(clinician, "MM-TEAM", dt.date(2026, 3, 9))
    outsider = User.objects.create_user(username="outsider", password="a-long-test-password-1")
    _plan(outsider, "MM-OTHER", dt.date(2026, 3, 2))
    assert _references(clinician_client) == ["MM-OWN", "MM-TEAM"]
    assert _references(clinician_client, team=str(team.pk)) == ["MM-TEAM"]
    assert _references(clinician_client, team="none") == ["MM-OWN"]
    body = clinician_client.get(reverse("dosing:plan_list")).content.decode()
    assert f'<option value="{team.pk}">Day unit</option>' in body


def test_an_unknown_filter_value_is_ignored(clinician_client: Client, plans: None) -> None:
    assert len(_references(clinician_client, status="bogus")) == 3
