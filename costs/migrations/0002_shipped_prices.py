"""Load the shipped prices and reimbursement notes (content/prices, content/reimbursement)."""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from costs.content import content_load

    content_load(
        price_model=apps.get_model("costs", "DrugPrice"),
        note_model=apps.get_model("costs", "ReimbursementNote"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("costs", "0001_prices_and_reimbursement")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
