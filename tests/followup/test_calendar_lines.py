"""Issue 14: after an assessment the patient calendar says what was done — never a result."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from dosing.calendar_pdf import calendar_revision, plan_calendar_pdf
from dosing.models import CalendarBody, TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from followup.services import assessment_record, assessment_update

pytestmark = pytest.mark.django_db

PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
BASELINE: dict[str, Any] = {
    "date": dt.date(2026, 1, 2),
    "baseline": True,
    "isotype": {"heavy_chain": "IgG", "light_chain": "kappa"},
    "serum_m_protein": {"value": 35, "unit": "g/L"},
}
# A complete response work-up: blood, urine, bone marrow with MRD, and a PET-CT.
MAY_4: dict[str, Any] = {
    "date": dt.date(2026, 5, 4),
    "serum_m_protein": {"value": 0, "unit": "g/L"},
    "serum_ife": "negative",
    "urine_ife": "negative",
    "bone_marrow_plasma_cells_percent": 2,
    "mrd": {"result": "negative", "method": "ngs", "sensitivity": 1e-5},
    "pet_ct": "negative",
}
RESULT_WORDS = re.compile(
    r"VGPR|\bs?CR\b|\bPR\b|complete response|partial response|M-protein|MRD-negative|"
    r"negative|positive|g/L|\bMRD\b(?! —)|plasma cells|2 %",
    re.IGNORECASE,
)


@pytest.fixture
def plan(clinician: User) -> TreatmentPlan:
    """Isa-VRd for newly diagnosed myeloma from Monday 5 January 2026: the I2TEAMM points."""
    return plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-vrd-imroz"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _done_section(text: str) -> str:
    start = text.index("Done so far")
    return text[start : start + 400]


def test_the_calendar_says_when_an_assessment_was_done_and_never_its_result(
    clinician: User, plan: TreatmentPlan
) -> None:
    assessment_record(plan=plan, user=clinician, data=BASELINE)
    assessment_record(plan=plan, user=clinician, data=MAY_4)
    text = _text(plan_calendar_pdf(plan=plan, language="en"))
    # 2 January 2026 is a Friday and 4 May 2026 a Monday (5 January 2026, day 1, is a Monday).
    assert "Assessment done on Friday 2 January 2026 (blood test)" in text
    assert (
        "Assessment done on Monday 4 May 2026 "
        "(blood test, urine test, bone marrow sample, scan or examination)"
    ) in text
    done = _done_section(text)
    assert not RESULT_WORDS.search(done), done
    assert not re.search(r"VGPR|M-protein|MRD-negative|Best confirmed", text)
    # The I2TEAMM points stay: 9 and 12 months after January 2026.
    assert "around October 2026" in text and "around January 2027" in text


def test_no_assessment_no_done_section(plan: TreatmentPlan) -> None:
    assert "Done so far" not in _text(plan_calendar_pdf(plan=plan, language="en"))


def test_every_new_or_corrected_assessment_is_a_new_revision(
    clinician: User, plan: TreatmentPlan
) -> None:
    before = calendar_revision(plan=plan, language="en")
    assessment_record(plan=plan, user=clinician, data=BASELINE)
    first = calendar_revision(plan=plan, language="en")
    row = assessment_record(plan=plan, user=clinician, data=MAY_4)
    second = calendar_revision(plan=plan, language="en")
    assessment_update(assessment=row, data={**MAY_4, "date": dt.date(2026, 5, 5)})
    corrected = calendar_revision(plan=plan, language="en")
    assert len({before, first, second, corrected}) == 4


def test_recording_renders_the_body_the_next_print_uses(
    clinician: User,
    plan: TreatmentPlan,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """Like a plan save, recording enqueues the body render (immediate backend in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(plan=plan, user=clinician, data=BASELINE)
    row = CalendarBody.objects.get(plan=plan)
    assert row.revision == calendar_revision(plan=plan, language="en")
    assert row.pdf is not None
    assert "Assessment done on Friday 2 January 2026 (blood test)" in _text(bytes(row.pdf))


def test_the_line_is_translated(clinician: User, plan: TreatmentPlan) -> None:
    assessment_record(plan=plan, user=clinician, data=MAY_4)
    text = _text(plan_calendar_pdf(plan=plan, language="fr"))
    assert "Déjà fait" in text
    assert (
        "Évaluation faite le lundi 4 mai 2026 (prise de sang, analyse d'urine, "
        "prélèvement de moelle osseuse, imagerie ou examen)"
    ) in text
