"""A plan belongs to its creator's team (empty when the creator has none)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_teams"),
        ("dosing", "0005_content_roles_can_view"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaltreatmentplan",
            name="team",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The creator's team when the plan was started; only its members read the plan. Empty when the creator had no team: then only the creator reads it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.team",
                verbose_name="team",
            ),
        ),
        migrations.AddField(
            model_name="treatmentplan",
            name="team",
            field=models.ForeignKey(
                blank=True,
                help_text="The creator's team when the plan was started; only its members read the plan. Empty when the creator had no team: then only the creator reads it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="accounts.team",
                verbose_name="team",
            ),
        ),
    ]
