"""The admin is a read-only window on governed content for every user, superusers included.

Every admin form (add, change, delete, history, history form, history revert) of every content
model is POSTed by every role; no content row and no history row may change.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model
from django.forms import modelform_factory
from django.test import Client
from django.urls import reverse

from treatment.models import Guideline

pytestmark = pytest.mark.django_db

# Plans and teams keep their working admin; everything else registered by these apps is content.
CONTENT_APPS = {"dosing", "treatment", "governance", "followup", "costs", "patient_notes"}
NOT_CONTENT = {"treatmentplan", "doserecord"}
EXPECTED = {
    "drug",
    "regimen",
    "regimenversion",
    "guideline",
    "recommendation",
    "toxicityruletable",
    "drugprice",
    "reimbursementnote",
    "patientnoteversion",
}


def _content_models() -> list[type[Model]]:
    return [
        model
        for model in admin.site._registry
        if model._meta.app_label in CONTENT_APPS and model._meta.model_name not in NOT_CONTENT
    ]


def _snapshot() -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for model in _content_models():
        tables[model._meta.label] = json.dumps(
            list(model._default_manager.order_by("pk").values()), default=str, sort_keys=True
        )
        history = getattr(model, "history", None)
        if history is not None:
            tables[f"{model._meta.label} history"] = history.count()
    return tables


def _form_data(model: type[Model], obj: Model) -> dict[str, Any]:
    """Valid-looking data for the object, with every text field changed."""
    form = modelform_factory(model, fields="__all__")(instance=obj)
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        if (
            isinstance(value, str)
            and name not in {"status", "verification", "setting", "basis", "slug", "key", "inn"}
            and not value.startswith(("{", "["))
        ):
            value = f"{value} CHANGED IN ADMIN"
        data[name] = value
    return data


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("root-test", password="a-long-test-password-1")


@pytest.mark.parametrize("role", ["editor", "approver", "clinician", "superuser"])
def test_no_admin_form_saves_content(role: str, request: pytest.FixtureRequest) -> None:
    models = _content_models()
    assert {m._meta.model_name for m in models} >= EXPECTED
    published = Guideline.objects.get(status="published")
    user: User = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    for model in models:
        history = model.history  # type: ignore[attr-defined]
        for row in model._default_manager.all():
            if not history.filter(id=row.pk).exists():  # shipped rows have no history row yet
                history.bulk_history_create([row])
    before = _snapshot()
    for model in models:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = model._default_manager.order_by("pk").first()
        assert first is not None, model
        data = _form_data(model, first)
        history_id = model.history.filter(id=first.pk).first().history_id  # type: ignore[attr-defined]
        urls = [
            reverse(f"{prefix}_add"),
            reverse(f"{prefix}_change", args=[first.pk]),
            reverse(f"{prefix}_delete", args=[first.pk]),
            reverse(f"{prefix}_history", args=[first.pk]),
            reverse(f"{prefix}_simple_history", args=[first.pk, history_id]),
        ]
        for url in urls:
            client.post(url, data)
        revert = reverse(f"{prefix}_simple_history", args=[first.pk, history_id])
        client.post(revert, {**data, "_change_history": "1"})
        delete = reverse(f"{prefix}_delete", args=[first.pk])
        client.post(delete, {"post": "yes"})
        changelist = reverse(f"{prefix}_changelist")
        client.post(
            changelist, {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"}
        )
    assert _snapshot() == before
    published.refresh_from_db()
    assert published.status == "published"


def test_history_revert_is_disabled() -> None:
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
