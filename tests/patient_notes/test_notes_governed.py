"""Patient and staff notes are governed content (issue 12): published through the one
workflow, read by the calendar, the nurse worksheet and the staging page from the published
version only, immutable once published, read-only in the admin."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dosing.calendar_print import plan_calendar_print
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from followup.worksheet_pdf import _worksheet_context
from governance.actions import GovernanceError
from governance.models import ContentStatus
from patient_notes import content
from patient_notes.content_kind import PatientNoteKind
from patient_notes.models import PatientNoteVersion
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit
from tests.staging.test_views import CASE_6

pytestmark = pytest.mark.django_db

REPOSITORY = Path(__file__).resolve().parents[2]
# domain-reference §18.3 D1: 68-year-old man, 72 kg, 178 cm, creatinine 0.9 mg/dL.
D1_PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
OLD_CONTRACEPTION = "for at least 5 months after the last isatuximab dose"
NEW_CONTRACEPTION = "for at least 5 months (test wording) after the last isatuximab dose"
MOVED_TEXTS = (
    "Blood tests and blood transfusions",
    "type and screen",
    "indirect antiglobulin test",
    "Pregnancy and contraception",
    "effective contraception",
    "Preventing shingles",
    "more likely. Your care team may give you a medicine",
    "your care team checks how well the treatment works",
    "can be detected on serum protein electrophoresis and immunofixation",
)


def _plan(user: User, regimen: str = "isa-pd", cycles: int = 1) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug=regimen),
        patient=D1_PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=cycles,
        patient_reference="MM-0042",
    )


def _calendar_text(plan: TreatmentPlan, language: str = "en") -> str:
    pdf = plan_calendar_print(plan=plan, language=language).pdf
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _edited(version: PatientNoteVersion, change: Any) -> str:
    data = yaml.safe_load(document_yaml(version))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True)


def _publish_change(key: str, change: Any, editor: User, approver: User) -> PatientNoteVersion:
    draft = draft_create("patient_notes", key, user=editor)
    draft_edit(draft, user=editor, document_yaml=_edited(draft, change), reason="Test change")
    submit(draft, user=editor)
    publish(draft, user=approver, reason="Second person checked it against the source")
    return draft


def _contraception_reworded(data: dict[str, Any]) -> None:
    paragraphs = data["text"]["en"]["paragraphs"]
    paragraphs[0] = paragraphs[0].replace(
        "for at least 5 months after", "for at least 5 months (test wording) after"
    )


def test_every_shipped_note_is_published_validated_and_names_its_check() -> None:
    kind = PatientNoteKind()
    shipped = sorted(path.stem for path in content.NOTES_DIR.glob("*.yaml"))
    published = PatientNoteVersion.objects.filter(status=ContentStatus.PUBLISHED)
    assert sorted(published.values_list("key", flat=True)) == shipped
    for version in published:
        assert kind.validate(version) == (), version.key
        assert len(version.golden_cases) >= 2
        assert version.verification in ("verified", "pending")
        if version.verification == "verified":
            assert version.checked_by and version.date_reviewed is not None, version.key


def test_editing_the_published_note_through_the_workflow_changes_the_printed_calendar(
    clinician: User, editor: User, approver: User
) -> None:
    plan = _plan(clinician)
    assert OLD_CONTRACEPTION in _calendar_text(plan)  # the stored body is rendered here
    draft = draft_create("patient_notes", "isatuximab-contraception", user=editor)
    draft_edit(
        draft,
        user=editor,
        document_yaml=_edited(draft, _contraception_reworded),
        reason="Reworded",
    )
    submit(draft, user=editor)
    assert OLD_CONTRACEPTION in _calendar_text(plan)  # in review is not in force
    with pytest.raises(GovernanceError):
        publish(draft, user=editor, reason="Own change")
    publish(draft, user=approver, reason="Checked against SmPC 4.6")
    text = _calendar_text(plan)
    assert NEW_CONTRACEPTION in text and OLD_CONTRACEPTION not in text
    # The PDF records which note versions it printed.
    metadata = PdfReader(io.BytesIO(plan_calendar_print(plan=plan, language="en").pdf)).metadata
    assert metadata is not None
    assert "isatuximab-contraception v2" in str(metadata.get("/Keywords"))


def test_a_pending_note_is_printed_pending_verification(
    clinician: User, editor: User, approver: User
) -> None:
    plan = _plan(clinician)
    assert "Pregnancy and contraception (PENDING VERIFICATION)" not in _calendar_text(plan)

    def pending(data: dict[str, Any]) -> None:
        data["verification"] = "pending"
        data["verification_note"] = "The 5 months are being checked against the 2025 SmPC."
        data["checked_by"] = data["date_reviewed"] = None

    _publish_change("isatuximab-contraception", pending, editor, approver)
    assert "Pregnancy and contraception (PENDING VERIFICATION)" in _calendar_text(plan)
    dutch = _calendar_text(plan, "nl")
    assert "Zwangerschap en anticonceptie (NOG NIET GEVERIFIEERD)" in dutch


def test_the_assessment_points_follow_the_published_rule(
    clinician: User, editor: User, approver: User
) -> None:
    plan = _plan(clinician, "isa-vrd-imroz")  # start 5 January 2026
    text = _calendar_text(plan)
    assert "around October 2026 (about 9 months" in text
    assert "around January 2027 (about 12 months" in text

    def six_months(data: dict[str, Any]) -> None:
        data["assessment_months"] = [6]
        for case in data["golden_cases"]:
            if "dates" in case:  # 31 January + 6 months = 31 July; 31 May + 6 = 30 November
                case["dates"] = (
                    ["2026-07-31"] if case["start_date"] == "2026-01-31" else ["2027-11-30"]
                )

    _publish_change("i2teamm-assessment-points", six_months, editor, approver)
    text = _calendar_text(plan)
    assert "around July 2026 (about 6 months" in text  # 5 January + 6 months = 5 July
    assert "about 9 months" not in text and "about 12 months" not in text


def test_the_worksheet_reads_the_published_staff_note(
    clinician: User, editor: User, approver: User
) -> None:
    plan = _plan(clinician)

    def reworded(data: dict[str, Any]) -> None:
        data["text"]["en"]["paragraphs"] = ["Type and screen done (test wording, §13.9)."]

    _publish_change("isatuximab-blood-bank", reworded, editor, approver)
    checks = _worksheet_context(plan, dt.date(2026, 1, 5))["checks"]
    assert checks[0] == "Type and screen done (test wording, §13.9)."


def test_the_staging_page_reads_the_published_staff_note(
    clinician_client: Client, editor: User, approver: User
) -> None:
    def pending(data: dict[str, Any]) -> None:
        data["text"]["en"]["paragraphs"] = ["Isatuximab shows on SPE and IFE (test wording)."]
        data["verification"] = "pending"
        data["verification_note"] = "Test: not yet checked."

    _publish_change("isatuximab-spe-ife", pending, editor, approver)
    body = clinician_client.post(
        reverse("staging:index"), CASE_6 | {"received_isatuximab": "on"}
    ).content.decode()
    assert "Isatuximab shows on SPE and IFE (test wording)." in body
    assert "PENDING VERIFICATION" in body


def test_a_document_the_domain_refuses_is_not_stored(editor: User) -> None:
    draft = draft_create("patient_notes", "isatuximab-blood-tests", user=editor)

    def no_finnish(data: dict[str, Any]) -> None:
        del data["text"]["fi"]

    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=_edited(draft, no_finnish), reason="x")
    assert refused.value.problems == (
        "text.fi: missing: a patient note is printed in every calendar language",
    )

    def wrong_case(data: dict[str, Any]) -> None:
        data["golden_cases"][0]["applies"] = False

    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=_edited(draft, wrong_case), reason="x")
    assert refused.value.problems == (
        "Golden case: Isa-Pd (ICARIA-MM) prints it: expected not printed, but it is printed.",
    )
    draft.refresh_from_db()
    assert "fi" in draft.document["text"]


def test_the_content_pages_and_the_admin_show_the_notes(editor: User, client: Client) -> None:
    client.force_login(editor)
    assert b"patient_notes" in client.get("/content/").content
    draft = draft_create("patient_notes", "anti-cd38-shingles", user=editor)
    page = client.get(f"/content/patient_notes/versions/{draft.pk}/")
    assert page.status_code == 200
    preview = client.get(f"/content/patient_notes/versions/{draft.pk}/preview/").content
    assert "Vyöruusun ehkäisy".encode() in preview
    assert b"Translation: not yet reviewed" in preview
    assert client.get("/admin/patient_notes/patientnoteversion/").status_code == 200


def test_load_content_turns_a_changed_shipped_note_into_a_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("load_content")
    assert not PatientNoteVersion.objects.exclude(status=ContentStatus.PUBLISHED).exists()
    source = content.NOTES_DIR / "isatuximab-contraception.yaml"
    text = source.read_text(encoding="utf-8").replace("Ask your care team", "Ask your team")
    (tmp_path / source.name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(content, "NOTES_DIR", tmp_path)
    call_command("load_content")
    call_command("load_content")  # idempotent
    draft = PatientNoteVersion.objects.get(status=ContentStatus.DRAFT)
    assert draft.key == "isatuximab-contraception" and draft.number == 2
    assert draft.created_by is None and draft.base is not None


def test_no_clinical_note_text_remains_in_templates_or_code() -> None:
    """The moved wording lives in content/patient_notes/ only (and the catalogues of old)."""
    places = [*(REPOSITORY / "templates").rglob("*.html")]
    for app in ("dosing", "followup", "staging", "patient_notes", "myeloma_core"):
        places.extend((REPOSITORY / app).rglob("*.py"))
    found = [
        f"{path.relative_to(REPOSITORY)}: {text}"
        for path in places
        for text in MOVED_TEXTS
        if text.lower() in path.read_text(encoding="utf-8").lower()
    ]
    assert found == []
