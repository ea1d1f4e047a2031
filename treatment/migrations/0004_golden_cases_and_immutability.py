"""Store the golden cases with the shipped guidelines; make published content immutable in the DB.

The triggers refuse any UPDATE that changes a published or retired guideline other than retiring
it, and any UPDATE of a recommendation that belongs (or would move) to a published or retired
guideline — whatever code (or SQL console) tries it. Deletion is refused by the admin and by the
recommendations' PROTECT foreign key (a trigger on DELETE would also block the test database
flush).
"""

from __future__ import annotations

from django.db import migrations

_LOCKED_SQLITE = (
    "EXISTS (SELECT 1 FROM treatment_guideline g WHERE g.id = {row}.guideline_id "
    "AND g.status IN ('published', 'retired'))"
)

SQLITE = [
    """
    CREATE TRIGGER treatment_guideline_immutable_update
    BEFORE UPDATE ON treatment_guideline
    WHEN OLD.status IN ('published', 'retired') AND (
        NEW.slug IS NOT OLD.slug OR NEW.name IS NOT OLD.name OR NEW.version IS NOT OLD.version
        OR NEW.source IS NOT OLD.source OR NEW.author IS NOT OLD.author
        OR NEW.checker IS NOT OLD.checker OR NEW.setting_notes IS NOT OLD.setting_notes
        OR NEW.golden_cases IS NOT OLD.golden_cases
        OR NOT (NEW.status = OLD.status OR (OLD.status = 'published' AND NEW.status = 'retired'))
    )
    BEGIN
        SELECT RAISE(ABORT, 'published guidelines are immutable');
    END
    """,
    f"""
    CREATE TRIGGER treatment_recommendation_immutable_update
    BEFORE UPDATE ON treatment_recommendation
    WHEN {_LOCKED_SQLITE.format(row="OLD")} OR {_LOCKED_SQLITE.format(row="NEW")}
    BEGIN
        SELECT RAISE(ABORT, 'recommendations of a published guideline are immutable');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS treatment_recommendation_immutable_update",
    "DROP TRIGGER IF EXISTS treatment_guideline_immutable_update",
]

POSTGRES = [
    """
    CREATE FUNCTION treatment_guideline_immutable() RETURNS trigger AS $$
    BEGIN
        IF OLD.status IN ('published', 'retired') THEN
            IF NEW.slug IS DISTINCT FROM OLD.slug
               OR NEW.name IS DISTINCT FROM OLD.name
               OR NEW.version IS DISTINCT FROM OLD.version
               OR NEW.source IS DISTINCT FROM OLD.source
               OR NEW.author IS DISTINCT FROM OLD.author
               OR NEW.checker IS DISTINCT FROM OLD.checker
               OR NEW.setting_notes::text IS DISTINCT FROM OLD.setting_notes::text
               OR NEW.golden_cases::text IS DISTINCT FROM OLD.golden_cases::text
               OR NOT (NEW.status = OLD.status
                       OR (OLD.status = 'published' AND NEW.status = 'retired')) THEN
                RAISE EXCEPTION 'published guidelines are immutable';
            END IF;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER treatment_guideline_immutable
    BEFORE UPDATE ON treatment_guideline
    FOR EACH ROW EXECUTE FUNCTION treatment_guideline_immutable()
    """,
    """
    CREATE FUNCTION treatment_recommendation_immutable() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM treatment_guideline g
                   WHERE g.id IN (OLD.guideline_id, NEW.guideline_id)
                     AND g.status IN ('published', 'retired')) THEN
            RAISE EXCEPTION 'recommendations of a published guideline are immutable';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER treatment_recommendation_immutable
    BEFORE UPDATE ON treatment_recommendation
    FOR EACH ROW EXECUTE FUNCTION treatment_recommendation_immutable()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS treatment_recommendation_immutable ON treatment_recommendation",
    "DROP FUNCTION IF EXISTS treatment_recommendation_immutable()",
    "DROP TRIGGER IF EXISTS treatment_guideline_immutable ON treatment_guideline",
    "DROP FUNCTION IF EXISTS treatment_guideline_immutable()",
]


def fill_golden_cases(apps, schema_editor):
    from treatment.content import golden_cases

    guideline_model = apps.get_model("treatment", "Guideline")
    for guideline in guideline_model.objects.filter(golden_cases=[], status="published"):
        cases = golden_cases(guideline.slug)
        if cases:
            # Runs before the triggers exist: the shipped guidelines get their cases once.
            guideline.golden_cases = cases
            guideline.save(update_fields=["golden_cases"])


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("treatment", "0003_governance")]

    operations = [
        migrations.RunPython(fill_golden_cases, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
