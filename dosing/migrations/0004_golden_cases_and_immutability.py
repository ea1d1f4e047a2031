"""Store the golden cases with the shipped versions; make published content immutable in the DB.

The triggers refuse any UPDATE that changes a published or retired version other than
retiring it — whatever code (or SQL console) tries it. Deletion is refused by the admin and by
the plans' PROTECT foreign key (a trigger on DELETE would also block the test database flush).
"""

from __future__ import annotations

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER dosing_regimenversion_immutable_update
    BEFORE UPDATE ON dosing_regimenversion
    WHEN OLD.status IN ('published', 'retired') AND (
        NEW.definition IS NOT OLD.definition OR NEW.number IS NOT OLD.number
        OR NEW.regimen_id IS NOT OLD.regimen_id OR NEW.verification IS NOT OLD.verification
        OR NEW.source IS NOT OLD.source OR NEW.golden_cases IS NOT OLD.golden_cases
        OR NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'retired'))
    )
    BEGIN
        SELECT RAISE(ABORT, 'published regimen versions are immutable');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS dosing_regimenversion_immutable_update",
]

POSTGRES = [
    """
    CREATE FUNCTION dosing_regimenversion_immutable() RETURNS trigger AS $$
    BEGIN
        IF OLD.status IN ('published', 'retired') THEN
            IF NEW.definition::text IS DISTINCT FROM OLD.definition::text
               OR NEW.number IS DISTINCT FROM OLD.number
               OR NEW.regimen_id IS DISTINCT FROM OLD.regimen_id
               OR NEW.verification IS DISTINCT FROM OLD.verification
               OR NEW.source IS DISTINCT FROM OLD.source
               OR NEW.golden_cases::text IS DISTINCT FROM OLD.golden_cases::text
               OR NOT (NEW.status = OLD.status
                       OR (OLD.status = 'published' AND NEW.status = 'retired')) THEN
                RAISE EXCEPTION 'published regimen versions are immutable';
            END IF;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER dosing_regimenversion_immutable
    BEFORE UPDATE ON dosing_regimenversion
    FOR EACH ROW EXECUTE FUNCTION dosing_regimenversion_immutable()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS dosing_regimenversion_immutable ON dosing_regimenversion",
    "DROP FUNCTION IF EXISTS dosing_regimenversion_immutable()",
]


def fill_golden_cases(apps, schema_editor):
    from dosing.content import golden_cases

    version_model = apps.get_model("dosing", "RegimenVersion")
    for version in version_model.objects.filter(golden_cases=[]).select_related("regimen"):
        cases = golden_cases(version.regimen.slug)
        if cases and version.status == "published":
            # Runs before the triggers exist: the shipped versions get their cases once.
            version.golden_cases = cases
            version.save(update_fields=["golden_cases"])


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("dosing", "0003_governance")]

    operations = [
        migrations.RunPython(fill_golden_cases, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
