"""Content import/export: export writes the published content; import lands in drafts only."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from dosing.models import ContentStatus, RegimenVersion
from treatment.models import Guideline

pytestmark = pytest.mark.django_db


def test_export_then_import_creates_drafts_only(tmp_path: Path, editor: User) -> None:
    call_command("content_export", tmp_path)
    regimen_file = tmp_path / "regimens" / "isa-pd.yaml"
    guideline_file = tmp_path / "guidelines" / "eha-emn-2025.yaml"
    assert yaml.safe_load(regimen_file.read_text("utf-8"))["slug"] == "isa-pd"
    assert "recommendations" in yaml.safe_load(guideline_file.read_text("utf-8"))

    call_command("content_import", regimen_file, user=editor.username)
    call_command("content_import", guideline_file, user=editor.username)
    draft = RegimenVersion.objects.get(regimen__slug="isa-pd", status=ContentStatus.DRAFT)
    assert draft.number == 2 and draft.created_by == editor
    assert RegimenVersion.objects.get(regimen__slug="isa-pd", status="published").number == 1
    assert Guideline.objects.get(slug="eha-emn-2025", status=ContentStatus.DRAFT).version == 3
    assert Guideline.objects.get(slug="eha-emn-2025", status="published").version == 2


def test_import_refuses_an_invalid_file_and_a_non_editor(
    tmp_path: Path, editor: User, clinician: User
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("slug: isa-pd\nname: only a name\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("content_import", broken, user=editor.username)
    call_command("content_export", tmp_path)
    with pytest.raises(CommandError, match="content editors"):
        call_command("content_import", tmp_path / "regimens" / "isa-pd.yaml", user="dr-test")
    assert not RegimenVersion.objects.filter(status=ContentStatus.DRAFT).exists()
