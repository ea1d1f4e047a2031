"""The timeline picture on the saved plan page: one accessible inline SVG, the same in print."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create, plan_reschedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(clinician: User) -> TreatmentPlan:
    return plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient={
            "age_years": 68,
            "sex": "male",
            "weight_kg": 72,
            "height_cm": 178,
            "creatinine": {"value": 0.9, "unit": "mg/dL"},
            "on_dialysis": False,
            "measured_on": "2026-01-05",
        },
        start_date=dt.date(2026, 1, 5),
        cycles=6,
        patient_reference="MM-0042",
    )


def _figure(body: str) -> str:
    return body.split('data-testid="plan-timeline"')[1].split("</figure>")[0]


def test_plan_page_shows_the_course_as_an_accessible_svg(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    body = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": plan.pk})).content
    page = body.decode()
    figure = _figure(page)
    assert 'role="img"' in figure
    assert 'aria-labelledby="timeline-title timeline-desc"' in figure
    assert '<title id="timeline-title">Timeline of the whole course</title>' in figure
    desc = " ".join(figure.split('<desc id="timeline-desc">')[1].split("</desc>")[0].split())
    # 6 × 28 days from Mon 5 Jan 2026: the last day is day 167, Sun 21 Jun 2026.
    assert "6 cycles from Mon 5 Jan 2026 to Sun 21 Jun 2026." in desc
    # Isa-Pd (SARCLISA SmPC 4.2): isatuximab IV on C1 D1, 8, 15, 22 and D1, 15 of C2–6 = 14
    # clinic days; pomalidomide and dexamethasone are oral.
    assert "14 clinic days (IV or SC)." in desc
    assert "0 moved." in desc
    assert len(re.findall(r'<rect class="tl-cycle', figure)) == 6
    # Cycle 2 starts on day 28: x = 8 + 28 × 584 / 168 = 105.33 (myeloma_core.timeline).
    assert 'x="105.33"' in figure
    # Above the fold-outs, and never hidden from print.
    assert page.index('data-testid="plan-timeline"') < page.index("<details")
    assert "d-print-none" not in figure and "data-print-hide" not in figure


def test_a_moved_dose_is_drawn_from_its_planned_date(
    clinician_client: Client, clinician: User, plan: TreatmentPlan
) -> None:
    plan_reschedule(
        plan=plan,
        user=clinician,
        drug="isatuximab",
        planned_date=dt.date(2026, 1, 12),
        actual_date=dt.date(2026, 1, 13),
        scope="drug",
        reason="Bank holiday",
    )
    page = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": plan.pk})).content
    figure = _figure(page.decode())
    # X27, scope "drug": isatuximab's later doses keep their interval, so all 13 clinic days
    # from C1 D8 on move by one day (C1 D1 stays).
    assert "13 moved." in " ".join(figure.split())
    # Planned day 7 → given day 8: 8 + 7 × 584 / 168 = 32.33 → 8 + 8 × 584 / 168 = 35.81.
    # The line under the marks (y = 25 + 11 = 36) runs from the planned x to the given x.
    assert re.search(r'class="tl-moved-from" d="M32.33 36.0H35.81 ', figure)


def test_numbers_in_the_svg_are_not_localised(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    from django.conf import settings

    clinician_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": plan.pk})).content
    figure = _figure(page.decode())
    assert 'x="105.33"' in figure and 'x="105,33"' not in figure
