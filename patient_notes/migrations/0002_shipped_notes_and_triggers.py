"""Patient and staff notes are governed content: immutability triggers, the shipped notes
(content/patient_notes/*.yaml) published as version 1 of each lineage, and content editors and
approvers may view them and their history in the admin. See governance.triggers."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from governance.triggers import drop_triggers, install_version_triggers

TABLE = "patient_notes_patientnoteversion"
ROLES = ("content editor", "content approver")


def install(apps, schema_editor):
    install_version_triggers(schema_editor, table=TABLE, lineage=("key",))


def uninstall(apps, schema_editor):
    drop_triggers(schema_editor, table=TABLE)


def publish_shipped(apps, schema_editor):
    from patient_notes.content import patient_notes_load

    patient_notes_load(
        note_model=apps.get_model("patient_notes", "PatientNoteVersion"), now=timezone.now()
    )


def grant_view(apps, schema_editor):
    # Permissions are normally created after migrate; create this app's now (Django's recipe).
    app_config = apps.get_app_config("patient_notes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    permissions = permission_model.objects.filter(
        content_type__app_label="patient_notes", codename="view_patientnoteversion"
    )
    for name in ROLES:
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("patient_notes", "0001_governed_notes"),
        ("governance", "0001_purge_permit"),
        ("accounts", "0001_roles"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
        migrations.RunPython(publish_shipped, migrations.RunPython.noop),
        migrations.RunPython(grant_view, migrations.RunPython.noop),
    ]
