"""The "before this treatment day" page, recording what was done (into the plan's reschedule),
the nurse worksheet PDF and the cumulative doses on the plan page (domain-reference §22)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN, CONTENT_EDITOR
from dosing.models import PlanAdjustment, TreatmentPlan
from followup.models import DoseRecord
from followup.worksheet_pdf import _worksheet_context
from tests.followup.test_toxicity_api import _plan

pytestmark = pytest.mark.django_db

COUNTS = {
    "ctcae_version": "5.0",
    "neutrophils_value": "0.8",
    "neutrophils_unit": "10^9/L",
    "platelets_value": "160",
    "platelets_unit": "10^9/L",
    "febrile_neutropenia": "no",
    "neutropenic_infection": "no",
}


def _url(plan: TreatmentPlan) -> str:
    return f"/followup/plans/{plan.pk}/dose-check/"


def test_plan_page_shows_the_panel_and_cumulative_doses(
    clinician_client: Client, clinician: User
) -> None:
    plan = _plan(clinician)
    page = clinician_client.get(f"/plans/{plan.pk}/").content.decode()
    assert _url(plan) in page
    # Isatuximab 10 mg/kg × 72 kg = 720 mg × 6 infusions (C1 D1, 8, 15, 22; C2 D1, 15) = 4320 mg.
    assert "4320 mg" in page
    # Dexamethasone 40 mg (age 68 < 75, Isa-Pd) × 8 days (D1, 8, 15, 22 × 2 cycles) = 320 mg.
    assert "320 mg" in page
    assert f"/followup/plans/{plan.pk}/infusion-worksheet/?date=2026-01-05" in page


def test_check_shows_one_decision_per_drug(clinician_client: Client, clinician: User) -> None:
    plan = _plan(clinician)
    response = clinician_client.post(_url(plan), {"date": "2026-01-12", "check": "", **COUNTS})
    page = response.content.decode()
    assert response.status_code == 200
    # 0.8 ×10⁹/L → grade 3 → isatuximab delay (T4); partner drugs review (T7).
    assert "isatuximab: <strong>delay</strong>" in page
    assert "pomalidomide: <strong>review</strong>" in page
    assert "pending verification" in page
    assert "SARCLISA" in page


def test_bad_count_keeps_the_values(clinician_client: Client, clinician: User) -> None:
    plan = _plan(clinician)
    body = {"date": "2026-01-12", "check": "", **COUNTS, "neutrophils_value": "800"}
    page = clinician_client.post(_url(plan), body).content.decode()
    assert "Was it entered in /µL?" in page
    assert 'value="800"' in page


def test_record_moves_the_plan_through_its_reschedule(
    clinician_client: Client, clinician: User
) -> None:
    plan = _plan(clinician)
    body = {
        "date": "2026-01-12",
        "record": "",
        **COUNTS,
        "isatuximab_outcome": "delayed",
        "isatuximab_actual_date": "2026-01-14",
        "dexamethasone_outcome": "delayed",
        "dexamethasone_actual_date": "2026-01-14",
        "pomalidomide_outcome": "given",
    }
    response = clinician_client.post(_url(plan), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    records = {r.drug: r for r in DoseRecord.objects.filter(plan=plan)}
    assert records["isatuximab"].suggested_action == "delay"
    assert records["isatuximab"].outcome == "delayed"
    assert records["isatuximab"].ctcae_version == "5.0"
    assert records["pomalidomide"].suggested_action == "review"
    assert PlanAdjustment.objects.filter(plan=plan, drug="isatuximab").exists()
    plan.refresh_from_db()
    isa = [a["date"] for a in plan.computed["administrations"] if a["drug"] == "isatuximab"]
    # X27: given 2 days late → later isatuximab doses move by 2 days, the interval is kept.
    assert isa[:3] == ["2026-01-05", "2026-01-14", "2026-01-21"]
    # Recording the day again is refused (pomalidomide is still due on 01-12); nothing changes.
    again = clinician_client.post(_url(plan), body)
    assert again.status_code == 200
    assert "pomalidomide on 2026-01-12 is already recorded (given)." in again.content.decode()
    assert DoseRecord.objects.filter(plan=plan).count() == 3


def test_delay_without_a_date_is_refused(clinician_client: Client, clinician: User) -> None:
    plan = _plan(clinician)
    body = {
        "date": "2026-01-12",
        "record": "",
        **COUNTS,
        "isatuximab_outcome": "delayed",
        "dexamethasone_outcome": "given",
        "pomalidomide_outcome": "given",
    }
    page = clinician_client.post(_url(plan), body).content.decode()
    assert "A delayed isatuximab dose needs the date it was given" in page
    assert DoseRecord.objects.filter(plan=plan).count() == 0  # one transaction
    assert not PlanAdjustment.objects.filter(plan=plan).exists()


def test_worksheet_pdf(clinician_client: Client, clinician: User) -> None:
    plan = _plan(clinician)
    response = clinician_client.get(
        f"/followup/plans/{plan.pk}/infusion-worksheet/", {"date": "2026-01-05"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # C1 D2: pomalidomide only, no infusion.
    missing = clinician_client.get(
        f"/followup/plans/{plan.pk}/infusion-worksheet/", {"date": "2026-01-06"}
    )
    assert missing.status_code == 404


def test_worksheet_context_first_infusion_checks(clinician: User) -> None:
    plan = _plan(clinician)
    first = _worksheet_context(plan, dt.date(2026, 1, 5))
    second = _worksheet_context(plan, dt.date(2026, 1, 12))
    # Type and screen before the first infusion (§13.9): the published staff note.
    assert first["checks"][0].startswith("Type and screen (blood group and antibody screen)")
    assert "indirect antiglobulin test for at least 6 months" in first["checks"][0]
    assert not any("Type and screen" in check for check in second["checks"])
    # T6, infusion 2: 50 mL/h 0–30, 100 mL/h 30–60, 200 mL/h 60–112.5.
    assert [(r["from_minute"], r["to_minute"], r["rate_ml_h"]) for r in second["rows"]] == [
        (0, 30, 50),
        (30, 60, 100),
        (60, 112.5, 200),
    ]


def test_access(clinician: User) -> None:
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    Membership.objects.create(user=clinician, team=team_a)
    plan = _plan(clinician)
    outsider = User.objects.create_user(username="other", password="a-long-test-password-1")
    outsider.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    Membership.objects.create(user=outsider, team=team_b)
    client = Client()
    client.force_login(outsider)
    assert client.get(_url(plan)).status_code == 404
    assert (
        client.get(f"/followup/plans/{plan.pk}/infusion-worksheet/?date=2026-01-05").status_code
        == 404
    )
    editor = User.objects.create_user(username="ed", password="a-long-test-password-1")
    editor.groups.add(Group.objects.get_or_create(name=CONTENT_EDITOR)[0])
    Membership.objects.create(user=editor, team=team_a)
    client.force_login(editor)
    body = {"date": "2026-01-12", "record": "", **COUNTS, "isatuximab_outcome": "given"}
    assert client.post(_url(plan), body).status_code == 403
