"""Export the published rule content of every kind as YAML files for review in git."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from governance.actions import version_document_yaml
from governance.kinds import kinds
from governance.models import ContentStatus


class Command(BaseCommand):
    help = "Write every published version of every kind of content under <folder>/<kind>/."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        count = 0
        for kind in kinds():
            (folder / kind.name).mkdir(parents=True, exist_ok=True)
            for version in kind.model._default_manager.filter(status=ContentStatus.PUBLISHED):
                path = folder / kind.name / f"{kind.lineage_key(version)}.yaml"
                path.write_text(version_document_yaml(version), encoding="utf-8")
                count += 1
        self.stdout.write(f"{count} published item(s) written to {folder}.")
