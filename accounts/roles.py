"""The three roles of the clinic, as Django groups (created by a data migration)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

CLINICIAN = "clinician"
CONTENT_EDITOR = "content editor"
CONTENT_APPROVER = "content approver"


def user_has_any_role(user: AbstractBaseUser | AnonymousUser, roles: Iterable[str]) -> bool:
    """Superusers hold every role; anonymous users none."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    groups = getattr(user, "groups", None)
    return groups is not None and groups.filter(name__in=list(roles)).exists()


def user_can_edit_content(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Editors and approvers work in the admin; clinicians never see it."""
    return user_has_any_role(user, (CONTENT_EDITOR, CONTENT_APPROVER))
