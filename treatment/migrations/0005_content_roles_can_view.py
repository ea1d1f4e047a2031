"""Content editors and approvers may view guideline content and its history in the admin."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("guideline", "recommendation")
ROLES = ("content editor", "content approver")


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; create treatment's now (Django's recipe).
    app_config = apps.get_app_config("treatment")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    permissions = permission_model.objects.filter(
        content_type__app_label="treatment", codename__in=[f"view_{m}" for m in MODELS]
    )
    for name in ROLES:
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0004_golden_cases_and_immutability"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
