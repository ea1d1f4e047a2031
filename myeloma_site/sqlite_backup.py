"""SQLite backup and restore through SQLite's online backup API (``sqlite3.Connection.backup``).

The app runs SQLite in WAL mode: committed pages can live in the ``-wal`` file beside the
database until a checkpoint. Copying files around gets this wrong (a stale ``-wal`` is replayed
onto a restored copy); the backup API reads and writes through SQLite, which takes the locks,
recovers a ``-wal`` left by a crash, and replaces every page of the target.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


class InvalidBackup(Exception):
    """The file is missing, not an SQLite database, or fails SQLite's integrity check."""


def integrity_problems(connection: sqlite3.Connection) -> list[str]:
    """``PRAGMA integrity_check``: an empty list when the database is sound."""
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def _open_checked(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise InvalidBackup(f"{path}: no such file.")
    connection = sqlite3.connect(path)
    try:
        problems = integrity_problems(connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise InvalidBackup(f"{path} is not a valid SQLite database: {error}.") from error
    if problems:
        connection.close()
        summary = "; ".join(problems[:5])
        raise InvalidBackup(f"{path} is not a valid SQLite database: {summary}.")
    return connection


def sqlite_backup(*, live: Path, backup: Path) -> None:
    """Copy the live database into a new file ``backup`` (the app may keep running)."""
    with closing(sqlite3.connect(live)) as source, closing(sqlite3.connect(backup)) as target:
        source.backup(target)
    _open_checked(backup).close()


def sqlite_restore(*, backup: Path, live: Path) -> None:
    """Replace every page of the live database with the backup's, after checking the backup.

    Opening the live database first lets SQLite recover a ``-wal`` left by a crash; leaving WAL
    mode then writes it into the main file and removes it, so no stale ``-wal`` can be replayed
    onto the restored pages, which go through SQLite's own journal.
    """
    with (
        closing(_open_checked(backup)) as source,
        closing(sqlite3.connect(live, timeout=20)) as target,
    ):
        try:
            # Leaving WAL mode checkpoints the recovered -wal into the main file and removes it
            # (possible with the app stopped); the backup may then also bring another page size.
            target.execute("PRAGMA journal_mode=DELETE")
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as error:
            raise InvalidBackup(
                f"Could not restore into {live}: {error}. Stop the app and try again."
            ) from error
        problems = integrity_problems(target)
    if problems:
        raise InvalidBackup(f"{live} failed the integrity check after the restore: {problems[:5]}")


class NotSQLite(Exception):
    """The configured database is not an SQLite file (PostgreSQL has its own tools)."""


def sqlite_database_path(alias: str, *, postgresql_tool: str) -> Path:
    """The file of the database ``alias``; refused for other databases or an in-memory one."""
    from django.db import connections

    connection = connections[alias]
    if connection.vendor != "sqlite":
        raise NotSQLite(
            f"The database {alias!r} is {connection.display_name}, not SQLite: "
            f"use {postgresql_tool} (see docs/operations.md, “Backup and restore”)."
        )
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise NotSQLite(f"The database {alias!r} is not an SQLite file: {name!r}.")
    return Path(name)
