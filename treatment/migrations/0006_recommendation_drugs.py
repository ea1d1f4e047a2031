"""Recommendations without a regimen name their drugs; publish the shipped guideline version 2.

Version 2 (content/guidelines/eha-emn-2025.yaml) needs the new field (daratumumab in high-risk
smouldering myeloma lists ``drugs: [daratumumab]``), so the shipped content is loaded here: a
fresh database gets it now (0002 loads nothing once the content needs this field), a database
holding version 1 gets version 2 published and version 1 retired (published content is never
edited in place).

SQLite adds the column by rebuilding the table, which drops its triggers: the immutability
triggers of 0004 are created again (PostgreSQL keeps them).
"""

from __future__ import annotations

from importlib import import_module

from django.db import migrations, models
from django.utils import timezone

_IMMUTABILITY = import_module("treatment.migrations.0004_golden_cases_and_immutability")


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in (*_IMMUTABILITY.SQLITE_REVERSE, *_IMMUTABILITY.SQLITE):
        schema_editor.execute(statement)


def load(apps, schema_editor):
    from treatment.content import content_load

    content_load(
        guideline_model=apps.get_model("treatment", "Guideline"),
        recommendation_model=apps.get_model("treatment", "Recommendation"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("treatment", "0005_content_roles_can_view")]

    operations = [
        migrations.AddField(
            model_name="historicalrecommendation",
            name="drugs",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    "Only without a regimen: the option's drugs (lower-case INNs), so that it is "
                    "never offered for disease refractory to one of them."
                ),
                verbose_name="drugs",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="drugs",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    "Only without a regimen: the option's drugs (lower-case INNs), so that it is "
                    "never offered for disease refractory to one of them."
                ),
                verbose_name="drugs",
            ),
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
