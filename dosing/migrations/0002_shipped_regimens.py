"""Publish the shipped regimens (content/regimens/*.yaml) into every fresh database."""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from dosing.content import content_load

    content_load(
        drug_model=apps.get_model("dosing", "Drug"),
        regimen_model=apps.get_model("dosing", "Regimen"),
        version_model=apps.get_model("dosing", "RegimenVersion"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("dosing", "0001_content_and_plans")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
