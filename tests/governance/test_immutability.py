"""Published and retired versions and their child rows refuse INSERT, UPDATE and DELETE.

Every column is tried, through the ORM's plain UPDATE (what the admin, a shell or any other code
would do): the database triggers refuse them on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, models, transaction
from django.db.models import Model
from django.utils import timezone

from costs.models import DrugPrice, ReimbursementNote
from dosing.models import Regimen, RegimenVersion
from followup.models import ToxicityRuleTable
from patient_notes.models import PatientNoteVersion
from treatment.models import Guideline, Recommendation

pytestmark = pytest.mark.django_db


def _other_value(row: Model, field: models.Field[Any, Any], stranger: User) -> Any:
    """A value different from the row's for this column."""
    value = getattr(row, field.attname)
    if isinstance(field, models.ForeignKey):
        if field.related_model is User:
            return stranger.pk
        related = field.related_model
        assert not isinstance(related, str)
        other = related._default_manager.exclude(pk=value).first()
        return other.pk if other is not None else value + 1000
    if isinstance(field, models.JSONField):
        return {"changed": True}
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) - dt.timedelta(days=3)
    if isinstance(field, models.DateField):
        return (value or dt.date(2026, 1, 1)) - dt.timedelta(days=3)
    if isinstance(field, (models.IntegerField, models.PositiveIntegerField)):
        return value + 1000
    if isinstance(field, models.BooleanField):
        return not value
    if field.choices:
        return next(choice for choice, _label in field.choices if choice != value)
    return f"{value}-changed"


def _every_column_refused(row: Model, stranger: User) -> list[str]:
    """Names of the columns an UPDATE could change (must be empty)."""
    model = type(row)
    changed = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        new = _other_value(row, field, stranger)
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=row.pk).update(**{field.attname: new})
        except DatabaseError:
            continue
        changed.append(field.name)
    return changed


@pytest.fixture
def stranger(db: None) -> User:
    return User.objects.create_user("stranger", password="a-long-test-password-1")


def test_published_regimen_version_refuses_every_change(stranger: User) -> None:
    published = RegimenVersion.objects.filter(status="published").first()
    assert published is not None
    assert _every_column_refused(published, stranger) == []
    with pytest.raises(DatabaseError), transaction.atomic():
        RegimenVersion.objects.filter(pk=published.pk).delete()
    assert RegimenVersion.objects.filter(pk=published.pk, status="published").exists()


def test_published_toxicity_rule_table_refuses_every_change(stranger: User) -> None:
    published = ToxicityRuleTable.objects.get(key="ctcae-5.0", status="published")
    assert _every_column_refused(published, stranger) == []
    with pytest.raises(DatabaseError), transaction.atomic():
        ToxicityRuleTable.objects.filter(pk=published.pk).delete()
    fields = {
        f.attname: getattr(published, f.attname)
        for f in ToxicityRuleTable._meta.concrete_fields
        if f.name not in ("id", "number")
    }
    with pytest.raises(DatabaseError), transaction.atomic():
        ToxicityRuleTable.objects.create(**{**fields, "number": 9, "status": "retired"})
    assert ToxicityRuleTable.objects.filter(pk=published.pk, status="published").exists()


def test_published_patient_note_refuses_every_change(stranger: User) -> None:
    published = PatientNoteVersion.objects.get(key="isatuximab-blood-tests", status="published")
    assert _every_column_refused(published, stranger) == []
    with pytest.raises(DatabaseError), transaction.atomic():
        PatientNoteVersion.objects.filter(pk=published.pk).delete()
    fields = {
        f.attname: getattr(published, f.attname)
        for f in PatientNoteVersion._meta.concrete_fields
        if f.name not in ("id", "number")
    }
    with pytest.raises(DatabaseError), transaction.atomic():
        PatientNoteVersion.objects.create(**{**fields, "number": 9, "status": "retired"})
    assert PatientNoteVersion.objects.filter(pk=published.pk, status="published").exists()


def test_published_price_list_refuses_every_change(stranger: User) -> None:
    published = DrugPrice.objects.get(key="isatuximab-NO", status="published")
    assert _every_column_refused(published, stranger) == []
    with pytest.raises(DatabaseError), transaction.atomic():
        DrugPrice.objects.filter(pk=published.pk).delete()
    assert DrugPrice.objects.filter(pk=published.pk, status="published").exists()


def test_published_reimbursement_note_refuses_every_change(stranger: User) -> None:
    published = ReimbursementNote.objects.get(key="isatuximab-NO", status="published")
    assert _every_column_refused(published, stranger) == []
    with pytest.raises(DatabaseError), transaction.atomic():
        ReimbursementNote.objects.filter(pk=published.pk).delete()
    assert ReimbursementNote.objects.filter(pk=published.pk, status="published").exists()


def test_published_guideline_and_its_recommendations_refuse_every_change(
    stranger: User,
) -> None:
    published = Guideline.objects.get(status="published")
    assert _every_column_refused(published, stranger) == []
    recommendation = published.recommendations.first()
    assert recommendation is not None
    assert _every_column_refused(recommendation, stranger) == []
    with pytest.raises(DatabaseError), transaction.atomic():
        Recommendation.objects.filter(pk=recommendation.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Guideline.objects.filter(pk=published.pk).delete()
    fields = {
        f.name: getattr(recommendation, f.name)
        for f in Recommendation._meta.concrete_fields
        if f.name not in ("id", "guideline")
    }
    with pytest.raises(DatabaseError), transaction.atomic():
        Recommendation.objects.create(guideline=published, **{**fields, "key": "inserted"})
    assert published.recommendations.filter(pk=recommendation.pk).exists()
    assert not published.recommendations.filter(key="inserted").exists()


def test_a_published_version_cannot_be_inserted_into_an_existing_lineage() -> None:
    published = RegimenVersion.objects.filter(status="published").first()
    assert published is not None
    fields = {
        f.attname: getattr(published, f.attname)
        for f in RegimenVersion._meta.concrete_fields
        if f.name not in ("id", "number")
    }
    with pytest.raises(DatabaseError), transaction.atomic():
        RegimenVersion.objects.create(
            **{**fields, "number": published.number + 5, "status": "retired"}
        )


def test_a_draft_cannot_jump_to_published_or_retired() -> None:
    regimen = Regimen.objects.get(slug="isa-pd")
    base = regimen.versions.get(status="published")
    fields = {
        f.attname: getattr(base, f.attname)
        for f in RegimenVersion._meta.concrete_fields
        if f.name not in ("id", "number", "status", "published_at")
    }
    draft = RegimenVersion.objects.create(**fields, number=base.number + 1, status="draft")
    with pytest.raises(DatabaseError), transaction.atomic():
        RegimenVersion.objects.filter(pk=draft.pk).update(
            status="retired", published_at=timezone.now()
        )
    # Retiring the published version is the one change it accepts.
    RegimenVersion.objects.filter(pk=base.pk).update(status="retired")
    with pytest.raises(DatabaseError), transaction.atomic():
        RegimenVersion.objects.filter(pk=draft.pk).update(
            status="published", published_at=timezone.now()
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        RegimenVersion.objects.filter(pk=base.pk).update(status="published")
