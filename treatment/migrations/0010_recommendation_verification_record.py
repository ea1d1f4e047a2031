"""Each recommendation keeps its verification record: what or who a verified option was checked
against (``checked_by``) and when (``date_reviewed``), issue 12.

The shipped guideline names a record for every verified option, so a fresh database loads it
here (0002 and 0008 load nothing once the content needs these fields); a database that already
has the guideline gets the changed file as a draft at start-up (published content is never
edited in place). The immutability triggers are dropped first (SQLite cannot rebuild a table
that a trigger names) and installed again after (governance.triggers).
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


def checked_by() -> models.CharField:
    return models.CharField(
        blank=True,
        help_text="What or who a verified option was checked against (its verification record).",
        max_length=200,
        verbose_name="checked by",
    )


def date_reviewed() -> models.DateField:
    return models.DateField(blank=True, null=True, verbose_name="date reviewed")


class Migration(migrations.Migration):
    dependencies = [("treatment", "0009_reason_and_note_length_limit")]

    operations = [
        migrations.RunPython(triggers_drop, migrations.RunPython.noop),
        migrations.AddField("historicalrecommendation", "checked_by", checked_by()),
        migrations.AddField("recommendation", "checked_by", checked_by()),
        migrations.AddField("historicalrecommendation", "date_reviewed", date_reviewed()),
        migrations.AddField("recommendation", "date_reviewed", date_reviewed()),
        migrations.RunPython(triggers_install, migrations.RunPython.noop),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
