"""Backup and restore round trip: the README's portable procedure loses nothing a plan depends on.

The test runs exactly the documented commands — ``dumpdata`` with ``BACKUP_ARGS``, then into
a migrated database ``restore_backup`` (``flush`` and ``loaddata``) — on whichever database
the suite runs on (SQLite and PostgreSQL in CI). Each command commits on its own, as it does
from the shell, hence a transactional test.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import models
from pypdf import PdfReader

from accounts.roles import CLINICIAN, CONTENT_APPROVER, CONTENT_EDITOR
from dosing.calendar_pdf import plan_calendar_pdf
from dosing.models import ContentStatus, PlanAdjustment, PlanStatus, Regimen, TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import (
    plan_compute,
    plan_create,
    plan_draft_set_patient,
    plan_draft_start,
    plan_reschedule,
)
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

pytestmark = pytest.mark.django_db(transaction=True)

# The flags of the README's "Backup and restore" section. Sessions, django-axes lockout
# state (one hour), the content types and permissions (rebuilt by migrate and flush, and
# referenced by natural keys), the task queue and the stored calendar bodies (rendered again
# on demand; django_rq has only a dashboard placeholder) are not backed up; users, groups,
# content, its history, plans and the admin log are.
BACKUP_ARGS = (
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=axes",
    "--exclude=django_tasks_database",
    "--exclude=django_rq",
    "--exclude=dosing.calendarbody",
    "--format=yaml",
)
NOT_BACKED_UP = {"contenttypes", "sessions", "axes", "django_tasks_database", "django_rq"}

PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
# Moderate renal impairment: lenalidomide's renal band changes the doses.
RENAL_PATIENT: dict[str, Any] = {
    "age_years": 77,
    "sex": "female",
    "weight_kg": 58.5,
    "height_cm": 161,
    "creatinine": {"value": 150, "unit": "umol/L"},
    "on_dialysis": False,
    "measured_on": "2026-02-02",
}
# Rows that a restore may number differently; they are matched by their natural keys.
NATURAL_PRIMARY = (User, Group, Permission, ContentType)
PRINTED_AT = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password="a-long-test-password-1")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _build_clinic() -> list[TreatmentPlan]:
    """Plans over several regimens, recorded adjustments, a content change and an admin log."""
    doctor = _user("dr-backup", CLINICIAN)
    other = _user("dr-other", CLINICIAN)
    editor = _user("editor-backup", CONTENT_EDITOR)
    approver = _user("approver-backup", CONTENT_APPROVER)

    rescheduled = plan_create(
        user=doctor,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )
    plan_reschedule(
        plan=rescheduled,
        user=doctor,
        drug="isatuximab",
        planned_date=dt.date(2026, 1, 19),
        actual_date=dt.date(2026, 1, 21),
        scope="drug",
        reason="Infusion chair unavailable",
    )
    plan_reschedule(
        plan=rescheduled,
        user=other,
        drug="pomalidomide",
        planned_date=dt.date(2026, 2, 3),
        actual_date=None,
        scope="cycle",
        reason="Neutropenia",
    )
    pending = plan_create(
        user=other,
        version=regimen_version_published(slug="d-vrd"),
        patient=RENAL_PATIENT,
        start_date=dt.date(2026, 2, 2),
        cycles=3,
        patient_reference="MM-0107",
    )
    renal = plan_create(
        user=doctor,
        version=regimen_version_published(slug="drd"),
        patient=RENAL_PATIENT,
        start_date=dt.date(2026, 2, 9),
        cycles=2,
    )

    # A content change through the four-eyes workflow: isa-pd v1 retires, v2 is published.
    regimen = Regimen.objects.get(slug="isa-pd")
    draft = draft_create("regimens", regimen.slug, user=editor)
    definition = {
        **yaml.safe_load(document_yaml(draft)),
        "notes": ["Restored from backup without loss."],
    }
    draft_edit(
        draft,
        user=editor,
        document_yaml=yaml.safe_dump(definition, allow_unicode=True),
        reason="Add a note",
    )
    submit(draft, user=editor)
    publish(draft, user=approver, reason="Pharmacy review done")
    on_v2 = plan_create(
        user=doctor,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 3, 2),
        cycles=1,
        patient_reference="MM-0042",
    )
    wizard = plan_draft_start(user=doctor, version=regimen_version_published(slug="dkd"))
    plan_draft_set_patient(plan=wizard, patient=PATIENT)
    LogEntry.objects.create(
        user=approver,
        content_type=ContentType.objects.get_for_model(Regimen),
        object_id=str(regimen.pk),
        object_repr=str(regimen),
        action_flag=CHANGE,
        change_message="Checked after publishing",
    )
    return [rescheduled, pending, renal, on_v2]


def _natural(model: type[models.Model], pk: Any) -> Any:
    """What a row is across databases: usernames, group names, permission and type labels."""
    if pk is None or model not in NATURAL_PRIMARY:
        return pk
    return model._default_manager.get(pk=pk).natural_key()  # type: ignore[attr-defined]


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every backed-up row, every field (exact datetimes, JSON, M2M), in primary-key order."""
    snapshot: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in NOT_BACKED_UP or meta.label in {
            "auth.Permission",
            "dosing.CalendarBody",
        }:
            continue
        rows = []
        for obj in model._default_manager.order_by("pk"):
            row: dict[str, Any] = {}
            for field in meta.concrete_fields:
                value = getattr(obj, field.attname)
                if field.primary_key and model in NATURAL_PRIMARY:
                    continue  # natural primary keys: a restore may number them differently
                if field.is_relation:
                    value = _natural(field.related_model, value)  # type: ignore[arg-type]
                row[field.name] = value
            for field in meta.many_to_many:
                related = getattr(obj, field.name).all()
                row[field.name] = sorted(
                    str(_natural(field.related_model, r.pk))  # type: ignore[arg-type]
                    for r in related
                )
            rows.append(row)
        snapshot[meta.label] = rows
    return snapshot


def _pdf_text(plan: TreatmentPlan) -> str:
    with time_machine.travel(PRINTED_AT, tick=False):
        pdf = plan_calendar_pdf(plan=plan, language="en", patient_name="Jane Example")
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _plan_view(plan: TreatmentPlan) -> dict[str, Any]:
    plan = TreatmentPlan.objects.select_related("regimen_version__regimen").get(pk=plan.pk)
    return {
        "regimen_version": (plan.regimen_version.regimen.slug, plan.regimen_version.number),
        "computed": plan.computed,
        "administrations": [
            (adm["date"], adm["drug"], adm.get("dose_mg"), adm.get("dose"))
            for adm in plan.computed["administrations"]
        ],
        "adjustments": [
            (a.drug, a.planned_date, a.actual_date, a.scope, a.reason, a.recorded_by.username)
            for a in plan.adjustments.select_related("recorded_by")
        ],
        "pdf": _pdf_text(plan),
    }


def _backup(path: Path) -> str:
    call_command("dumpdata", *BACKUP_ARGS, output=str(path), verbosity=0)
    return path.read_text(encoding="utf-8")


def test_backup_restores_every_plan_identically(tmp_path: Path) -> None:
    """Export, empty the database, restore: rows, snapshots, adjustments and PDFs are the same."""
    plans = _build_clinic()
    before = {plan.pk: _plan_view(plan) for plan in plans}
    rows_before = _snapshot()
    dump = _backup(tmp_path / "backup.yaml")

    call_command("restore_backup", str(tmp_path / "backup.yaml"), verbosity=0)

    # The non-trivial parts of the data are really there, then all of it is identical.
    assert len(rows_before["dosing.TreatmentPlan"]) == 5
    assert len(rows_before["dosing.PlanAdjustment"]) == 2
    assert len(rows_before["dosing.HistoricalRegimenVersion"]) >= 4
    assert len(rows_before["admin.LogEntry"]) == 1
    assert any(r["verification"] == "pending" for r in rows_before["dosing.RegimenVersion"])
    assert "MM-0042" in before[plans[0].pk]["pdf"]
    assert "pending verification" in before[plans[1].pk]["pdf"].lower()
    assert _snapshot() == rows_before
    assert {plan.pk: _plan_view(plan) for plan in plans} == before
    # A second backup of the restored database is the first one, byte for byte.
    assert _backup(tmp_path / "again.yaml") == dump


def test_restored_plans_recompute_and_keep_working(tmp_path: Path) -> None:
    """After a restore the pinned content still gives each snapshot, and new rows can be added.

    Recomputing from the restored version, inputs and adjustments proves the adjustments came
    back in their order; adding rows proves the restore reset PostgreSQL's sequences.
    """
    plans = _build_clinic()
    _backup(tmp_path / "backup.yaml")
    call_command("restore_backup", str(tmp_path / "backup.yaml"), verbosity=0)

    for plan in TreatmentPlan.objects.filter(status=PlanStatus.SAVED):
        assert plan.start_date is not None and plan.cycles is not None
        recomputed = plan_compute(
            version=plan.regimen_version,
            patient=plan.patient,
            start_date=plan.start_date,
            cycles=plan.cycles,
            adjustments=[a.as_dict() for a in plan.adjustments.all()],
        )
        assert recomputed == plan.computed, plan.patient_reference

    old = TreatmentPlan.objects.get(pk=plans[0].pk)
    assert old.regimen_version.status == ContentStatus.RETIRED
    assert old.history.count() == 3
    doctor = User.objects.get(username="dr-backup")
    assert doctor.check_password("a-long-test-password-1")
    assert list(doctor.groups.values_list("name", flat=True)) == [CLINICIAN]
    adjustments_before = PlanAdjustment.objects.count()
    plan_reschedule(
        plan=old,
        user=doctor,
        drug="isatuximab",
        planned_date=dt.date(2026, 2, 18),  # C2D15, two days later since the first delay
        actual_date=dt.date(2026, 2, 19),
        scope="drug",
    )
    assert PlanAdjustment.objects.count() == adjustments_before + 1
    editor = User.objects.get(username="editor-backup")
    draft = draft_create("regimens", Regimen.objects.get(slug="isa-pd").slug, user=editor)
    assert (draft.number, draft.status) == (3, ContentStatus.DRAFT)
