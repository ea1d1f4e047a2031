"""Four-eyes governance of guideline content: services, database guards, pages and the clinic."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.roles import CONTENT_APPROVER, CONTENT_EDITOR
from governance.actions import (
    EDITOR_CANNOT_APPROVE,
    NOT_A_DRAFT,
    NOT_AN_APPROVER,
    NOT_AN_EDITOR,
    REASON_REQUIRED,
    GovernanceError,
    version_diff,
)
from governance.models import ContentStatus
from tests.governance.workflow import (
    document_yaml,
    draft_create,
    draft_edit,
    publish,
    return_to_draft,
    submit,
    validation_problems,
)
from treatment.content_kind import WORKFLOW_FIELDS, guideline_preview
from treatment.models import Guideline, Recommendation

pytestmark = pytest.mark.django_db

SLUG = "eha-emn-2025"
NOTE = "Edited for the test."
TWO_LINES = {
    "setting": "rrmm",
    "prior_lines": 2,
    "exposed_to": ["lenalidomide", "bortezomib"],
    "refractory_to": [],
}
# The approved indications after 2 lines including lenalidomide and a PI (§12.5, §12.6).
ALL_TWO_LINES = ["drd", "dkd", "isa-kd", "dpd", "pvd", "isa-pd"]


def _published() -> Guideline:
    return Guideline.objects.get(slug=SLUG, status=ContentStatus.PUBLISHED)


def _document(guideline: Guideline) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(document_yaml(guideline))
    return data


def _edited(guideline: Guideline, note: str = NOTE) -> str:
    data = _document(guideline)
    data["setting_notes"]["rrmm"].append(note)
    return yaml.safe_dump(data, allow_unicode=True)


def _without(guideline: Guideline, *keys: str) -> str:
    data = _document(guideline)
    data["recommendations"] = [r for r in data["recommendations"] if r["key"] not in keys]
    return yaml.safe_dump(data, allow_unicode=True)


def _in_review(editor: User, document: str | None = None) -> Guideline:
    draft = draft_create("guidelines", SLUG, user=editor)
    draft_edit(
        draft,
        user=editor,
        document_yaml=document if document is not None else _edited(draft),
        reason="Add a note",
    )
    return submit(draft, user=editor)


def _options(client: Client, body: dict[str, Any]) -> list[str | None]:
    response = client.post(
        "/api/v1/treatment/options", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return [option["regimen"] for option in response.json()["options"]]


# -------------------------------------------------------------------------------------------------
# Shipped content and golden cases
# -------------------------------------------------------------------------------------------------


def test_shipped_guideline_has_its_golden_cases_and_validates() -> None:
    published = _published()
    assert len(published.golden_cases) == 5
    seed = published.golden_cases[0]
    assert [e["regimen"] for e in seed["expect"]] == ["drd", "dkd", "isa-kd"]
    smm = published.golden_cases[1]
    assert smm["patient"] == {"setting": "smouldering_high_risk"}
    assert smm["expect"] == [{"regimen": None, "grade": "[I, A]"}]
    assert validation_problems(published) == ()


def test_draft_is_a_copy_and_the_published_version_is_untouched(editor: User) -> None:
    published = _published()
    draft = draft_create("guidelines", SLUG, user=editor)
    assert (draft.version, draft.status) == (published.version + 1, ContentStatus.DRAFT)
    assert draft.author == "editor-test" and draft.created_by == editor
    assert draft.golden_cases == published.golden_cases
    assert draft.setting_notes == published.setting_notes
    copied = [r.as_content() for r in draft.recommendations.order_by("key")]
    original = [r.as_content() for r in published.recommendations.order_by("key")]
    assert copied == original and len(copied) == 17
    published.refresh_from_db()
    assert published.status == ContentStatus.PUBLISHED
    assert published.recommendations.count() == 17
    assert version_diff(draft, against=published)  # author line only
    history = Recommendation.history.filter(guideline_id=draft.pk)
    assert set(history.values_list("history_user__username", flat=True)) == {"editor-test"}


# -------------------------------------------------------------------------------------------------
# Roles and four eyes
# -------------------------------------------------------------------------------------------------


def test_clinician_cannot_draft_or_publish(clinician: User, editor: User) -> None:
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_EDITOR)):
        draft_create("guidelines", SLUG, user=clinician)
    guideline = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_APPROVER)):
        publish(guideline, user=clinician, reason="looks fine")


def test_editor_cannot_publish(editor: User) -> None:
    guideline = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_APPROVER)):
        publish(guideline, user=editor, reason="mine")


def test_author_cannot_approve_even_with_both_roles(editor: User) -> None:
    editor.groups.add(Group.objects.get(name=CONTENT_APPROVER))
    guideline = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(EDITOR_CANNOT_APPROVE)):
        publish(guideline, user=editor, reason="four eyes?")
    guideline.refresh_from_db()
    assert guideline.status == ContentStatus.IN_REVIEW


@pytest.mark.parametrize("reason", ["", "   "])
def test_missing_reason_is_rejected(editor: User, approver: User, reason: str) -> None:
    guideline = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(REASON_REQUIRED)):
        publish(guideline, user=approver, reason=reason)


def test_publish_retires_the_old_version_and_records_history(editor: User, approver: User) -> None:
    old = _published()
    guideline = _in_review(editor)
    published = publish(guideline, user=approver, reason="Note added after the tumour board")
    assert published.status == ContentStatus.PUBLISHED
    assert published.approved_by == approver
    assert published.checker == "approver-test"
    assert published.publish_reason == "Note added after the tumour board"
    old.refresh_from_db()
    assert old.status == ContentStatus.RETIRED
    assert old.recommendations.count() == 17  # the retired version keeps its content
    reasons = list(published.history.values_list("history_change_reason", flat=True))
    assert "Published: Note added after the tumour board" in reasons
    assert "Submitted for review" in reasons
    assert "Add a note" in reasons
    users = set(published.history.values_list("history_user__username", flat=True))
    assert {"editor-test", "approver-test"} <= users
    retired = old.history.order_by("-history_date").first()
    assert retired is not None
    assert retired.history_change_reason == "Retired: v3 published"
    assert retired.history_user == approver


def test_return_to_draft_needs_an_approver_and_a_reason(editor: User, approver: User) -> None:
    guideline = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_APPROVER)):
        return_to_draft(guideline, user=editor, reason="x")
    with pytest.raises(GovernanceError):
        return_to_draft(guideline, user=approver, reason=" ")
    returned = return_to_draft(guideline, user=approver, reason="Cite the PDF page")
    assert returned.status == ContentStatus.DRAFT


# -------------------------------------------------------------------------------------------------
# Validation and golden cases
# -------------------------------------------------------------------------------------------------


def test_invalid_content_is_refused_with_its_path(editor: User) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    data = _document(draft)
    pending = next(r for r in data["recommendations"] if r["verification"] == "pending")
    pending["grade"] = "[I, A]"  # §12.1: no grade unless verified from the guideline
    with pytest.raises(GovernanceError) as caught:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="x")
    assert "grade" in " ".join(caught.value.problems)
    with pytest.raises(GovernanceError, match="not valid YAML"):
        draft_edit(draft, user=editor, document_yaml="slug: [unclosed", reason="x")
    assert draft.recommendations.filter(grade="[I, A]").count() == 1  # nothing was stored


def test_regimens_must_be_published(editor: User) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    data = _document(draft)
    data["recommendations"][0]["regimen"] = "no-such-regimen"
    with pytest.raises(GovernanceError) as caught:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="x")
    assert "no regimen 'no-such-regimen'" in " ".join(caught.value.problems)


def test_an_option_may_not_link_a_regimen_that_contradicts_it(editor: User) -> None:
    """Issue 11: a draft that points the transplant-ineligible CEPHEUS option back at the PERSEUS
    induction (ASCT milestone) cannot be submitted."""
    draft = draft_create("guidelines", SLUG, user=editor)
    data = _document(draft)
    cepheus = next(r for r in data["recommendations"] if r["key"] == "d-vrd-ti")
    cepheus["regimen"] = "d-vrd"
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="x")
    with pytest.raises(GovernanceError) as caught:
        submit(draft, user=editor)
    assert caught.value.problems == (
        "Regimen link: d-vrd-ti: the option is for transplant-ineligible patients, but regimen"
        " d-vrd goes on to high-dose therapy and ASCT (milestone after cycle 4)",
    )


@pytest.mark.parametrize(
    ("field", "value"), [("version", 7), ("author", "someone-else"), ("checker", "approver-test")]
)
def test_workflow_fields_cannot_be_edited(editor: User, field: str, value: Any) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    data = _document(draft)
    data[field] = value
    with pytest.raises(GovernanceError, match="does not validate") as caught:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="x")
    assert caught.value.problems == (WORKFLOW_FIELDS,)


def test_slug_cannot_change(editor: User) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    data = _document(draft)
    data["slug"] = "another-guideline"
    with pytest.raises(GovernanceError) as caught:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="x")
    assert "slug" in " ".join(caught.value.problems)


def test_saving_replaces_the_recommendations(editor: User) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    data = _document(draft)
    count = len(data["recommendations"])
    data["recommendations"] = [r for r in data["recommendations"] if r["key"] != "pvd-optimismm"]
    added = dict(copy.deepcopy(data["recommendations"][-1]), key="isa-pd-3-lines", rank=90)
    added["criteria"] = {"prior_lines": {"min": 3}}
    data["recommendations"].append(added)
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="Reorganised")
    keys = set(draft.recommendations.values_list("key", flat=True))
    assert "pvd-optimismm" not in keys and "isa-pd-3-lines" in keys
    assert len(keys) == count
    deleted = Recommendation.history.get(guideline_id=draft.pk, history_type="-")
    assert deleted.key == "pvd-optimismm"
    assert (deleted.history_user, deleted.history_change_reason) == (editor, "Reorganised")
    assert _published().recommendations.filter(key="pvd-optimismm").exists()


def test_broken_golden_case_blocks_submission(editor: User) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    draft_edit(
        draft,
        user=editor,
        document_yaml=_without(draft, "dkd-after-1-line"),
        reason="Drop DKd",
    )
    with pytest.raises(GovernanceError) as caught:
        submit(draft, user=editor)
    assert any("expected drd, dkd, isa-kd but got drd, isa-kd" in p for p in caught.value.problems)
    draft.refresh_from_db()
    assert draft.status == ContentStatus.DRAFT


def test_a_grade_change_breaks_the_smm_golden_case(editor: User) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    data = _document(draft)
    dara = next(r for r in data["recommendations"] if r["key"] == "daratumumab-smm")
    dara["grade"] = "[II, B]"
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="typo")
    problems = validation_problems(draft)
    assert any("expected (no regimen) [I, A] but got (no regimen) [II, B]" in p for p in problems)


def test_preview_shows_the_draft_options_for_the_golden_cases(editor: User) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    draft_edit(
        draft,
        user=editor,
        document_yaml=_without(draft, "dkd-after-1-line", "dkd-candor"),
        reason="x",
    )
    seed, smm, *_added_cases = guideline_preview(guideline=draft)
    assert seed.result is not None and smm.result is not None
    assert [o.recommendation.regimen for o in seed.result.options] == ["drd", "isa-kd"]
    assert [o.recommendation.grade for o in smm.result.options] == ["[I, A]"]


# -------------------------------------------------------------------------------------------------
# Immutability: services and database
# -------------------------------------------------------------------------------------------------


def test_published_version_cannot_be_edited_by_the_service(editor: User) -> None:
    published = _published()
    with pytest.raises(GovernanceError, match=re.escape(NOT_A_DRAFT)):
        draft_edit(published, user=editor, document_yaml=_edited(published), reason="x")
    with pytest.raises(GovernanceError, match=re.escape(NOT_A_DRAFT)):
        submit(published, user=editor)
    in_review = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(NOT_A_DRAFT)):
        draft_edit(in_review, user=editor, document_yaml=_edited(in_review), reason="x")


def test_database_refuses_changes_to_published_content() -> None:
    published = _published()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Guideline.objects.filter(pk=published.pk).update(name="Changed")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Guideline.objects.filter(pk=published.pk).update(setting_notes={})
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Guideline.objects.filter(pk=published.pk).update(status=ContentStatus.DRAFT)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Recommendation.objects.filter(guideline=published, key="drd-after-1-line").update(rank=99)
    published.refresh_from_db()
    assert published.name == "EHA-EMN 2025 guidelines for multiple myeloma"
    assert published.recommendations.get(key="drd-after-1-line").rank == 10


def test_database_refuses_changes_to_retired_content(editor: User, approver: User) -> None:
    old = _published()
    publish(_in_review(editor), user=approver, reason="v2")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Guideline.objects.filter(pk=old.pk).update(status=ContentStatus.PUBLISHED)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Recommendation.objects.filter(guideline=old).update(evidence="Changed")


def test_database_refuses_moving_a_draft_recommendation_into_published_content(
    editor: User,
) -> None:
    draft = draft_create("guidelines", SLUG, user=editor)
    Recommendation.objects.filter(guideline=draft, key="drd-after-1-line").update(rank=11)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Recommendation.objects.filter(guideline=draft, key="drd-after-1-line").update(
            guideline=_published(), key="moved"
        )


def test_two_published_versions_of_one_guideline_are_impossible(editor: User) -> None:
    """The partial unique constraint refuses a second published row (SQLite and PostgreSQL)."""
    guideline = _in_review(editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Guideline.objects.filter(pk=guideline.pk).update(
            status=ContentStatus.PUBLISHED, published_at=guideline.submitted_at
        )


def test_second_publish_of_a_stale_review_fails(editor: User, approver: User) -> None:
    first = _in_review(editor)
    publish(first, user=approver, reason="first")
    with pytest.raises(GovernanceError):
        publish(first, user=approver, reason="again")
    assert Guideline.objects.filter(slug=SLUG, status=ContentStatus.PUBLISHED).count() == 1


def test_diff_shows_the_change(editor: User) -> None:
    published = _published()
    guideline = _in_review(editor)
    diff = "\n".join(version_diff(guideline, against=published))
    assert f"+  - {NOTE}" in diff
    assert diff.startswith("--- v2 (published)")
    assert version_diff(published, against=published) == []


# -------------------------------------------------------------------------------------------------
# Pages
# -------------------------------------------------------------------------------------------------


def test_content_pages_are_for_content_roles(
    client: Client, clinician: User, editor: User, approver: User
) -> None:
    published = _published()
    client.force_login(clinician)
    assert client.get(reverse("content:index")).status_code == 403
    version_url = reverse("content:version", kwargs={"kind": "guidelines", "pk": published.pk})
    assert client.get(version_url).status_code == 403
    draft_url = reverse("content:draft_create", kwargs={"kind": "guidelines", "key": SLUG})
    assert client.post(draft_url).status_code == 403
    assert not Guideline.objects.filter(status=ContentStatus.DRAFT).exists()

    client.force_login(editor)
    index = client.get(reverse("content:index")).content.decode()
    assert "Rule content: guidelines" in index and version_url in index
    response = client.post(draft_url)
    assert response.status_code == 302
    draft = Guideline.objects.get(status=ContentStatus.DRAFT)
    page = client.get(response["Location"]).content.decode()
    assert "Not published" in page
    preview = client.get(reverse("content:preview", kwargs={"kind": "guidelines", "pk": draft.pk}))
    assert "not for clinical use" in preview.content.decode()
    url = reverse("content:version", kwargs={"kind": "guidelines", "pk": draft.pk})
    saved = client.post(url, {"action": "save", "document": _edited(draft), "reason": "note"})
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert NOTE in draft.setting_notes["rrmm"]
    client.post(url, {"action": "submit"})
    draft.refresh_from_db()
    assert draft.status == ContentStatus.IN_REVIEW
    refused = client.post(url, {"action": "publish", "reason": "mine"})
    assert NOT_AN_APPROVER in refused.content.decode()

    client.force_login(approver)
    page = client.get(url).content.decode()
    assert 'data-testid="diff"' in page and NOTE in page
    refused = client.post(url, {"action": "publish", "reason": "   "})
    assert "This field is required." in refused.content.decode()
    client.post(url, {"action": "publish", "reason": "Checked against the guideline PDF"})
    draft.refresh_from_db()
    assert draft.status == ContentStatus.PUBLISHED
    assert draft.approved_by == approver


def test_page_shows_validation_problems_of_a_refused_save(client: Client, editor: User) -> None:
    client.force_login(editor)
    draft = draft_create("guidelines", SLUG, user=editor)
    url = reverse("content:version", kwargs={"kind": "guidelines", "pk": draft.pk})
    data = _document(draft)
    data["recommendations"][0]["setting"] = "mgus"
    page = client.post(
        url, {"action": "save", "document": yaml.safe_dump(data), "reason": "x"}
    ).content.decode()
    assert "The content does not validate." in page
    assert "recommendations[0].setting" in page


# -------------------------------------------------------------------------------------------------
# The clinic reads only the published version
# -------------------------------------------------------------------------------------------------


def test_clinic_reads_only_the_published_guideline(
    clinician_client: Client, editor: User, approver: User
) -> None:
    assert _options(clinician_client, TWO_LINES) == ALL_TWO_LINES
    draft = draft_create("guidelines", SLUG, user=editor)
    draft_edit(
        draft,
        user=editor,
        document_yaml=_without(draft, "isa-pd-2-lines"),
        reason="Isa-Pd withdrawn for the test",
    )
    assert _options(clinician_client, TWO_LINES) == ALL_TWO_LINES
    submit(draft, user=editor)
    assert _options(clinician_client, TWO_LINES) == ALL_TWO_LINES
    with pytest.raises(GovernanceError):
        publish(draft, user=editor, reason="mine")
    assert _options(clinician_client, TWO_LINES) == ALL_TWO_LINES

    publish(draft, user=approver, reason="Second person checked it")
    assert _options(clinician_client, TWO_LINES) == ALL_TWO_LINES[:-1]
    response = clinician_client.post(
        "/api/v1/treatment/options", json.dumps(TWO_LINES), content_type="application/json"
    )
    assert response.json()["guideline"]["version"] == 3


def test_content_groups_can_view_guidelines_in_the_admin() -> None:
    for role in (CONTENT_EDITOR, CONTENT_APPROVER):
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert {"view_guideline", "view_recommendation"} <= codenames
