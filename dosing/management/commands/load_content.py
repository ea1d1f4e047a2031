"""Publish shipped regimens missing from the database (new files in content/regimens/)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dosing.content import content_load
from dosing.models import Drug, Regimen, RegimenVersion


class Command(BaseCommand):
    help = "Load shipped regimen content that the database does not have yet."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            added = content_load(
                drug_model=Drug,
                regimen_model=Regimen,
                version_model=RegimenVersion,
                now=timezone.now(),
            )
        self.stdout.write(f"{added} regimen(s) added.")
