"""Import a regimen or guideline YAML file as a new DRAFT — never published directly.

The draft then goes through review and a second person's approval on the content pages.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dosing.governance import GovernanceError, regimen_version_import
from treatment.governance import guideline_draft_create, guideline_draft_update


class Command(BaseCommand):
    help = (
        "Create a draft from a regimen or guideline YAML file (author: --user, a content editor)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Username of the content editor.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        data = yaml.safe_load(options["file"].read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise CommandError("The file does not hold a YAML mapping.")
        try:
            with transaction.atomic():
                if "recommendations" in data:
                    draft = guideline_draft_create(slug=str(data.get("slug")), user=user)
                    data |= {"version": draft.version, "author": draft.author}
                    data["checker"] = draft.checker or None
                    guideline_draft_update(
                        guideline=draft,
                        user=user,
                        document_yaml=yaml.safe_dump(data, allow_unicode=True),
                        reason=f"Imported from {options['file'].name}",
                    )
                    label = f"guideline {draft.slug} v{draft.version}"
                else:
                    version = regimen_version_import(data=data, user=user)
                    label = f"regimen {version.regimen.slug} v{version.number}"
        except GovernanceError as error:
            raise CommandError("; ".join([error.message, *error.problems])) from error
        self.stdout.write(f"Draft created: {label}. Review and publish it on /content/.")
