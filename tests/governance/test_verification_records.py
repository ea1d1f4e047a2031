"""Every verified content item names what it was checked against and when (issue 12): the shipped
files do, the shipped-content loader refuses a file where one does not, for every kind, and so
does the workflow before review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User

from governance.actions import GovernanceError
from governance.shipped import shipped_document
from myeloma_core.verification_record import unrecorded_verified
from tests.governance.workflow import document_yaml, draft_create, draft_edit, submit

CONTENT = Path(__file__).resolve().parents[2] / "content"
RECORD = "checked_by: Source check against domain reference §15.1 [PUB] P16a\n"
REVIEWED = "date_reviewed: 2026-11-29\n"


def _content_files() -> list[Path]:
    return [
        path
        for path in sorted(CONTENT.rglob("*.yaml"))
        if path.parent.name not in {"golden", "guideline_golden"}
        and path.parent != CONTENT  # manifest and translations are not rule content
    ]


@pytest.mark.parametrize("path", _content_files(), ids=lambda p: str(p.relative_to(CONTENT)))
def test_every_shipped_verified_item_names_its_checker_and_review_date(path: Path) -> None:
    document = yaml.safe_load(path.read_text("utf-8"))
    assert unrecorded_verified(document) == ()


# One small file per kind, with one verified item lacking its record, where that kind keeps it.
UNRECORDED = {
    "regimens": (
        "slug: x\ncomponents:\n  - drug: pomalidomide\n    source: '[PUB] P16a'\n"
        "    verification: verified\n",
        "components.0",
    ),
    "guidelines": (
        "slug: g\nrecommendations:\n  - key: a\n    source: '[SEED]'\n    verification: verified\n",
        "recommendations.0",
    ),
    "toxicity": (
        "kind: partner_drug_rules\ndrugs:\n  - drug: bortezomib\n    dose_levels:\n"
        "      values: ['1.3 mg/m²']\n      source: '[PUB] P18'\n      verification: verified\n",
        "drugs.0.dose_levels",
    ),
    "prices": (
        "drug: isatuximab\ncountry: FI\nsource: seed\nverification: verified\n",
        "top level",
    ),
    "reimbursement": (
        "drug: isatuximab\nsource: seed\nverification: verified\nnotes: []\n",
        "top level",
    ),
}


@pytest.mark.parametrize("kind", sorted(UNRECORDED))
def test_the_loader_refuses_a_verified_item_without_its_record(kind: str, tmp_path: Path) -> None:
    text, where = UNRECORDED[kind]
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(where)):
        shipped_document(path)
    path.write_text(text.replace("verification: verified", "verification: pending"), "utf-8")
    shipped_document(path)  # pending needs no record


def _with_record(text: str, record: str) -> str:
    """``text`` with ``record`` (lines at the verified item's indent) after its verification."""
    indent = text.split("verification: verified")[0].rsplit("\n", 1)[-1]
    lines = "".join(f"{indent}{line}\n" for line in record.splitlines())
    return text.replace("verification: verified\n", f"verification: verified\n{lines}")


@pytest.mark.parametrize("kind", sorted(UNRECORDED))
def test_a_checker_without_a_review_date_is_not_a_record(kind: str, tmp_path: Path) -> None:
    text, where = UNRECORDED[kind]
    path = tmp_path / f"{kind}.yaml"
    path.write_text(_with_record(text, RECORD), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(where)):
        shipped_document(path)
    path.write_text(_with_record(text, RECORD + "date_reviewed: not a date\n"), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(where)):
        shipped_document(path)
    path.write_text(_with_record(text, RECORD + REVIEWED), encoding="utf-8")
    shipped_document(path)  # both named: accepted


def _pomalidomide_record_removed(text: str) -> str:
    """The draft's YAML with the verification record of its pomalidomide component taken out."""
    document = yaml.safe_load(text)
    (pomalidomide,) = [c for c in document["components"] if c["drug"] == "pomalidomide"]
    assert pomalidomide.pop("checked_by") and pomalidomide.pop("date_reviewed")
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@pytest.mark.django_db
def test_the_workflow_refuses_a_verified_item_without_its_record(editor: User) -> None:
    """Isa-Pd's pomalidomide is verified ([PUB] P16a); without its record the draft cannot go
    to review, even though the version names its checker."""
    draft = draft_create("regimens", "isa-pd", user=editor)
    complete = document_yaml(draft)
    draft_edit(
        draft,
        user=editor,
        document_yaml=_pomalidomide_record_removed(complete),
        reason="Record removed",
    )
    with pytest.raises(GovernanceError) as caught:
        submit(draft, user=editor)
    assert [p for p in caught.value.problems if p.startswith("components.1:")]
    draft_edit(draft, user=editor, document_yaml=complete, reason="Record restored")
    submit(draft, user=editor)
