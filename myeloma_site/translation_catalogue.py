"""The clinician interface's translation catalogues and their review list (a development tool).

Every entry of ``locale/<lang>/LC_MESSAGES/django.po`` is either patient-facing (the calendar
PDF and .ics: reviewed per content/translations.yaml, never drafted here) or clinician-facing.
A machine-drafted clinician entry carries the translator comment ``MACHINE_DRAFTED`` until a
native clinical reviewer checks it and deletes the comment. ``review_list`` writes, per language,
the one list that reviewer works through (docs/translation-review/<lang>.md).
Needs polib (dev extras); the running site never imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import polib

MACHINE_DRAFTED = "machine-drafted, not yet reviewed"
PATIENT_FILES = frozenset(
    {
        "templates/dosing/calendar_pdf.html",
        "dosing/calendar_pdf.py",
        "dosing/calendar_ics.py",
        "followup/calendar_lines.py",
    }
)
LANGUAGE_NAMES = {
    "nl": "Dutch",
    "fr": "French",
    "da": "Danish",
    "nb": "Norwegian Bokmål",
    "sv": "Swedish",
    "fi": "Finnish",
}


def catalogue_path(base_dir: Path, language: str) -> Path:
    return base_dir / "locale" / language / "LC_MESSAGES" / "django.po"


def is_patient_facing(entry: polib.POEntry) -> bool:
    return any(path in PATIENT_FILES for path, _line in entry.occurrences)


def _untranslated(entry: polib.POEntry) -> bool:
    return not entry.translated() or "fuzzy" in entry.flags


def clinician_worklist(catalogue: polib.POFile) -> list[polib.POEntry]:
    """The clinician entries still to translate: untranslated or fuzzy."""
    return [
        entry
        for entry in catalogue
        if not entry.obsolete and not is_patient_facing(entry) and _untranslated(entry)
    ]


def apply_drafts(catalogue: polib.POFile, drafts: Mapping[str, str | list[str]]) -> int:
    """Write drafted msgstrs (a list of plural forms for a plural entry), mark each one machine
    drafted and clear its fuzzy flag. Patient-facing entries are never touched."""
    written = 0
    for entry in clinician_worklist(catalogue):
        draft = drafts.get(entry.msgid)
        if not draft:
            continue
        if entry.msgid_plural:
            forms = [draft] if isinstance(draft, str) else draft
            nplurals = int(catalogue.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
            entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(nplurals)}
        else:
            entry.msgstr = draft if isinstance(draft, str) else draft[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        if MACHINE_DRAFTED not in entry.tcomment:
            entry.tcomment = MACHINE_DRAFTED
        written += 1
    return written


def entry_status(entry: polib.POEntry) -> str:
    if is_patient_facing(entry):
        if _untranslated(entry):
            return "patient calendar, untranslated"
        return "patient calendar (content/translations.yaml)"
    if _untranslated(entry):
        return "untranslated"
    return MACHINE_DRAFTED if MACHINE_DRAFTED in entry.tcomment else "reviewed"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>") or "—"


def _translation(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return " / ".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def review_list(language: str, catalogue: polib.POFile) -> str:
    """The reviewer's list for one language: every entry, where it is used and its status."""
    entries = [entry for entry in catalogue if not entry.obsolete]
    drafted = [e for e in entries if entry_status(e) == MACHINE_DRAFTED]
    lines = [
        f"# Translation review: {LANGUAGE_NAMES.get(language, language)} ({language})",
        "",
        f"Generated from `locale/{language}/LC_MESSAGES/django.po` by",
        "`manage.py translations review`; do not edit it by hand. A native clinical reviewer",
        f"checks each entry marked *{MACHINE_DRAFTED}*, corrects its msgstr in the catalogue,",
        f'deletes its translator comment "# {MACHINE_DRAFTED}" and generates this list again.',
        "Patient calendar entries have their own review status (content/translations.yaml).",
        "",
        f"{len(entries)} entries; {len(drafted)} {MACHINE_DRAFTED}.",
        "",
        "| # | English | Translation | Where used | Status |",
        "|---|---|---|---|---|",
    ]
    for number, entry in enumerate(entries, start=1):
        english = entry.msgid + (f" / {entry.msgid_plural}" if entry.msgid_plural else "")
        where = ", ".join(sorted({path for path, _line in entry.occurrences}))
        lines.append(
            f"| {number} | {_cell(english)} | {_cell(_translation(entry))} | {_cell(where)} "
            f"| {entry_status(entry)} |"
        )
    return "\n".join(lines) + "\n"


def review_index(counts: Iterable[tuple[str, int, int]]) -> str:
    lines = [
        "# Translation review",
        "",
        "The clinician interface in each language: machine-drafted, not yet reviewed by a native",
        "clinical speaker until its list says otherwise. One list per language, generated from the",
        "catalogues by `manage.py translations review` (docs/development.md):",
        "",
        "| Language | Entries | Machine-drafted, not yet reviewed |",
        "|---|---|---|",
    ]
    for language, total, drafted in counts:
        name = LANGUAGE_NAMES.get(language, language)
        lines.append(f"| [{name}]({language}.md) | {total} | {drafted} |")
    return "\n".join(lines) + "\n"
