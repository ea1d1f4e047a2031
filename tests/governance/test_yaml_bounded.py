"""Content YAML is parsed safely and boundedly: no aliases, a size and a depth limit, and errors
that never echo the document's values — on the edit page (no 500) and in content_import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from governance.models import ContentStatus
from governance.yaml_safe import MAX_BYTES, ContentYamlError, yaml_dump, yaml_load_bounded
from tests.governance.workflow import draft_create

ECHO_MARKER = "a-value-that-must-not-be-echoed"
BILLION_LAUGHS = (
    f'a: &a ["{ECHO_MARKER}", "{ECHO_MARKER}"]\n'
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)
DEEP_FLOW = "slug: " + "[" * 1000 + "]" * 1000 + "\n"
DEEP_BLOCK = "".join(" " * level + f"k{level}:\n" for level in range(300)) + " " * 300 + "x\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BILLION_LAUGHS, "anchors and aliases"),
        (DEEP_FLOW, "nested more than"),
        (DEEP_BLOCK, "nested more than"),
        ("a: " + "x" * (MAX_BYTES + 1), "larger than"),
        (f"a: '{ECHO_MARKER}\n", "Not valid YAML"),
        (f"a: [{ECHO_MARKER}, {{b: 1]\n", "Not valid YAML"),
    ],
)
def test_refused_with_a_clear_message_that_echoes_no_value(text: str, expected: str) -> None:
    with pytest.raises(ContentYamlError) as caught:
        yaml_load_bounded(text)
    assert expected in str(caught.value)
    assert ECHO_MARKER not in str(caught.value)
    assert "line" in str(caught.value) or "larger" in str(caught.value)


def test_ordinary_content_round_trips_even_with_shared_values() -> None:
    shared = ["a note"]
    document = {"slug": "x", "notes": shared, "more": shared, "nested": {"a": [1, {"b": 2}]}}
    assert yaml_load_bounded(yaml_dump(document)) == document


@pytest.mark.django_db
@pytest.mark.parametrize("text", [DEEP_FLOW, DEEP_BLOCK, BILLION_LAUGHS])
def test_the_edit_page_answers_a_hostile_document_with_an_error_not_a_500(
    client: Client, editor: User, text: str
) -> None:
    draft = draft_create("regimens", "isa-pd", user=editor)
    client.force_login(editor)
    url = reverse("content:version", kwargs={"kind": "regimens", "pk": draft.pk})
    response = client.post(url, {"action": "save", "document": text, "reason": "hostile"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The content is not valid YAML." in page
    draft.refresh_from_db()
    assert draft.status == ContentStatus.DRAFT
    assert draft.definition["slug"] == "isa-pd"


@pytest.mark.django_db
def test_content_import_refuses_deep_nesting(tmp_path: Path, editor: User) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(DEEP_FLOW, encoding="utf-8")
    with pytest.raises(CommandError, match="nested more than"):
        call_command("content_import", path, user=editor.username)
