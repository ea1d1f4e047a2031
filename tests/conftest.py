"""Shared fixtures: a user per role, logged-in clients; django-axes off unless a test opts in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django.fixtures import Settings

from accounts.roles import CLINICIAN, CONTENT_APPROVER, CONTENT_EDITOR


@pytest.fixture(autouse=True)
def _axes_off(settings: Settings) -> None:
    settings.AXES_ENABLED = False


def _user_in_role(username: str, role: str, *, is_staff: bool = False) -> User:
    user = User.objects.create_user(username=username, password="a-long-test-password-1")
    user.is_staff = is_staff
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def clinician(db: None) -> User:
    return _user_in_role("dr-test", CLINICIAN)


@pytest.fixture
def editor(db: None) -> User:
    return _user_in_role("editor-test", CONTENT_EDITOR, is_staff=True)


@pytest.fixture
def approver(db: None) -> User:
    return _user_in_role("approver-test", CONTENT_APPROVER, is_staff=True)


@pytest.fixture
def clinician_client(client: Client, clinician: User) -> Client:
    client.force_login(clinician)
    return client
