"""The saved plan page: a summary on top, the cycle × drug matrix in ranges, details folded.

Isa-Pd days by hand from the SARCLISA SmPC section 4.2 (domain-reference §18.3 D1): isatuximab
weekly in cycle 1 (D1, 8, 15, 22) then every two weeks (D1, 15); pomalidomide D1–21 and
dexamethasone D1, 8, 15, 22 of every 28-day cycle.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from accounts.roles import CLINICIAN
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


def _plan(user: User, *, slug: str = "isa-pd", cycles: int = 6) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug=slug),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=cycles,
        patient_reference="MM-0101",
    )


def _page(client: Client, plan: TreatmentPlan) -> str:
    return client.get(reverse("dosing:plan_detail", kwargs={"pk": plan.pk})).content.decode()


def _section(body: str, testid: str) -> str:
    start = body.index(f'data-testid="{testid}"')
    return body[start : start + 4000]


@time_machine.travel(dt.datetime(2026, 1, 27, 9, 0), tick=False)
def test_summary_names_the_next_treatment_day_with_its_doses(
    clinician: User, clinician_client: Client
) -> None:
    body = _page(clinician_client, _plan(clinician))
    summary = _section(body, "plan-summary")
    assert "Isa-Pd" in summary or "isa" in summary.lower()
    assert '<span class="badge text-bg-success" data-testid="plan-status">active</span>' in summary
    next_day = _section(body, "next-treatment-day")
    # Today is Tue 27 Jan (C1 D23): pomalidomide stopped on D21 and D22 is past, so the next day
    # is C2 D1, Mon 2 Feb 2026: isatuximab 10 mg/kg × 72 kg = 720 mg and pomalidomide 4 mg.
    assert "Mon 2 Feb 2026" in next_day
    assert "cycle 2, day 1" in next_day
    assert 'pomalidomide <strong class="text-nowrap">4\xa0mg</strong>' in next_day
    assert 'isatuximab <strong class="text-nowrap">720\xa0mg</strong>' in next_day


@time_machine.travel(dt.datetime(2026, 9, 1, 9, 0), tick=False)
def test_a_plan_past_its_last_day_is_finished(clinician: User, clinician_client: Client) -> None:
    summary = _section(_page(clinician_client, _plan(clinician)), "plan-summary")
    assert 'data-testid="plan-status">finished<' in summary
    assert "none: every treatment day is past" in summary
    # Cycle 6 starts 5 Jan + 5 × 28 days = Mon 25 May; its last day is dexamethasone D22, 15 Jun.
    assert "Mon 15 Jun 2026" in summary


def test_matrix_writes_days_as_ranges_one_row_per_cycle(
    clinician: User, clinician_client: Client
) -> None:
    body = _page(clinician_client, _plan(clinician))
    matrix = body[
        body.index('data-testid="cycle-matrix"') : body.index(
            "</table>", body.index('data-testid="cycle-matrix"')
        )
    ]
    assert matrix.count('<th scope="row"') == 6
    assert matrix.count("D1–21") == 6  # pomalidomide in every cycle
    assert matrix.count("D1, 8, 15, 22") == 7  # isatuximab in cycle 1, dexamethasone in all six
    assert matrix.count("D1, 15") == 5  # isatuximab cycles 2–6
    assert "D2," not in body  # never the long "C1 D1, C1 D2, …" lists


def test_dose_table_days_are_ranges_across_cycles(
    clinician: User, clinician_client: Client
) -> None:
    body = _page(clinician_client, _plan(clinician))
    assert "C1 D1, 8, 15, 22; C2–6 D1, 15" in body  # isatuximab
    assert "C1–6 D1–21" in body  # pomalidomide
    assert "C1–6 D1, 8, 15, 22" in body  # dexamethasone


def test_details_are_folded_and_the_month_grid_is_gone(
    clinician: User, clinician_client: Client
) -> None:
    body = _page(clinician_client, _plan(clinician))
    summaries = re.findall(r"<summary[^>]*>\s*([^<]+?)\s*(?:\(|<)", body)
    assert "Doses: formulas, vials and days" in summaries
    assert 'data-testid="administrations-link"' in body
    assert 'data-testid="premedication"' not in body  # the long list is a page of its own
    assert "<details open" not in body
    assert "calendar-grid" not in body
    assert body.index('data-testid="plan-summary"') < body.index('data-testid="cycle-matrix"')


def test_page_links_the_print_stylesheet(clinician: User, clinician_client: Client) -> None:
    body = _page(clinician_client, _plan(clinician))
    assert re.search(
        r'<link rel="stylesheet" href="/static/css/print\.css[^"]*" media="print">', body
    )
    assert re.search(r'<script src="/static/js/print\.js[^"]*" defer>', body)


def test_every_administration_has_its_own_page_with_the_reschedule_links(
    clinician: User, clinician_client: Client, client: Client
) -> None:
    plan = _plan(clinician, cycles=1)
    url = reverse("dosing:plan_administrations", kwargs={"pk": plan.pk})
    body = clinician_client.get(url).content.decode()
    # C1 of Isa-Pd: isatuximab 4 + pomalidomide 21 + dexamethasone 4 = 29 administrations.
    assert body.count("given on another date / omitted") == 29
    assert "Mon 26 Jan 2026" in body  # C1 D22
    stranger = User.objects.create_user(username="stranger", password="a-long-test-password-1")
    stranger.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_wizard_errors_are_summarised_at_the_top_with_links_to_the_fields(
    clinician_client: Client,
) -> None:
    clinician_client.post(reverse("dosing:plan_new"), {"regimen": "isa-pd"})
    plan = TreatmentPlan.objects.get()
    data = {
        "age_years": "68",
        "sex": "male",
        "weight_kg": "heavy",
        "height_cm": "178",
        "creatinine_value": "0,9",
        "creatinine_unit": "mg/dL",
        "measured_on": "2026-01-05",
    }
    url = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    body = clinician_client.post(url, data).content.decode()
    start = body.index('data-testid="error-summary"')
    summary = body[start : body.index("</ul>", start)]
    assert start < body.index("data-busy-label")  # the summary comes before the form
    assert "There is a problem" in summary
    assert '<a href="#id_weight_kg">Enter weight (kg) as a number, like 6.1 or 6,1.</a>' in summary
    assert 'id="id_weight_kg"' in body
    assert "id_creatinine_value" not in summary  # "0,9" is a valid number in English


@pytest.mark.parametrize(
    ("reference", "words"),
    [("Anna de Vries", "looks like a name"), ("12-03-1951", "looks like a date of birth")],
)
def test_a_reference_like_a_name_or_birth_date_is_questioned(
    clinician_client: Client, reference: str, words: str
) -> None:
    clinician_client.post(reverse("dosing:plan_new"), {"regimen": "isa-pd"})
    plan = TreatmentPlan.objects.get()
    patient = {
        "age_years": "68",
        "sex": "male",
        "weight_kg": "72",
        "height_cm": "178",
        "creatinine_value": "0.9",
        "creatinine_unit": "mg/dL",
        "measured_on": "2026-01-05",
    }
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), patient)
    url = reverse("dosing:plan_schedule", kwargs={"pk": plan.pk})
    data = {"start_date": "2026-01-05", "cycles": "2", "patient_reference": reference}
    response = clinician_client.post(url, data)
    assert response.status_code == 200
    assert words in response.content.decode()
    plan.refresh_from_db()
    assert plan.patient_reference == ""  # nothing saved
    confirmed = clinician_client.post(url, data | {"reference_confirmed": "on"})
    assert confirmed.status_code == 302
    plan.refresh_from_db()
    assert plan.patient_reference == reference
