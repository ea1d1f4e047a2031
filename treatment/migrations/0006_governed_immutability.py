"""Published and retired guidelines and their recommendations refuse INSERT, UPDATE and DELETE.

Replaces the UPDATE-only triggers of migration 0004: a superuser could delete the
recommendations of a published guideline. See governance.triggers.
"""

from __future__ import annotations

from django.db import migrations

from governance.triggers import (
    drop_triggers,
    install_child_triggers,
    install_version_triggers,
)

OLD = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS treatment_recommendation_immutable_update",
        "DROP TRIGGER IF EXISTS treatment_guideline_immutable_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS treatment_recommendation_immutable ON treatment_recommendation",
        "DROP FUNCTION IF EXISTS treatment_recommendation_immutable()",
        "DROP TRIGGER IF EXISTS treatment_guideline_immutable ON treatment_guideline",
        "DROP FUNCTION IF EXISTS treatment_guideline_immutable()",
    ],
}


def install(apps, schema_editor):
    for statement in OLD.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    install_version_triggers(schema_editor, table="treatment_guideline", lineage=("slug",))
    install_child_triggers(
        schema_editor,
        table="treatment_recommendation",
        parent="treatment_guideline",
        parent_column="guideline_id",
    )


def uninstall(apps, schema_editor):
    drop_triggers(schema_editor, table="treatment_recommendation")
    drop_triggers(schema_editor, table="treatment_guideline")


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0005_content_roles_can_view"),
        ("governance", "0001_purge_permit"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
