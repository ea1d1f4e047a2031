"""The footer's rule-content release changes when anything is published; loading changed shipped
content at start-up creates a draft, never a published version."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dosing.models import RegimenVersion
from governance.models import ContentStatus
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

MANIFEST_VERSION = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "content" / "manifest.yaml").read_text("utf-8")
)["version"]

pytestmark = pytest.mark.django_db


def _footer_release(client: Client) -> str:
    body = client.get("/").content.decode()
    return body.split("Rule content version", 1)[1].split("</strong>", 1)[0]


def test_the_footer_release_changes_when_anything_is_published(
    client: Client, editor: User, approver: User
) -> None:
    client.force_login(editor)
    before = _footer_release(client)
    assert f"{MANIFEST_VERSION}+" in before
    draft = draft_create("guidelines", "eha-emn-2025", user=editor)
    draft_edit(draft, user=editor, document_yaml=document_yaml(draft), reason="Checked")
    submit(draft, user=editor)
    assert _footer_release(client) == before  # a draft or a review changes nothing in force
    publish(draft, user=approver, reason="Checker recorded")
    after = _footer_release(client)
    assert after != before and f"{MANIFEST_VERSION}+" in after


def test_load_content_adds_nothing_to_a_fresh_database() -> None:
    call_command("load_content")
    assert not RegimenVersion.objects.exclude(status=ContentStatus.PUBLISHED).exists()


def test_load_content_turns_a_changed_shipped_file_into_a_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dosing import content_kind

    shipped = content_kind.regimen_definitions()

    def changed() -> list[dict[str, Any]]:
        definitions = copy.deepcopy(shipped)
        for definition in definitions:
            if definition["slug"] == "pvd":
                definition["notes"] = ["A note in a newer shipped file."]
        return definitions

    monkeypatch.setattr(content_kind, "regimen_definitions", changed)
    published_before = RegimenVersion.objects.get(regimen__slug="pvd", status="published")
    call_command("load_content")
    call_command("load_content")  # idempotent: the draft now holds the shipped definition
    draft = RegimenVersion.objects.get(regimen__slug="pvd", status=ContentStatus.DRAFT)
    assert draft.definition["notes"] == ["A note in a newer shipped file."]
    assert (draft.base, draft.created_by) == (published_before, None)
    published = RegimenVersion.objects.get(regimen__slug="pvd", status="published")
    assert published.pk == published_before.pk


def test_a_shipped_file_names_its_checker_and_review_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dosing import content

    text = (content.CONTENT_DIR / "pvd.yaml").read_text(encoding="utf-8")
    text += (
        "notes:\n- Reviewed file.\nchecked_by: Pharmacist A. Example\ndate_reviewed: 2026-11-20\n"
    )
    (tmp_path / "pvd.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    call_command("load_content")
    draft = RegimenVersion.objects.get(regimen__slug="pvd", status=ContentStatus.DRAFT)
    assert (draft.checked_by, str(draft.date_reviewed)) == ("Pharmacist A. Example", "2026-11-20")
    assert "checked_by" not in draft.definition
