"""Load the shipped content (content/) that the database lacks, for every kind, as drafts.

Run at start-up (``make run``). A fresh database gets version 1 of the shipped content published
by the data migrations; after that, a new or changed file lands as a draft, to be reviewed and
published by a second person like any other change.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from governance.kinds import kinds


class Command(BaseCommand):
    help = "Add shipped content the database does not have yet, as drafts."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for kind in kinds():
                added = kind.shipped_load()
                self.stdout.write(f"{added} {kind.label} draft(s) added.")
