"""Reads for accounts: a user's team."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from accounts.models import Team


def user_team(*, user: AbstractBaseUser | AnonymousUser) -> Team | None:
    """The user's team, or None (no team, or not logged in)."""
    if not user.is_authenticated:
        return None
    return Team.objects.filter(memberships__user_id=user.pk).first()
