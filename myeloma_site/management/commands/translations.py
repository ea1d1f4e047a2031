"""``manage.py translations worklist|apply|review``: draft the clinician interface's translations
and keep the reviewer's list (docs/translation-review/) in step with the catalogues.

Steps (docs/development.md): ``makemessages``, ``translations worklist nl > nl.json`` (the
untranslated and fuzzy clinician msgids, each mapped to ""), fill in the msgstrs (a list of
forms for a plural entry), ``translations apply nl nl.json``, ``compilemessages``,
``translations review``. Development only: it needs polib from the dev extras.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Draft clinician-interface translations and write the reviewer's list."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["worklist", "apply", "review"])
        parser.add_argument("language", nargs="?", help="a language of settings.LANGUAGES")
        parser.add_argument("drafts", nargs="?", help="apply: JSON file msgid → msgstr")

    def handle(self, *args: Any, **options: Any) -> None:
        import polib

        from myeloma_site import translation_catalogue as tc

        base = Path(settings.BASE_DIR)
        languages = [code for code, _name in settings.LANGUAGES if code != "en"]
        if options["action"] == "review":
            counts = []
            folder = base / "docs" / "translation-review"
            folder.mkdir(exist_ok=True)
            for language in languages:
                catalogue = polib.pofile(str(tc.catalogue_path(base, language)))
                (folder / f"{language}.md").write_text(
                    tc.review_list(language, catalogue), encoding="utf-8"
                )
                entries = [e for e in catalogue if not e.obsolete]
                drafted = sum(tc.entry_status(e) == tc.MACHINE_DRAFTED for e in entries)
                counts.append((language, len(entries), drafted))
            (folder / "README.md").write_text(tc.review_index(counts), encoding="utf-8")
            return
        language = options["language"]
        if language not in languages:
            raise CommandError(f"language: one of {', '.join(languages)}")
        path = tc.catalogue_path(base, language)
        catalogue = polib.pofile(str(path))
        if options["action"] == "worklist":
            worklist = {entry.msgid: "" for entry in tc.clinician_worklist(catalogue)}
            self.stdout.write(json.dumps(worklist, ensure_ascii=False, indent=1))
            return
        if not options["drafts"]:
            raise CommandError("apply needs the JSON file of drafts")
        drafts = json.loads(Path(options["drafts"]).read_text(encoding="utf-8"))
        written = tc.apply_drafts(catalogue, drafts)
        catalogue.save(str(path))
        self.stdout.write(f"{language}: {written} entries drafted")
