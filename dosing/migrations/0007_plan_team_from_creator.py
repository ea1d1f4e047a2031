"""Existing plans belong to their creator's team (the team the creator is in now).

Plans of creators without a team keep an empty team: they stay readable by their creator only.
The plans' history rows are left as they were (the audit trail is not rewritten).
"""

from __future__ import annotations

from django.db import migrations
from django.db.models import OuterRef, Subquery


def plans_to_creator_team(apps, schema_editor):
    plan_model = apps.get_model("dosing", "TreatmentPlan")
    membership_model = apps.get_model("accounts", "Membership")
    creator_team = membership_model.objects.filter(user_id=OuterRef("created_by_id")).values(
        "team_id"
    )[:1]
    plan_model.objects.filter(team__isnull=True).update(team_id=Subquery(creator_team))


class Migration(migrations.Migration):
    dependencies = [("dosing", "0006_plan_team"), ("accounts", "0002_teams")]

    operations = [migrations.RunPython(plans_to_creator_team, migrations.RunPython.noop)]
