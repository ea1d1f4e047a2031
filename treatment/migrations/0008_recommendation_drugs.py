"""Recommendations without a regimen name their drugs; publish the shipped guideline version 2.

Version 2 (content/guidelines/eha-emn-2025.yaml) needs the new field (daratumumab in high-risk
smouldering myeloma lists ``drugs: [daratumumab]``), so the shipped content is loaded here: a
fresh database gets it now (0002 loads nothing once the content needs this field), a database
holding version 1 gets version 2 published and version 1 retired (published content is never
edited in place).

The immutability triggers are dropped first (SQLite cannot rebuild a table that a trigger names)
and installed again after (governance.triggers).
"""

from __future__ import annotations

from django.db import migrations, models
from django.utils import timezone

from governance.triggers import drop_triggers, install_child_triggers, install_version_triggers


def triggers_drop(apps, schema_editor):
    drop_triggers(schema_editor, table="treatment_recommendation")
    drop_triggers(schema_editor, table="treatment_guideline")


def triggers_install(apps, schema_editor):
    install_version_triggers(schema_editor, table="treatment_guideline", lineage=("slug",))
    install_child_triggers(
        schema_editor,
        table="treatment_recommendation",
        parent="treatment_guideline",
        parent_column="guideline_id",
    )


def load(apps, schema_editor):
    from treatment.content import content_load

    content_load(
        guideline_model=apps.get_model("treatment", "Guideline"),
        recommendation_model=apps.get_model("treatment", "Recommendation"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("treatment", "0007_governed_version_fields")]

    operations = [
        migrations.RunPython(triggers_drop, migrations.RunPython.noop),
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
        migrations.RunPython(triggers_install, migrations.RunPython.noop),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
