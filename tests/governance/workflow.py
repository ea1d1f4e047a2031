"""Short calls of the governance actions for tests: each runs one action's ``execute()``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from governance.actions import (
    CreateDraft,
    EditDraft,
    Publish,
    RefreshDraft,
    ReturnToDraft,
    SubmitForReview,
    version_document_yaml,
)
from governance.kinds import kind_named, kind_of


def draft_create(kind: str, key: str, *, user: User) -> Any:
    return CreateDraft(kind_named(kind), key, user=user).execute()


def draft_edit(version: Any, *, user: User, document_yaml: str, reason: str) -> Any:
    return EditDraft(version, user=user, document_yaml=document_yaml, reason=reason).execute()


def submit(version: Any, *, user: User) -> Any:
    return SubmitForReview(version, user=user).execute()


def refresh(version: Any, *, user: User) -> Any:
    return RefreshDraft(version, user=user).execute()


def return_to_draft(version: Any, *, user: User, reason: str) -> Any:
    return ReturnToDraft(version, user=user, reason=reason).execute()


def publish(version: Any, *, user: User, reason: str) -> Any:
    return Publish(version, user=user, reason=reason).execute()


def document_yaml(version: Any, *, checked: bool = True) -> str:
    """The version's YAML; ``checked`` records a checker and review date if it has none."""
    text = version_document_yaml(version)
    if checked and not version.checked_by:
        text = text.replace("checked_by: null", "checked_by: Test pharmacist")
        text = text.replace("date_reviewed: null", "date_reviewed: 2026-11-02")
    return text


def validation_problems(version: Any) -> tuple[str, ...]:
    return tuple(kind_of(version).validate(version))
