"""Writes for accounts: demo users for a local trial."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from accounts.roles import CLINICIAN, CONTENT_APPROVER, CONTENT_EDITOR

DEMO_USERS = (
    ("clinician", CLINICIAN, False),
    ("editor", CONTENT_EDITOR, True),
    ("approver", CONTENT_APPROVER, True),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoLogin:
    username: str
    role: str
    password: str


@transaction.atomic
def demo_users_create(*, reset: bool = False) -> list[DemoLogin]:
    """Create the missing demo users (or give all of them new passwords with ``reset``).

    Passwords are random and returned once; they are stored only as hashes.
    """
    logins = []
    for username, role, is_staff in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is not None and not reset:
            continue
        password = f"demo-{username}-{secrets.token_hex(4)}"
        if user is None:
            user = User.objects.create_user(username=username, password=password)
        else:
            user.set_password(password)
        user.is_staff = is_staff
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        logins.append(DemoLogin(username=username, role=role, password=password))
    return logins
