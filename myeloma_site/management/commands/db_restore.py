"""Restore a backup into the live SQLite database safely, also after a crash."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from myeloma_site.sqlite_backup import (
    InvalidBackup,
    NotSQLite,
    sqlite_database_path,
    sqlite_restore,
)


class Command(BaseCommand):
    help = (
        "Replace the live SQLite database with a backup through SQLite's backup API: the backup "
        "must pass PRAGMA integrity_check first, and a -wal file left by a crash is never "
        "replayed onto the restored data. Stop the app first. PostgreSQL: use pg_restore."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file (from db_backup).")
        parser.add_argument("--database", default="default", help="The database alias.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backup: Path = options["backup"]
        try:
            live = sqlite_database_path(options["database"], postgresql_tool="pg_restore")
        except NotSQLite as error:
            raise CommandError(str(error)) from error
        if options["interactive"]:
            answer = input(
                f"Replace everything in {live} with {backup}? Stop the app first. "
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            sqlite_restore(backup=backup, live=live)
        except InvalidBackup as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {backup} into {live} (integrity check ok).")
