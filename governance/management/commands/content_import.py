"""Import a content YAML file (a regimen, a guideline, …) as a new DRAFT — never published.

The draft then goes through review and a second person's approval on the content pages.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from governance.actions import CreateDraft, EditDraft, GovernanceError
from governance.kinds import kinds
from governance.yaml_safe import ContentYamlError, yaml_dump, yaml_load_bounded


class Command(BaseCommand):
    help = "Create a draft from a content YAML file (author: --user, a content editor)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Username of the content editor.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        path: Path = options["file"]
        try:
            document = yaml_load_bounded(path.read_text(encoding="utf-8"))
        except ContentYamlError as error:
            raise CommandError(str(error)) from None
        if not isinstance(document, dict):
            raise CommandError("The file does not hold a YAML mapping.")
        kind = next((k for k in kinds() if k.recognises(document)), None)
        if kind is None:
            raise CommandError("The file is not of any known kind of content.")
        try:
            with transaction.atomic():
                draft = CreateDraft(kind, str(document.get("slug")), user=user).execute()
                EditDraft(
                    draft,
                    user=user,
                    document_yaml=yaml_dump(kind.document_for_draft(draft, document)),
                    reason=f"Imported from {path.name}",
                ).execute()
        except GovernanceError as error:
            raise CommandError("; ".join([error.message, *error.problems])) from error
        label = f"{kind.label} {kind.lineage_key(draft)} v{kind.number(draft)}"
        self.stdout.write(f"Draft created: {label}. Review and publish it on /content/.")
