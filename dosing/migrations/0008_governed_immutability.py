"""Published and retired regimen versions refuse INSERT, UPDATE and DELETE (governance.triggers).

Replaces the UPDATE-only triggers of migration 0004, which left verification_note, author,
checker, approver and reason editable and deletion open.
"""

from __future__ import annotations

from django.db import migrations

from governance.triggers import drop_triggers, install_version_triggers

OLD = {
    "sqlite": ["DROP TRIGGER IF EXISTS dosing_regimenversion_immutable_update"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS dosing_regimenversion_immutable ON dosing_regimenversion",
        "DROP FUNCTION IF EXISTS dosing_regimenversion_immutable()",
    ],
}


def install(apps, schema_editor):
    for statement in OLD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    install_version_triggers(schema_editor, table="dosing_regimenversion", lineage=("regimen_id",))


def uninstall(apps, schema_editor):
    drop_triggers(schema_editor, table="dosing_regimenversion")


class Migration(migrations.Migration):
    dependencies = [("dosing", "0007_plan_team_from_creator"), ("governance", "0001_purge_permit")]

    operations = [migrations.RunPython(install, uninstall)]
