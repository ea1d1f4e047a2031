"""Cost and vial waste on the saved plan page, the pharmacy CSV and API, reimbursement notes.

Hand-computed (seed country notes, Oct 2025): Isa-Pd, 72 kg → isatuximab 720 mg (10 mg/kg) on
C1 D1, D8, D15, D22 and C2 D1, D15 = 6 doses, each 1 × 500 + 3 × 100 mg (80 mg discarded).
Norway: 6 × (39 397,30 + 3 × 7 908,50) = 6 × 63 122,80 = kr 378 736,80.
Finland: 6 × (2 790,18 + 3 × 558,04) = 6 × 4 464,30 = 26 785,80 €.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.fixtures import Settings

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN, CONTENT_EDITOR
from costs.content import price_files
from costs.models import DrugPrice, ReimbursementNote
from dosing.calendar_pdf import plan_calendar_pdf
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from governance.actions import GovernanceError
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

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


def _csv_url(plan: TreatmentPlan) -> str:
    return reverse("costs:plan_administrations_csv", kwargs={"pk": plan.pk})


def _api_url(plan: TreatmentPlan) -> str:
    return f"/api/v1/plans/{plan.pk}/administrations"


def test_shipped_prices_are_the_seeds() -> None:
    norway = DrugPrice.objects.get(drug="isatuximab", country="NO").to_domain()
    assert norway.currency == "NOK"
    assert [(int(v.strength_mg), str(v.price)) for v in norway.vials] == [
        (500, "39397.30"),
        (100, "7908.50"),
    ]
    finland = DrugPrice.objects.get(drug="isatuximab", country="FI").to_domain()
    assert [(int(v.strength_mg), str(v.price)) for v in finland.vials] == [
        (500, "2790.18"),
        (100, "558.04"),
    ]
    for prices in (norway, finland):
        assert prices.verification == "verified"
        assert "Framingham on multiple myeloma" in prices.source
        assert prices.source_date == "2025-10"
    assert DrugPrice.objects.count() == 2  # other drugs and countries: empty
    assert len(price_files()) == 2


def test_plan_page_shows_norwegian_cost_and_waste(
    settings: Settings, clinician_client: Client, plan: TreatmentPlan
) -> None:
    settings.CLINIC_COUNTRY = "NO"
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "kr 378 736,80" in body  # total, 6 administrations
    assert "kr 63 122,80" in body  # each
    assert "6 × 500 mg" in body and "18 × 100 mg" in body
    assert "given 4320 mg" in body  # 6 × 720
    assert "discarded 480 mg (10.0 %)" in body  # 6 × 80 of 4 800 mg
    assert "Framingham on multiple myeloma" in body and "2025-10" in body
    assert "No price entered for pomalidomide in NO." in body
    assert "No price entered for dexamethasone in NO." in body
    assert "No price entered for isatuximab" not in body


def test_plan_page_in_finland(
    settings: Settings, clinician_client: Client, plan: TreatmentPlan
) -> None:
    settings.CLINIC_COUNTRY = "FI"
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "26 785,80 €" in body and "4 464,30 €" in body


def test_no_price_in_a_country_without_prices(
    settings: Settings, clinician_client: Client, plan: TreatmentPlan
) -> None:
    settings.CLINIC_COUNTRY = "SE"
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "No price entered for isatuximab in SE." in body
    assert "kr " not in body and "€" not in body


def test_no_country_set_says_so(
    settings: Settings, clinician_client: Client, plan: TreatmentPlan
) -> None:
    settings.CLINIC_COUNTRY = ""
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "CLINIC_COUNTRY" in body
    assert "kr 63 122,80" not in body


def _published_edit(editor: User, approver: User, key: str, **changes: Any) -> DrugPrice:
    """A new version of price list ``key`` through the four-eyes workflow, published."""
    draft = draft_create("prices", key, user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data.update(changes)
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="Test change")
    submit(draft, user=editor)
    return publish(draft, user=approver, reason="Checked against the source")


def test_pending_price_is_labelled(
    settings: Settings,
    clinician_client: Client,
    plan: TreatmentPlan,
    editor: User,
    approver: User,
) -> None:
    settings.CLINIC_COUNTRY = "NO"
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "pending verification" not in body
    _published_edit(editor, approver, "isatuximab-NO", verification="pending")
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "pending verification" in body


def test_a_published_price_change_is_what_the_plan_costs(
    settings: Settings,
    clinician_client: Client,
    plan: TreatmentPlan,
    editor: User,
    approver: User,
) -> None:
    # New Norwegian prices: 500 mg kr 40 000,00, 100 mg kr 8 000,00. A 720 mg dose is
    # 1 × 500 + 3 × 100 mg = 40 000 + 24 000 = kr 64 000,00; 6 doses = kr 384 000,00.
    settings.CLINIC_COUNTRY = "NO"
    draft = draft_create("prices", "isatuximab-NO", user=editor)
    data = yaml.safe_load(document_yaml(draft))
    new_prices = {500: "40000.00", 100: "8000.00"}
    for vial in data["vials"]:
        vial["price"] = new_prices[vial["strength_mg"]]
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="New prices")
    submit(draft, user=editor)
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "kr 378 736,80" in body  # in review is not in force
    with pytest.raises(GovernanceError):
        publish(draft, user=editor, reason="Own change")
    publish(draft, user=approver, reason="Checked against the price list")
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "kr 384 000,00" in body
    assert "kr 378 736,80" not in body
    assert list(
        DrugPrice.objects.filter(key="isatuximab-NO").order_by("number").values_list("status")
    ) == [("retired",), ("published",)]


def test_an_invalid_price_list_is_refused_with_the_domains_message(editor: User) -> None:
    draft = draft_create("prices", "isatuximab-FI", user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["currency"] = "euro"
    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="Bad")
    draft.refresh_from_db()
    assert draft.currency == "EUR"
    assert refused.value.problems == (
        "currency: currency must be an ISO 4217 code (e.g. NOK, EUR); got 'euro'.",
    )


def test_omitted_dose_costs_nothing(
    settings: Settings, clinician_client: Client, plan: TreatmentPlan
) -> None:
    settings.CLINIC_COUNTRY = "NO"
    computed = plan.computed
    first = next(a for a in computed["administrations"] if a["drug"] == "isatuximab")
    first["status"] = "omitted"
    TreatmentPlan.objects.filter(pk=plan.pk).update(computed=computed)
    body = clinician_client.get(_detail(plan)).content.decode()
    assert "kr 315 614,00" in body  # 5 × 63 122,80


def test_csv_and_api_have_the_same_rows(
    settings: Settings, clinician_client: Client, plan: TreatmentPlan
) -> None:
    settings.CLINIC_COUNTRY = "NO"
    response = clinician_client.get(_csv_url(plan))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    api_rows = clinician_client.get(_api_url(plan)).json()
    assert len(rows) == len(api_rows) == len(plan.computed["administrations"])
    assert list(rows[0]) == list(api_rows[0])
    isa = [r for r in rows if r["drug"] == "isatuximab"]
    assert len(isa) == 6
    first = isa[0]
    assert first["dose_value"] == "720"
    assert first["cycle"] == "1" and first["day"] == "1" and first["date"] == "2026-01-05"
    assert first["cost_vials"] == "1 × 500 mg + 3 × 100 mg"
    assert first["cost"] == "63122.80" and first["currency"] == "NOK"
    assert first["discarded_mg"] == "80" and first["discarded_percent"] == "10.0"
    assert first["patient_reference"] == "MM-0042"
    pom = next(r for r in rows if r["drug"] == "pomalidomide")
    assert pom["cost"] == "" and pom["currency"] == ""
    api_first = next(r for r in api_rows if r["drug"] == "isatuximab")
    assert api_first["cost"] == "63122.80"


def test_csv_neutralises_formulas(
    settings: Settings, clinician_client: Client, plan: TreatmentPlan
) -> None:
    TreatmentPlan.objects.filter(pk=plan.pk).update(patient_reference="=HYPERLINK(1)")
    text = clinician_client.get(_csv_url(plan)).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_access_rules(clinician: User, plan: TreatmentPlan) -> None:
    team_a, team_b = Team.objects.create(name="A"), Team.objects.create(name="B")
    Membership.objects.create(user=clinician, team=team_a)
    TreatmentPlan.objects.filter(pk=plan.pk).update(team=team_a)
    other = User.objects.create_user(username="o", password="a-long-test-password-1")
    other.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    Membership.objects.create(user=other, team=team_b)
    client = Client()
    client.force_login(other)
    assert client.get(_csv_url(plan)).status_code == 404
    assert client.get(_api_url(plan)).status_code == 404
    editor = User.objects.create_user(username="e", password="a-long-test-password-1")
    editor.groups.add(Group.objects.get_or_create(name=CONTENT_EDITOR)[0])
    Membership.objects.create(user=editor, team=team_a)
    client.force_login(editor)
    assert client.get(_csv_url(plan)).status_code == 403
    assert client.get(_api_url(plan)).status_code == 403
    assert "administrations.csv" not in client.get(_detail(plan)).content.decode()
    assert Client().get(_api_url(plan)).status_code == 401


def test_cost_never_on_the_patient_calendar(settings: Settings, plan: TreatmentPlan) -> None:
    settings.CLINIC_COUNTRY = "NO"
    reader = PdfReader(io.BytesIO(plan_calendar_pdf(plan=plan, language="en")))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "720" in text  # the calendar does show the dose
    for word in ("63 122", "kr ", "discarded", "Framingham on multiple myeloma (Framingham"):
        assert word not in text


def test_reimbursement_notes_on_treatment_options(
    settings: Settings, clinician_client: Client
) -> None:
    settings.CLINIC_COUNTRY = "NO"
    assert ReimbursementNote.objects.count() == 6
    body = clinician_client.get(reverse("treatment:index")).content.decode()
    for country in ("NL", "BE", "DK", "NO", "SE", "FI"):
        assert f'data-testid="reimbursement-isatuximab-{country}"' in body
    assert "(this clinic)" in body
    assert "after at\n      least one prior line" not in body  # folded YAML: one line
    assert "autologous stem cell transplantation is not planned" in body
    assert "Not eligible for subsidy" in body
    assert "2025-10" in body


def test_the_content_pages_preview_a_price_draft(editor: User, client: Client) -> None:
    client.force_login(editor)
    assert b"isatuximab-NO" in client.get("/content/").content
    draft = draft_create("prices", "isatuximab-NO", user=editor)
    assert client.get(f"/content/prices/versions/{draft.pk}/").status_code == 200
    preview = client.get(f"/content/prices/versions/{draft.pk}/preview/")
    assert preview.status_code == 200
    assert b"39397.30 NOK" in preview.content


def test_a_published_reimbursement_change_is_what_the_options_page_shows(
    settings: Settings, clinician_client: Client, editor: User, approver: User
) -> None:
    settings.CLINIC_COUNTRY = "SE"
    draft = draft_create("reimbursement", "isatuximab-SE", user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["notes"][0]["status"] = "reimbursed for listed uses"
    data["notes"][0]["note"] = "Reimbursed from the test's decision onwards."
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="New decision")
    submit(draft, user=editor)
    body = clinician_client.get(reverse("treatment:index")).content.decode()
    assert "Reimbursed from the test's decision onwards." not in body  # in review
    publish(draft, user=approver, reason="Checked against the decision")
    body = clinician_client.get(reverse("treatment:index")).content.decode()
    assert "Reimbursed from the test&#x27;s decision onwards." in body
    assert "Prescription medication. Not reimbursed." not in body
    assert body.count('data-testid="reimbursement-isatuximab-SE"') == 1


def test_an_invalid_reimbursement_note_is_refused_with_the_domains_message(editor: User) -> None:
    draft = draft_create("reimbursement", "isatuximab-NO", user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["notes"][0]["country"] = "Norway"
    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="Bad")
    assert refused.value.problems == (
        "notes[0].country: country must be an ISO 3166-1 alpha-2 code in capitals, quoted in"
        ' YAML (e.g. "NO", "FI"); got \'Norway\'.',
    )
    data["notes"][0]["country"] = "SE"
    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="Other")
    assert refused.value.problems == (
        "drug, country: this is the note 'isatuximab-SE', not 'isatuximab-NO'",
    )
    draft.refresh_from_db()
    assert draft.country == "NO"
