"""The response panel on the saved plan page: form without JavaScript (PRG), table, picture."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN, CONTENT_EDITOR
from dosing.calendar_pdf import plan_calendar_pdf
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from followup.models import DiseaseAssessment

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
EMPTY_FORM = {
    "serum_m_protein_unit": "g/L",
    "urine_m_protein_unit": "mg/24h",
    "involved_flc_unit": "mg/L",
    "uninvolved_flc_unit": "mg/L",
    "mrd_method": "ngs",
}


@pytest.fixture
def plan(clinician: User) -> TreatmentPlan:
    return plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )


def _detail(plan: TreatmentPlan) -> str:
    return reverse("dosing:plan_detail", kwargs={"pk": plan.pk})


def _new(plan: TreatmentPlan) -> str:
    return reverse("followup:assessment_create", kwargs={"pk": plan.pk})


def _record(client: Client, plan: TreatmentPlan, **fields: Any) -> Any:
    return client.post(_new(plan), EMPTY_FORM | fields)


def _series(client: Client, plan: TreatmentPlan) -> None:
    baseline = {
        "date": "2026-01-02",
        "baseline": "on",
        "heavy_chain": "IgG",
        "light_chain": "kappa",
    }
    assert (
        _record(client, plan, **baseline, serum_m_protein="35", plasmacytoma="absent").status_code
        == 302
    )
    # 35 → 3 g/L = −91.4 % (VGPR), 35 → 2 = −94.3 % (VGPR): VGPR confirmed from 2026-03-02
    assert _record(client, plan, date="2026-03-02", serum_m_protein="3").status_code == 302
    assert (
        _record(
            client, plan, date="2026-05-04", serum_m_protein="0.2", serum_m_protein_unit="g/dL"
        ).status_code
        == 302
    )


def test_empty_panel_and_form_on_the_plan_page(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    body = clinician_client.get(_detail(plan)).content.decode()
    assert 'id="response"' in body
    assert "No baseline assessment yet" in body
    assert f'action="{_new(plan)}"' in body
    assert 'method="post"' in body and "csrfmiddlewaretoken" in body


def test_record_without_javascript_then_read_table_letter_line_and_picture(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    _series(clinician_client, plan)
    response = clinician_client.get(_detail(plan))
    body = response.content.decode()
    assert "Best confirmed response VGPR (Mon 2 Mar 2026)" in body
    assert "serum M-protein −91.4 % from baseline" in body
    assert "0.2 g/dL (2 g/L)" in body
    assert 'role="img"' in body and "<title" in body and "<desc" in body
    assert 'class="point cat-vgpr"' in body
    assert "nadir" in body and "9 months" in body and "12 months" in body
    assert "pending verification" in body
    panel = body[
        body.index('id="response"') : body.index("</section>", body.index('id="response"'))
    ]
    assert " style=" not in panel and "<script" not in panel
    assert DiseaseAssessment.objects.filter(plan=plan).count() == 3


def test_invalid_value_keeps_the_form_and_saves_nothing(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    response = _record(
        clinician_client,
        plan,
        date="2026-01-02",
        baseline="on",
        serum_m_protein="35",
        serum_m_protein_unit="g/dL",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Serum M-protein must be at least 0 and at most 15 g/dL" in body
    assert 'value="35"' in body
    assert not DiseaseAssessment.objects.exists()


def test_correct_an_assessment_keeps_history(clinician_client: Client, plan: TreatmentPlan) -> None:
    _series(clinician_client, plan)
    row = DiseaseAssessment.objects.get(date=dt.date(2026, 3, 2))
    url = reverse("followup:assessment_edit", kwargs={"pk": plan.pk, "assessment_id": row.pk})
    page = clinician_client.get(url).content.decode()
    assert 'value="3.0"' in page or 'value="3"' in page
    # 35 → 20 g/L = −42.9 %: MR
    response = clinician_client.post(
        url, EMPTY_FORM | {"date": "2026-03-02", "serum_m_protein": "20", "reason": "typing error"}
    )
    assert response.status_code == 302
    assert row.history.count() == 2
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "−42.9 %" in body
    assert "typing error" in clinician_client.get(url).content.decode()


def test_access_rules(clinician: User, plan: TreatmentPlan) -> None:
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    Membership.objects.create(user=clinician, team=team_a)
    TreatmentPlan.objects.filter(pk=plan.pk).update(team=team_a)
    other = User.objects.create_user(username="o", password="a-long-test-password-1")
    other.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    Membership.objects.create(user=other, team=team_b)
    client = Client()
    client.force_login(other)
    assert client.get(_new(plan)).status_code == 404
    editor = User.objects.create_user(username="e", password="a-long-test-password-1")
    editor.groups.add(Group.objects.get_or_create(name=CONTENT_EDITOR)[0])
    Membership.objects.create(user=editor, team=team_a)
    client.force_login(editor)
    assert client.get(_new(plan)).status_code == 403
    assert client.get(_detail(plan)).status_code == 403  # content roles never read plans (#11)


def test_results_never_reach_the_patient_calendar(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    _series(clinician_client, plan)
    reader = PdfReader(io.BytesIO(plan_calendar_pdf(plan=plan, language="en")))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert text.strip()
    assert not re.search(r"VGPR|M-protein|Best confirmed|MRD-negative", text)


def test_mrd_through_the_form_and_back_into_the_correction_form(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    _series(clinician_client, plan)
    cr = {
        "date": "2026-09-07",
        "serum_m_protein": "0",
        "serum_ife": "negative",
        "urine_ife": "negative",
        "bone_marrow_plasma_cells_percent": "1",
        "plasmacytoma": "absent",
        "mrd_result": "negative",
        "mrd_method": "ngs",
        "mrd_sensitivity": "0.00001",
    }
    assert _record(clinician_client, plan, **cr).status_code == 302
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "sequencing_mrd_negative" in body
    # 2026-09-07 is inside the 9-month window (2026-01-05 + 9 months + 30 days = 2026-11-04)
    assert "MRD-negative CR at 9 months: yes (NGS, 10⁻⁵)" in body
    row = DiseaseAssessment.objects.get(date=dt.date(2026, 9, 7))
    url = reverse("followup:assessment_edit", kwargs={"pk": plan.pk, "assessment_id": row.pk})
    page = clinician_client.get(url).content.decode()
    assert re.search(r'<option value="0\.00001"\s+selected', page)


def test_the_measurable_disease_is_named_in_words_not_by_its_code(
    clinician_client: Client, plan: TreatmentPlan
) -> None:
    """Issue 16: no internal code reaches a clinician ("serum_urine" was shown)."""
    _series(clinician_client, plan)
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "serum_urine" not in body
    assert "Serum and urine M-protein — " in body
