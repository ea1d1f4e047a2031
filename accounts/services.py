"""Writes for accounts: demo users for a local trial."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from accounts.models import Membership, Team
from accounts.roles import CLINICIAN, CONTENT_APPROVER, CONTENT_EDITOR

DEMO_USERS = (
    ("clinician", CLINICIAN, False),
    ("editor", CONTENT_EDITOR, True),
    ("approver", CONTENT_APPROVER, True),
)
DEMO_TEAM = "Demo haematology"
DEMO_SITE = "Demo hospital"


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoLogin:
    username: str
    role: str
    password: str


@transaction.atomic
def demo_users_create(*, reset: bool = False) -> list[DemoLogin]:
    """Create the missing demo users (or give all of them new passwords with ``reset``).

    Passwords are random and returned once; they are stored only as hashes. Every demo user is
    in the team "Demo haematology", so they see each other's plans.
    """
    team, _created = Team.objects.get_or_create(name=DEMO_TEAM, defaults={"site": DEMO_SITE})
    logins = []
    for username, role, is_staff in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None or reset:
            password = f"demo-{username}-{secrets.token_hex(4)}"
            if user is None:
                user = User.objects.create_user(username=username, password=password)
            else:
                user.set_password(password)
            user.is_staff = is_staff
            user.save()
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            logins.append(DemoLogin(username=username, role=role, password=password))
        # Also demo users from before teams existed; a team set by staff is kept.
        Membership.objects.get_or_create(user=user, defaults={"team": team})
    return logins
