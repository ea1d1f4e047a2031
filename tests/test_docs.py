"""The repository explains itself: README.md and docs/ link only to files inside it.

A user has the repository and nothing else, so no text may send them to the project's shared
working folder beside the checkout, and every relative link (and its #anchor) must resolve.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
# Built from parts, so this file does not mention the paths itself.
SHARED = "shared"
FORBIDDEN = (f"../{SHARED}", f"{SHARED}/docs/", f"{SHARED}/sources/")
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "var",
    "build",
    "node_modules",
    "vendor",
    "__pycache__",
    ".mypy_cache",
}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".yaml", ".yml", ".toml", ".po", ".css", ".js"}
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _text_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        if SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES or path.name == "Makefile" or path.parent.name == ".ci":
            files.append(path)
    return files


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for heading in re.findall(r"^#+\s+(.+?)\s*$", markdown, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
        anchors.add(slug.replace(" ", "-"))
    return anchors


def test_the_docs_exist() -> None:
    names = {path.name for path in DOCS}
    assert {
        "README.md",
        "architecture.md",
        "api.md",
        "content-governance.md",
        "operations.md",
    } <= names


@pytest.mark.parametrize("path", _text_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_refers_to_files_outside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for forbidden in FORBIDDEN:
        assert forbidden not in text, f"{path.relative_to(ROOT)} mentions {forbidden!r}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(doc: Path) -> None:
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):  # http(s), mailto: none are needed, none are checked
            continue
        file_part, _, anchor = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        assert linked.is_relative_to(ROOT), f"{doc.name}: {target} leaves the repository"
        assert linked.is_file(), f"{doc.name}: {target} does not exist"
        if anchor:
            anchors = _anchors(linked.read_text(encoding="utf-8"))
            assert anchor in anchors, f"{doc.name}: no heading for #{anchor} in {linked.name}"


def test_the_readme_sets_up_with_exactly_make_run_then_make_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^make \w+", readme, flags=re.MULTILINE)
    assert commands == ["make run", "make test"]


def test_the_first_staff_account_roles_and_teams_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for text in (readme, operations):
        assert ".venv/bin/python manage.py createsuperuser" in text
        assert "Groups" in text
        assert "Team" in text
    assert "users-roles-and-teams" in _anchors(operations)
