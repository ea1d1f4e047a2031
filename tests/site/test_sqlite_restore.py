"""SQLite backup and restore survive a crash: ``db_restore`` never replays a stale ``-wal`` file.

After a crash the live database has a ``-wal`` file with committed pages not yet copied into the
main file. Copying a backup over the main file leaves that ``-wal`` in place, and SQLite replays
it onto the restored copy. ``manage.py db_restore`` writes the backup through SQLite's online
backup API instead, so SQLite itself recovers the ``-wal`` first and then replaces every page.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A process that writes in WAL mode and dies without closing its connection: its committed
# rows stay in the -wal file only (no checkpoint), as after a power cut or a killed worker.
CRASHING_WRITER = """
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA wal_autocheckpoint=0")
db.execute("BEGIN")
db.executemany("INSERT INTO note(text) VALUES (?)", [(f"after crash {i}",) for i in range(300)])
db.execute("UPDATE note SET text = 'overwritten' WHERE text LIKE 'backed up%'")
db.execute("COMMIT")
os._exit(0)
"""


def _rows(path: Path) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT id, text FROM note ORDER BY id").fetchall()


def _integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return ", ".join(row[0] for row in db.execute("PRAGMA integrity_check"))


def _manage(*args: str, database: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = database
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def crashed(tmp_path: Path) -> tuple[Path, Path, list[tuple[int, str]]]:
    """A live WAL database after a crash, and a backup taken with ``db_backup`` before it."""
    live = tmp_path / "live" / "db.sqlite3"
    live.parent.mkdir()
    with closing(sqlite3.connect(live, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        db.executemany(
            "INSERT INTO note(text) VALUES (?)", [(f"backed up {i}",) for i in range(200)]
        )
    backup = tmp_path / "backup.sqlite3"
    made = _manage("db_backup", str(backup), database=f"sqlite:///{live}")
    assert made.returncode == 0, made.stdout + made.stderr
    backed_up = _rows(backup)
    assert len(backed_up) == 200
    # Later work that reached the main file (checkpointed) …
    with closing(sqlite3.connect(live, isolation_level=None)) as db:
        db.execute("DELETE FROM note WHERE id % 2 = 0")
        db.executemany("INSERT INTO note(text) VALUES (?)", [(f"later {i}",) for i in range(100)])
    with closing(sqlite3.connect(live, isolation_level=None)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # … then committed work that is only in the -wal file when the process dies.
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(live)], check=True, timeout=60)
    wal = live.with_name("db.sqlite3-wal")
    assert wal.exists()
    assert wal.stat().st_size > 0
    return live, backup, backed_up


def test_copying_the_backup_over_a_crashed_database_gives_wrong_data(
    crashed: tuple[Path, Path, list[tuple[int, str]]],
) -> None:
    """The old README route (``cp backup.sqlite3 var/db.sqlite3``): the stale -wal is replayed."""
    live, backup, backed_up = crashed
    shutil.copyfile(backup, live)
    try:
        wrong = _rows(live) != backed_up or _integrity(live) != "ok"
    except sqlite3.DatabaseError:
        wrong = True  # "database disk image is malformed"
    assert wrong


def test_db_restore_gives_exactly_the_backup_after_a_crash(
    crashed: tuple[Path, Path, list[tuple[int, str]]],
) -> None:
    live, backup, backed_up = crashed
    result = _manage("db_restore", str(backup), "--no-input", database=f"sqlite:///{live}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _rows(live) == backed_up
    assert _integrity(live) == "ok"
    # Reopened again (a fresh process, any leftover -wal replayed): still the backup.
    assert _rows(live) == backed_up


def test_db_restore_refuses_a_file_that_is_not_a_valid_database(tmp_path: Path) -> None:
    live = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(live, isolation_level=None)) as db:
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        db.execute("INSERT INTO note(text) VALUES ('kept')")
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database" * 100)
    result = _manage("db_restore", str(bogus), "--no-input", database=f"sqlite:///{live}")
    assert result.returncode != 0
    assert "not a valid SQLite database" in result.stderr
    assert _rows(live) == [(1, "kept")]


def test_db_restore_refuses_a_missing_backup(tmp_path: Path) -> None:
    live = tmp_path / "db.sqlite3"
    result = _manage(
        "db_restore", str(tmp_path / "nope.sqlite3"), "--no-input", database=f"sqlite:///{live}"
    )
    assert result.returncode != 0
    assert "nope.sqlite3" in result.stderr


@pytest.mark.parametrize("command", ["db_backup", "db_restore"])
def test_postgresql_is_refused_with_the_postgresql_tools(tmp_path: Path, command: str) -> None:
    backup = tmp_path / "backup.sqlite3"
    args = [str(backup)]
    if command == "db_restore":
        sqlite3.connect(backup).close()
        args.append("--no-input")
    result = _manage(command, *args, database="postgres://u:p@127.0.0.1:1/myeloma")
    assert result.returncode != 0
    assert ("pg_restore" if command == "db_restore" else "pg_dump") in result.stderr


def test_db_restore_takes_a_backup_with_another_page_size(tmp_path: Path) -> None:
    """WAL mode refuses a backup with another page size unless the restore leaves WAL first."""
    live = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(live, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        db.execute("INSERT INTO note(text) VALUES ('live')")
    backup = tmp_path / "backup.sqlite3"
    with closing(sqlite3.connect(backup, isolation_level=None)) as db:
        db.execute("PRAGMA page_size=8192")
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        db.execute("INSERT INTO note(text) VALUES ('from the backup')")
    result = _manage("db_restore", str(backup), "--no-input", database=f"sqlite:///{live}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _rows(live) == [(1, "from the backup")]
    assert _integrity(live) == "ok"


def test_db_restore_refuses_while_the_app_holds_the_database(tmp_path: Path) -> None:
    live = tmp_path / "db.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    for path, text in ((live, "live"), (backup, "from the backup")):
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
            db.execute("INSERT INTO note(text) VALUES (?)", (text,))
    with closing(sqlite3.connect(live)) as app:
        app.execute("SELECT * FROM note").fetchall()
        result = _manage("db_restore", str(backup), "--no-input", database=f"sqlite:///{live}")
    assert result.returncode != 0
    assert "Stop the app" in result.stderr
    assert _rows(live) == [(1, "live")]
