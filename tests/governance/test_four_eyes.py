"""Four eyes, precisely: no one who created or edited a draft approves it; a role check on every
action; the reason validated by its form; a draft whose base is no longer published is refused."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dosing.models import RegimenVersion
from governance.actions import (
    EDITOR_CANNOT_APPROVE,
    NOT_AN_APPROVER,
    NOT_AN_EDITOR,
    VERIFIED_NEEDS_CHECKER,
    GovernanceError,
)
from governance.models import ContentStatus, Lineage
from tests.governance.workflow import (
    document_yaml,
    draft_create,
    draft_edit,
    publish,
    refresh,
    return_to_draft,
    submit,
)

pytestmark = pytest.mark.django_db

SLUG = "isa-pd"


def _with_note(version: RegimenVersion, note: str) -> str:
    data = yaml.safe_load(document_yaml(version))
    data["notes"] = [note]
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("root-test", password="a-long-test-password-1")


def test_a_superuser_who_edited_a_colleagues_draft_cannot_publish_it(
    editor: User, superuser: User, approver: User
) -> None:
    draft = draft_create("regimens", SLUG, user=editor)
    draft_edit(draft, user=superuser, document_yaml=_with_note(draft, "Mine too."), reason="x")
    submit(draft, user=editor)
    with pytest.raises(GovernanceError, match=re.escape(EDITOR_CANNOT_APPROVE)):
        publish(draft, user=superuser, reason="I approve my own edit")
    draft.refresh_from_db()
    assert draft.status == ContentStatus.IN_REVIEW
    assert set(draft.editor_ids) == {editor.pk, superuser.pk}
    publish(draft, user=approver, reason="Checked against the SmPC")
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == (ContentStatus.PUBLISHED, approver)


def test_every_action_checks_its_role(clinician: User, editor: User, approver: User) -> None:
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_EDITOR)):
        draft_create("regimens", SLUG, user=clinician)
    draft = draft_create("regimens", SLUG, user=editor)
    draft_edit(draft, user=editor, document_yaml=document_yaml(draft), reason="Checked")
    for user in (clinician, approver):
        with pytest.raises(GovernanceError, match=re.escape(NOT_AN_EDITOR)):
            draft_edit(draft, user=user, document_yaml=_with_note(draft, "n"), reason="x")
        with pytest.raises(GovernanceError, match=re.escape(NOT_AN_EDITOR)):
            submit(draft, user=user)
    submit(draft, user=editor)
    for user in (clinician, editor):
        with pytest.raises(GovernanceError, match=re.escape(NOT_AN_APPROVER)):
            return_to_draft(draft, user=user, reason="no")
        with pytest.raises(GovernanceError, match=re.escape(NOT_AN_APPROVER)):
            publish(draft, user=user, reason="yes")
    draft.refresh_from_db()
    assert draft.status == ContentStatus.IN_REVIEW


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_the_publish_form_validates_the_reason(
    client: Client, editor: User, approver: User, reason: str
) -> None:
    draft = draft_create("regimens", SLUG, user=editor)
    draft_edit(draft, user=editor, document_yaml=document_yaml(draft), reason="Checked")
    submit(draft, user=editor)
    client.force_login(approver)
    url = reverse("content:version", kwargs={"kind": "regimens", "pk": draft.pk})
    response = client.post(url, {"action": "publish", "reason": reason})
    assert response.status_code == 200
    assert 'id="id_reason"' in response.content.decode()
    assert "is-invalid" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ContentStatus.IN_REVIEW


def test_a_sibling_draft_whose_base_was_replaced_must_be_refreshed_and_reviewed_again(
    editor: User, approver: User
) -> None:
    first = draft_create("regimens", SLUG, user=editor)
    second = draft_create("regimens", SLUG, user=editor)
    draft_edit(first, user=editor, document_yaml=_with_note(first, "First."), reason="first")
    draft_edit(second, user=editor, document_yaml=_with_note(second, "Second."), reason="second")
    submit(first, user=editor)
    submit(second, user=editor)
    publish(first, user=approver, reason="First change")

    with pytest.raises(GovernanceError, match="no longer the published version") as caught:
        publish(second, user=approver, reason="Second change")
    assert f"v{first.number} is" in caught.value.message
    second.refresh_from_db()
    assert second.status == ContentStatus.IN_REVIEW

    refresh(second, user=editor)
    second.refresh_from_db()
    assert (second.status, second.base_id) == (ContentStatus.DRAFT, first.pk)
    submit(second, user=editor)
    publish(second, user=approver, reason="Second change, reviewed on top of the first")
    published = RegimenVersion.objects.get(regimen__slug=SLUG, status=ContentStatus.PUBLISHED)
    assert published.pk == second.pk
    lineage = Lineage.objects.get(kind="regimens", key=SLUG)
    assert lineage.published_count == 3  # the shipped v1, then two publications


def test_verified_content_names_its_checker_and_review_date(editor: User, approver: User) -> None:
    """Shipped Isa-Pd is tagged verified (domain reference §20) but names no checker."""
    draft = draft_create("regimens", SLUG, user=editor)
    unchecked = document_yaml(draft, checked=False)
    assert "checked_by: null" in unchecked
    draft_edit(draft, user=editor, document_yaml=unchecked, reason="No checker")
    with pytest.raises(GovernanceError, match=re.escape(VERIFIED_NEEDS_CHECKER)):
        submit(draft, user=editor)
    future = document_yaml(draft).replace("2026-11-02", "2999-01-01")
    with pytest.raises(GovernanceError, match="does not validate") as caught:
        draft_edit(draft, user=editor, document_yaml=future, reason="Future")
    assert "date_reviewed" in caught.value.problems[0]
    draft_edit(draft, user=editor, document_yaml=document_yaml(draft), reason="Checked")
    draft.refresh_from_db()
    assert (draft.checked_by, str(draft.date_reviewed)) == ("Test pharmacist", "2026-11-02")
    submit(draft, user=editor)
    publish(draft, user=approver, reason="Checked by pharmacy")
    draft.refresh_from_db()
    assert draft.status == ContentStatus.PUBLISHED


def test_a_current_draft_cannot_be_refreshed(editor: User) -> None:
    draft = draft_create("regimens", SLUG, user=editor)
    with pytest.raises(GovernanceError, match="already based on the published version"):
        refresh(draft, user=editor)


def test_published_content_is_retired_never_deleted(
    client: Client, editor: User, approver: User
) -> None:
    published = RegimenVersion.objects.get(regimen__slug=SLUG, status=ContentStatus.PUBLISHED)
    url = reverse("content:version", kwargs={"kind": "regimens", "pk": published.pk})
    client.force_login(editor)
    client.post(url, {"action": "retire", "reason": "Withdrawn"})
    published.refresh_from_db()
    assert published.status == ContentStatus.PUBLISHED
    client.force_login(approver)
    assert "is-invalid" in client.post(url, {"action": "retire", "reason": ""}).content.decode()
    client.post(url, {"action": "retire", "reason": "Withdrawn by the clinical lead"})
    published.refresh_from_db()
    assert published.status == ContentStatus.RETIRED
    assert not RegimenVersion.objects.filter(
        regimen__slug=SLUG, status=ContentStatus.PUBLISHED
    ).exists()
