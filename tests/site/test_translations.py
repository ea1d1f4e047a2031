"""The clinician interface in every language: nothing untranslated, drafts marked and listed.

The catalogues are regenerated from today's source in a copy of the repository (makemessages
merges the committed translations with every msgid the templates and apps use), so a string
added without a translation fails here. Patient calendar strings have their own review status
(content/translations.yaml) and are not drafted here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.urls import reverse

from myeloma_site import translation_catalogue as tc

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
BASE = Path(settings.BASE_DIR)
NOT_SOURCE = {".git", "var", "static", "docs", "tests", "benchmarks", "node_modules", ".venv"}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, polib.POFile]:
    copy = tmp_path_factory.mktemp("repo")
    for item in BASE.iterdir():
        if item.name in NOT_SOURCE or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, copy / item.name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-a", "--no-obsolete", "-i", "var/*"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return {
        language: polib.pofile(str(tc.catalogue_path(copy, language))) for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_clinician_string_in_use_is_translated(
    language: str, regenerated: dict[str, polib.POFile]
) -> None:
    missing = [entry.msgid for entry in tc.clinician_worklist(regenerated[language])]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_is_current(
    language: str, regenerated: dict[str, polib.POFile]
) -> None:
    """The committed .po holds exactly the msgids in use (makemessages was run)."""
    committed = polib.pofile(str(tc.catalogue_path(BASE, language)))
    assert {e.msgid for e in committed if not e.obsolete} == {
        e.msgid for e in regenerated[language] if not e.obsolete
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_review_list_matches_the_catalogue(language: str) -> None:
    catalogue = polib.pofile(str(tc.catalogue_path(BASE, language)))
    listed = (BASE / "docs" / "translation-review" / f"{language}.md").read_text(encoding="utf-8")
    assert listed == tc.review_list(language, catalogue), "run: manage.py translations review"
    assert f"| {tc.MACHINE_DRAFTED} |" in listed


@pytest.mark.parametrize("language", LANGUAGES)
def test_drafted_languages_are_marked_unreviewed(language: str) -> None:
    """A catalogue with machine-drafted clinician entries is never declared reviewed."""
    catalogue = polib.pofile(str(tc.catalogue_path(BASE, language)))
    drafted = any(tc.entry_status(e) == tc.MACHINE_DRAFTED for e in catalogue)
    data = yaml.safe_load((BASE / "content" / "translations.yaml").read_text(encoding="utf-8"))
    status = data["clinician_interface"][language]["review_status"]
    assert drafted == (status != "reviewed")


def test_apply_drafts_marks_them_and_never_touches_patient_strings() -> None:
    catalogue = polib.POFile()
    catalogue.metadata = {"Plural-Forms": "nplurals=2; plural=(n != 1);"}
    clinician = polib.POEntry(msgid="Dose", occurrences=[("templates/dosing/x.html", "1")])
    patient = polib.POEntry(
        msgid="Treatment day", occurrences=[("templates/dosing/calendar_pdf.html", "9")]
    )
    plural = polib.POEntry(
        msgid="%(n)s day",
        msgid_plural="%(n)s days",
        msgstr_plural={0: "", 1: ""},
        occurrences=[("dosing/views.py", "3")],
    )
    for entry in (clinician, patient, plural):
        catalogue.append(entry)
    drafts: dict[str, str | list[str]] = {
        "Dose": "Dosis",
        "Treatment day": "Behandeldag",
        "%(n)s day": ["%(n)s dag", "%(n)s dagen"],
    }
    assert tc.apply_drafts(catalogue, drafts) == 2
    assert clinician.msgstr == "Dosis" and clinician.tcomment == tc.MACHINE_DRAFTED
    assert plural.msgstr_plural == {0: "%(n)s dag", 1: "%(n)s dagen"}
    assert patient.msgstr == "" and tc.entry_status(patient) == "patient calendar, untranslated"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "note"), [("nl", "Vertaling nog niet gecontroleerd")])
def test_footer_says_the_translation_is_not_yet_reviewed(
    language: str, note: str, client: Client
) -> None:
    client.cookies["django_language"] = language
    page = client.get(reverse("login")).content.decode()
    assert note in page and "(Translation not yet reviewed)" in page
    assert "Inloggen" in page


@pytest.mark.django_db
def test_no_review_note_in_english(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert 'data-testid="translation-unreviewed"' not in page
