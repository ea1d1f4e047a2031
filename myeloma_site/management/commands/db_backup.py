"""Back up the live SQLite database into a new file, while the app runs."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from myeloma_site.sqlite_backup import (
    InvalidBackup,
    NotSQLite,
    sqlite_backup,
    sqlite_database_path,
)


class Command(BaseCommand):
    help = (
        "Copy the live SQLite database into a new file with SQLite's online backup API "
        "(consistent while the app runs). PostgreSQL: use pg_dump."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("backup", type=Path, help="The new backup file (must not exist).")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        backup: Path = options["backup"]
        try:
            live = sqlite_database_path(options["database"], postgresql_tool="pg_dump -Fc")
        except NotSQLite as error:
            raise CommandError(str(error)) from error
        if backup.exists():
            raise CommandError(f"{backup} exists already; choose a new file name.")
        try:
            sqlite_backup(live=live, backup=backup)
        except InvalidBackup as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up {live} to {backup} (integrity check ok).")
