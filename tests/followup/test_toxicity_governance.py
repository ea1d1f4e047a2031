"""The toxicity rule tables are governed content (issues 12, 15): drafted, reviewed by a second
person, published, never edited in place; the grading API reads the published tables only.

Expected grades are derived by hand from CTCAE v5.0 (domain-reference §22 T2): neutrophil count
decreased is grade 2 below 1.5, grade 3 below 1.0, grade 4 below 0.5 (×10⁹/L).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client

from followup.models import ToxicityRuleTable
from governance.actions import GovernanceError, Retire
from governance.models import ContentStatus
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

pytestmark = pytest.mark.django_db


def _neutrophil_grade(client: Client, value: float) -> Any:
    response = client.post(
        "/api/v1/toxicity/grade",
        json.dumps({"ctcae_version": "5.0", "neutrophils": {"value": value, "unit": "10^9/L"}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["grades"]["neutrophils"]["grade"]


def _with_grade_3_below(version: ToxicityRuleTable, below: float) -> str:
    data = yaml.safe_load(document_yaml(version))
    grades = data["terms"]["neutrophils"]["grades"]
    assert grades[1]["grade"] == 3
    grades[1]["below"] = below
    return yaml.safe_dump(data, allow_unicode=True)


def test_a_published_ctcae_change_is_what_the_api_grades_with(
    editor: User, approver: User, clinician_client: Client
) -> None:
    # Shipped v5.0: 1.0 ≤ 1.1 < 1.5 → grade 2.
    assert _neutrophil_grade(clinician_client, 1.1) == 2
    draft = draft_create("toxicity", "ctcae-5.0", user=editor)
    draft_edit(
        draft,
        user=editor,
        document_yaml=_with_grade_3_below(draft, 1.2),
        reason="Grade 3 threshold moved for the test",
    )
    submit(draft, user=editor)
    # In review is not in force: still grade 2.
    assert _neutrophil_grade(clinician_client, 1.1) == 2
    with pytest.raises(GovernanceError):
        publish(draft, user=editor, reason="Own change")
    publish(draft, user=approver, reason="Second person checked it against the source")
    # Published: 1.1 < 1.2 → grade 3; 1.25 is not < 1.2 and < 1.5 → grade 2.
    assert _neutrophil_grade(clinician_client, 1.1) == 3
    assert _neutrophil_grade(clinician_client, 1.25) == 2
    versions = ToxicityRuleTable.objects.filter(key="ctcae-5.0").order_by("number")
    assert [(v.number, v.status) for v in versions] == [
        (1, ContentStatus.RETIRED),
        (2, ContentStatus.PUBLISHED),
    ]


def test_a_document_the_domain_refuses_is_not_stored(editor: User) -> None:
    draft = draft_create("toxicity", "isatuximab-actions", user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["dose_reduction"] = True
    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="Reduce")
    assert refused.value.problems == (
        "isatuximab.dose_reduction: must be false: isatuximab is never dose-reduced (X7)",
    )
    draft.refresh_from_db()
    assert draft.document["dose_reduction"] is False


def test_the_tables_are_validated_together(editor: User) -> None:
    # Each CTCAE table alone is valid without the default flag, but the set then has no default.
    draft = draft_create("toxicity", "ctcae-5.0", user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["default"] = False
    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="No default")
    assert refused.value.problems == ("default: exactly one CTCAE version must be the default",)


def test_a_document_of_another_table_is_refused(editor: User) -> None:
    draft = draft_create("toxicity", "ctcae-5.0", user=editor)
    other = ToxicityRuleTable.objects.get(key="partner-drugs", status=ContentStatus.PUBLISHED)
    with pytest.raises(GovernanceError) as refused:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(other.document), reason="Wrong")
    assert refused.value.problems == (
        "kind: this document is the table 'partner-drugs', not 'ctcae-5.0'",
    )


def test_the_content_pages_list_and_preview_the_tables(editor: User, client: Client) -> None:
    client.force_login(editor)
    index = client.get("/content/")
    assert index.status_code == 200
    assert b"ctcae-5.0" in index.content
    draft = draft_create("toxicity", "ctcae-5.0", user=editor)
    page = client.get(f"/content/toxicity/versions/{draft.pk}/")
    assert page.status_code == 200
    preview = client.get(f"/content/toxicity/versions/{draft.pk}/preview/")
    assert preview.status_code == 200
    assert b"validate together" in preview.content
    created = client.post("/content/toxicity/ctcae-6.0/draft/")
    assert created.status_code == 302
    assert ToxicityRuleTable.objects.filter(key="ctcae-6.0", number=2).exists()


def test_content_roles_may_read_the_tables_in_the_admin(editor: User, client: Client) -> None:
    client.force_login(editor)
    assert client.get("/admin/followup/toxicityruletable/").status_code == 200


@pytest.mark.parametrize("key", ["isatuximab-actions", "partner-drugs", "ctcae-5.0"])
def test_a_table_the_others_need_cannot_be_retired(key: str, approver: User) -> None:
    """Retiring the isatuximab actions, the partner-drug rules or the default CTCAE version
    would leave the dose check without its rules: refused, the version stays in force."""
    published = ToxicityRuleTable.objects.get(key=key, status=ContentStatus.PUBLISHED)
    with pytest.raises(GovernanceError) as refused:
        Retire(published, user=approver, reason="withdrawn").execute()
    assert refused.value.problems
    published.refresh_from_db()
    assert published.status == ContentStatus.PUBLISHED


def test_a_table_the_others_do_not_need_can_be_retired(approver: User) -> None:
    published = ToxicityRuleTable.objects.get(key="ctcae-6.0", status=ContentStatus.PUBLISHED)
    Retire(published, user=approver, reason="withdrawn").execute()
    published.refresh_from_db()
    assert published.status == ContentStatus.RETIRED
