"""Create one demo user per role for a local trial of the app. Never for production."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import demo_users_create


class Command(BaseCommand):
    help = (
        'Create demo users (clinician, editor, approver) in the team "Demo haematology" '
        "and print their passwords once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Give every demo user a new password."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo users are refused when DJANGO_PRODUCTION is set.")
        logins = demo_users_create(reset=options["reset"])
        if not logins:
            self.stdout.write(
                "Demo users exist already. New passwords: "
                "python manage.py create_demo_users --reset"
            )
            return
        self.stdout.write(self.style.WARNING("Demo logins (shown once, for a local trial only):"))
        for login in logins:
            self.stdout.write(
                f"  {login.role:<17} username: {login.username:<10} password: {login.password}"
            )
