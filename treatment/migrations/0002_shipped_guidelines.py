"""Publish the shipped guideline content (content/guidelines/*.yaml) into every fresh database.

Since the shipped content needs ``Recommendation.drugs``, this loads nothing and 0006 publishes it
(``treatment.content.content_load`` checks the historical model).
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from treatment.content import content_load

    content_load(
        guideline_model=apps.get_model("treatment", "Guideline"),
        recommendation_model=apps.get_model("treatment", "Recommendation"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("treatment", "0001_guideline_content")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
