"""Empty the database and load a backup made with dumpdata (README, "Backup and restore").

Published content is immutable in the database (governance.triggers): emptying it and loading
retired versions and the recommendations of published guidelines needs the purge permit, which
this command holds only while it runs ``flush`` and ``loaddata``.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from governance.triggers import purge_permit


class Command(BaseCommand):
    help = "Empty the database (flush) and load the given backup file (loaddata)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        with purge_permit():
            call_command("flush", interactive=False, verbosity=verbosity)
            call_command("loaddata", str(options["file"]), verbosity=verbosity)
