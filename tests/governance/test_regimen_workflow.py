"""Four-eyes governance of regimen content: services, database guards and the pages."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.roles import CONTENT_APPROVER, CONTENT_EDITOR
from dosing.models import ContentStatus, Regimen, RegimenVersion
from governance.actions import (
    EDITOR_CANNOT_APPROVE,
    NOT_A_DRAFT,
    NOT_AN_APPROVER,
    NOT_AN_EDITOR,
    REASON_REQUIRED,
    GovernanceError,
    version_diff,
)
from tests.governance.workflow import (
    document_yaml,
    draft_create,
    draft_edit,
    publish,
    submit,
)

pytestmark = pytest.mark.django_db


def _isa_pd() -> Regimen:
    return Regimen.objects.get(slug="isa-pd")


def _edited(version: RegimenVersion, **instructions: str) -> str:
    data = yaml.safe_load(document_yaml(version))
    data["notes"] = [instructions.get("note", "Edited for the test.")]
    return yaml.safe_dump(data, allow_unicode=True)


def _in_review(editor: User) -> RegimenVersion:
    draft = draft_create("regimens", _isa_pd().slug, user=editor)
    draft_edit(draft, user=editor, document_yaml=_edited(draft), reason="Add a note")
    return submit(draft, user=editor)


def test_draft_is_a_copy_and_the_published_version_is_untouched(editor: User) -> None:
    published = _isa_pd().versions.get(status=ContentStatus.PUBLISHED)
    draft = draft_create("regimens", _isa_pd().slug, user=editor)
    assert (draft.number, draft.status) == (published.number + 1, ContentStatus.DRAFT)
    assert draft.definition == published.definition
    assert draft.golden_cases == published.golden_cases
    published.refresh_from_db()
    assert published.status == ContentStatus.PUBLISHED


def test_clinician_cannot_draft_or_publish(clinician: User, editor: User) -> None:
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_EDITOR)):
        draft_create("regimens", _isa_pd().slug, user=clinician)
    version = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_APPROVER)):
        publish(version, user=clinician, reason="looks fine")


def test_editor_cannot_publish(editor: User) -> None:
    version = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(NOT_AN_APPROVER)):
        publish(version, user=editor, reason="mine")


def test_author_cannot_approve_even_with_both_roles(editor: User) -> None:
    editor.groups.add(Group.objects.get(name=CONTENT_APPROVER))
    version = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(EDITOR_CANNOT_APPROVE)):
        publish(version, user=editor, reason="four eyes?")


@pytest.mark.parametrize("reason", ["", "   "])
def test_missing_reason_is_rejected(editor: User, approver: User, reason: str) -> None:
    version = _in_review(editor)
    with pytest.raises(GovernanceError, match=re.escape(REASON_REQUIRED)):
        publish(version, user=approver, reason=reason)


def test_publish_retires_the_old_version_and_records_history(editor: User, approver: User) -> None:
    old = _isa_pd().versions.get(status=ContentStatus.PUBLISHED)
    version = _in_review(editor)
    published = publish(version, user=approver, reason="Note added after pharmacy review")
    assert published.status == ContentStatus.PUBLISHED
    assert published.approved_by == approver
    old.refresh_from_db()
    assert old.status == ContentStatus.RETIRED
    reasons = list(published.history.values_list("history_change_reason", flat=True))
    assert "Published: Note added after pharmacy review" in reasons
    assert "Submitted for review" in reasons
    users = set(published.history.values_list("history_user__username", flat=True))
    assert {"editor-test", "approver-test"} <= users


def test_invalid_definition_is_refused_with_its_path(editor: User) -> None:
    draft = draft_create("regimens", _isa_pd().slug, user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["cycle_rules"] = [{"cycles": [2, None], "length_days": 28}]
    with pytest.raises(GovernanceError) as caught:
        draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="x")
    assert "cycle_rules" in " ".join(caught.value.problems)
    with pytest.raises(GovernanceError, match="not valid YAML"):
        draft_edit(draft, user=editor, document_yaml="slug: [unclosed", reason="x")


def test_broken_golden_case_blocks_submission(editor: User) -> None:
    draft = draft_create("regimens", _isa_pd().slug, user=editor)
    data = yaml.safe_load(document_yaml(draft))
    for component in data["components"]:
        if component["drug"] == "isatuximab":
            component["dose"] = {"basis": "mg_per_kg", "amount": 12}
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason="typo")
    with pytest.raises(GovernanceError) as caught:
        submit(draft, user=editor)
    assert any("expected 720" in p for p in caught.value.problems)


def test_published_version_cannot_be_edited_by_the_service(editor: User) -> None:
    published = _isa_pd().versions.get(status=ContentStatus.PUBLISHED)
    with pytest.raises(GovernanceError, match=re.escape(NOT_A_DRAFT)):
        draft_edit(published, user=editor, document_yaml=_edited(published), reason="x")


def test_database_refuses_changes_to_published_content() -> None:
    published = _isa_pd().versions.get(status=ContentStatus.PUBLISHED)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        RegimenVersion.objects.filter(pk=published.pk).update(definition={"slug": "changed"})
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        RegimenVersion.objects.filter(pk=published.pk).update(status=ContentStatus.DRAFT)
    published.refresh_from_db()
    assert published.definition["slug"] == "isa-pd"


def test_two_published_versions_of_one_regimen_are_impossible(editor: User) -> None:
    """The partial unique constraint refuses a second published row (SQLite and PostgreSQL)."""
    version = _in_review(editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegimenVersion.objects.filter(pk=version.pk).update(
            status=ContentStatus.PUBLISHED, published_at=version.submitted_at
        )


def test_second_publish_of_a_stale_review_fails(editor: User, approver: User) -> None:
    first = _in_review(editor)
    publish(first, user=approver, reason="first")
    with pytest.raises(GovernanceError):
        publish(first, user=approver, reason="again")


def test_diff_shows_the_change(editor: User) -> None:
    published = _isa_pd().versions.get(status=ContentStatus.PUBLISHED)
    version = _in_review(editor)
    diff = "\n".join(version_diff(version, against=published))
    assert "+notes:" in diff
    assert "Edited for the test." in diff


def test_content_pages_are_for_content_roles(
    client: Client, clinician: User, editor: User, approver: User
) -> None:
    client.force_login(clinician)
    assert client.get(reverse("content:index")).status_code == 403
    client.force_login(editor)
    response = client.post(
        reverse("content:draft_create", kwargs={"kind": "regimens", "key": "isa-pd"})
    )
    assert response.status_code == 302
    draft = RegimenVersion.objects.get(status=ContentStatus.DRAFT)
    page = client.get(response["Location"]).content.decode()
    assert "Not published" in page
    assert (
        client.get(
            reverse("content:preview", kwargs={"kind": "regimens", "pk": draft.pk})
        ).status_code
        == 200
    )
    client.post(
        reverse("content:version", kwargs={"kind": "regimens", "pk": draft.pk}),
        {"action": "save", "document": _edited(draft), "reason": "note"},
    )
    client.post(
        reverse("content:version", kwargs={"kind": "regimens", "pk": draft.pk}),
        {"action": "submit"},
    )
    draft.refresh_from_db()
    assert draft.status == ContentStatus.IN_REVIEW
    client.force_login(approver)
    refused = client.post(
        reverse("content:version", kwargs={"kind": "regimens", "pk": draft.pk}),
        {"action": "publish", "reason": ""},
    )
    assert "This field is required." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == ContentStatus.IN_REVIEW
    client.post(
        reverse("content:version", kwargs={"kind": "regimens", "pk": draft.pk}),
        {"action": "publish", "reason": "Checked against the SmPC"},
    )
    draft.refresh_from_db()
    assert draft.status == ContentStatus.PUBLISHED


def test_clinic_sees_only_published_content(clinician_client: Client, editor: User) -> None:
    draft_create("regimens", _isa_pd().slug, user=editor)
    response = clinician_client.get("/api/v1/regimens")
    isa_pd = [r for r in response.json() if r["slug"] == "isa-pd"]
    assert [r["version"] for r in isa_pd] == [1]


def test_editor_group_exists_with_view_permissions() -> None:
    codenames = set(
        Group.objects.get(name=CONTENT_EDITOR).permissions.values_list("codename", flat=True)
    )
    assert {"view_regimen", "view_regimenversion"} <= codenames


def test_saved_plan_shows_a_newer_version_and_recomputes_only_on_request(
    clinician_client: Client, clinician: User, editor: User, approver: User
) -> None:
    import datetime as dt

    from dosing.models import TreatmentPlan
    from dosing.services import plan_create

    v1 = _isa_pd().versions.get(status=ContentStatus.PUBLISHED)
    plan = plan_create(
        user=clinician,
        version=v1,
        patient={
            "age_years": 68,
            "sex": "male",
            "weight_kg": 72,
            "height_cm": 178,
            "creatinine": {"value": 0.9, "unit": "mg/dL"},
        },
        start_date=dt.date(2026, 1, 5),
        cycles=2,
    )
    url = reverse("dosing:plan_detail", kwargs={"pk": plan.pk})
    assert "newer-version" not in clinician_client.get(url).content.decode()

    version = _in_review(editor)
    publish(version, user=approver, reason="Pharmacy note")
    page = clinician_client.get(url).content.decode()
    assert "newer-version" in page
    assert "A newer version (v2)" in page
    assert "Edited for the test." in page  # the diff
    plan.refresh_from_db()
    assert plan.regimen_version == v1  # never a silent change

    response = clinician_client.post(reverse("dosing:plan_recompute", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    new_plan = TreatmentPlan.objects.exclude(pk=plan.pk).get()
    assert new_plan.status == "draft"
    assert new_plan.regimen_version == version
    assert new_plan.start_date == plan.start_date and new_plan.cycles == plan.cycles
    plan.refresh_from_db()
    assert plan.regimen_version == v1
