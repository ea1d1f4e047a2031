"""What django-simple-history records with a row's next save or delete: why, and who.

``HistoricalRecords`` reads the instance attributes ``_change_reason`` and ``_history_user``;
these are the one typed place that sets them (issue 18), instead of assignments the type
checker has to be told to ignore.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model


def history_reason_set(row: Model, reason: str) -> None:
    """The reason recorded in the history entry of ``row``'s next save or delete."""
    vars(row)["_change_reason"] = reason


def history_user_set(row: Model, user: AbstractBaseUser | None) -> None:
    """The user recorded instead of the request's (None: written by the system, no user)."""
    vars(row)["_history_user"] = user
