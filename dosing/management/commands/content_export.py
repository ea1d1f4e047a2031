"""Export the published rule content (regimens and guidelines) as YAML files for review in git."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from dosing.governance import definition_yaml
from dosing.models import ContentStatus, RegimenVersion
from treatment.governance import guideline_yaml
from treatment.models import Guideline


class Command(BaseCommand):
    help = "Write every published regimen and guideline as YAML under the given folder."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        (folder / "regimens").mkdir(parents=True, exist_ok=True)
        (folder / "guidelines").mkdir(parents=True, exist_ok=True)
        count = 0
        for version in RegimenVersion.objects.filter(status=ContentStatus.PUBLISHED).select_related(
            "regimen"
        ):
            path = folder / "regimens" / f"{version.regimen.slug}.yaml"
            path.write_text(definition_yaml(version), encoding="utf-8")
            count += 1
        for guideline in Guideline.objects.filter(status=ContentStatus.PUBLISHED):
            path = folder / "guidelines" / f"{guideline.slug}.yaml"
            path.write_text(guideline_yaml(guideline), encoding="utf-8")
            count += 1
        self.stdout.write(f"{count} published item(s) written to {folder}.")
