# ruff: noqa: S608 - table and column names come from migrations, never from input.
"""Database triggers that keep published and retired content immutable (SQLite and PostgreSQL).

Whatever writes — the workflow, the admin, a shell, raw SQL — the database refuses:
- on a version table: any UPDATE of a published or retired row other than retiring a published
  one (status alone, every other column unchanged), publishing anything not in review, retiring
  anything not published, DELETE of a published or retired row, and INSERT of a published or
  retired row into a lineage that already has versions (only a lineage's first shipped version
  is inserted published, by the loader);
- on a child table (e.g. the recommendations of a guideline): INSERT, UPDATE and DELETE of any
  row whose parent version (before or after the change) is published or retired.

The one exception is ``governance_purge_permit``, a table outside Django's models that only
``purge_permit()`` fills while the whole database is emptied and reloaded: the ``restore_backup``
command (flush + loaddata) and the test harness's flush. While it holds a row, DELETE and INSERT
are allowed (a restore inserts retired versions and the recommendations of published guidelines);
an UPDATE never is. Anyone who can write the table can also drop a trigger, so it opens nothing
new. (On PostgreSQL flush truncates, which fires no row trigger.)

On SQLite a trigger names its columns: the UPDATE trigger lists the table's columns as they are
when it is installed. A migration that changes a governed table (or the parent of a child table)
therefore runs ``drop_triggers`` first — SQLite cannot rebuild a table while a trigger names
it — and the ``install_*`` functions after. PostgreSQL compares the whole row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

LOCKED = "('published', 'retired')"
PERMIT_TABLE = "governance_purge_permit"
NO_PERMIT = f"NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE})"


def _sqlite_columns(schema_editor: Any, table: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        description = schema_editor.connection.introspection.get_table_description(cursor, table)
    return [column.name for column in description]


def _names(table: str) -> dict[str, str]:
    return {verb: f"{table}_governed_{verb}" for verb in ("insert", "update", "delete")}


def _same_lineage(lineage: tuple[str, ...]) -> str:
    return " AND ".join(f"other.{column} = NEW.{column}" for column in lineage)


def _status_moves_wrongly(old: str = "OLD", new: str = "NEW") -> str:
    """Only in review → published and published → retired enter the locked states."""
    return (
        f"({new}.status = 'published' AND {old}.status NOT IN ('published', 'in_review'))"
        f" OR ({new}.status = 'retired' AND {old}.status NOT IN ('retired', 'published'))"
    )


def _sqlite_version(schema_editor: Any, table: str, lineage: tuple[str, ...]) -> list[str]:
    names = _names(table)
    changed = " OR ".join(
        f"NEW.{column} IS NOT OLD.{column}"
        for column in _sqlite_columns(schema_editor, table)
        if column != "status"
    )
    message = f"{table}: published and retired content is immutable"
    return [
        f"""
        CREATE TRIGGER {names["insert"]} BEFORE INSERT ON {table}
        WHEN NEW.status IN {LOCKED} AND {NO_PERMIT}
             AND EXISTS (SELECT 1 FROM {table} other WHERE {_same_lineage(lineage)})
        BEGIN SELECT RAISE(ABORT, '{message}'); END
        """,
        f"""
        CREATE TRIGGER {names["update"]} BEFORE UPDATE ON {table}
        WHEN (OLD.status IN {LOCKED} AND (
                 {changed}
                 OR NOT (NEW.status = OLD.status
                         OR (OLD.status = 'published' AND NEW.status = 'retired'))))
             OR {_status_moves_wrongly()}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
        """,
        f"""
        CREATE TRIGGER {names["delete"]} BEFORE DELETE ON {table}
        WHEN OLD.status IN {LOCKED} AND {NO_PERMIT}
        BEGIN SELECT RAISE(ABORT, '{message}; retire it instead'); END
        """,
    ]


def _sqlite_child(table: str, parent: str, parent_column: str) -> list[str]:
    names = _names(table)

    def locked(row: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {row}.{parent_column}"
            f" AND p.status IN {LOCKED})"
        )

    message = f"{table}: rows of published and retired content are immutable"
    return [
        f"""
        CREATE TRIGGER {names["insert"]} BEFORE INSERT ON {table}
        WHEN {locked("NEW")} AND {NO_PERMIT}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
        """,
        f"""
        CREATE TRIGGER {names["update"]} BEFORE UPDATE ON {table}
        WHEN {locked("OLD")} OR {locked("NEW")}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
        """,
        f"""
        CREATE TRIGGER {names["delete"]} BEFORE DELETE ON {table}
        WHEN {locked("OLD")} AND {NO_PERMIT}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
        """,
    ]


def _postgres_version(table: str, lineage: tuple[str, ...]) -> list[str]:
    function = f"{table}_governed"
    message = f"{table}: published and retired content is immutable"
    same_lineage = _same_lineage(lineage)
    return [
        f"""
        CREATE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF NEW.status IN {LOCKED} AND {NO_PERMIT}
                   AND EXISTS (SELECT 1 FROM {table} other WHERE {same_lineage}) THEN
                    RAISE EXCEPTION '{message}';
                END IF;
                RETURN NEW;
            ELSIF TG_OP = 'DELETE' THEN
                IF OLD.status IN {LOCKED} AND {NO_PERMIT} THEN
                    RAISE EXCEPTION '{message}; retire it instead';
                END IF;
                RETURN OLD;
            END IF;
            IF (OLD.status IN {LOCKED}
                AND ((to_jsonb(NEW) - 'status') IS DISTINCT FROM (to_jsonb(OLD) - 'status')
                     OR NOT (NEW.status = OLD.status
                             OR (OLD.status = 'published' AND NEW.status = 'retired'))))
               OR {_status_moves_wrongly()} THEN
                RAISE EXCEPTION '{message}';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}()
        """,
    ]


def _postgres_child(table: str, parent: str, parent_column: str) -> list[str]:
    function = f"{table}_governed"
    message = f"{table}: rows of published and retired content are immutable"
    return [
        f"""
        CREATE FUNCTION {function}() RETURNS trigger AS $$
        DECLARE
            old_parent bigint := NULL;
            new_parent bigint := NULL;
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN old_parent := OLD.{parent_column}; END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN new_parent := NEW.{parent_column}; END IF;
            IF EXISTS (SELECT 1 FROM {parent} p
                       WHERE p.id IN (old_parent, new_parent) AND p.status IN {LOCKED})
               AND (TG_OP = 'UPDATE' OR {NO_PERMIT}) THEN
                RAISE EXCEPTION '{message}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}()
        """,
    ]


def _drop(schema_editor: Any, table: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_governed ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_governed()")
    else:
        for name in _names(table).values():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_version_triggers(schema_editor: Any, *, table: str, lineage: tuple[str, ...]) -> None:
    """(Re)install the triggers of a version table; ``lineage`` names the lineage columns."""
    _drop(schema_editor, table)
    if schema_editor.connection.vendor == "postgresql":
        statements = _postgres_version(table, lineage)
    else:
        statements = _sqlite_version(schema_editor, table, lineage)
    for statement in statements:
        schema_editor.execute(statement)


def install_child_triggers(
    schema_editor: Any, *, table: str, parent: str, parent_column: str
) -> None:
    """(Re)install the triggers of a child table whose rows belong to a version."""
    _drop(schema_editor, table)
    if schema_editor.connection.vendor == "postgresql":
        statements = _postgres_child(table, parent, parent_column)
    else:
        statements = _sqlite_child(table, parent, parent_column)
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(schema_editor: Any, *, table: str) -> None:
    _drop(schema_editor, table)


def purge_permit_grant() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PERMIT_TABLE}")
        cursor.execute(f"INSERT INTO {PERMIT_TABLE} (id) VALUES (1)")


def purge_permit_revoke() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PERMIT_TABLE}")


@contextmanager
def purge_permit() -> Iterator[None]:
    """Allow emptying and reloading the whole database (restore_backup, the test flush)."""
    purge_permit_grant()
    try:
        yield
    finally:
        purge_permit_revoke()
