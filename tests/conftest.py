"""Shared fixtures: a user per role, logged-in clients; django-axes off unless a test opts in.

Every test starts from the database a fresh migration gives, shipped rule content included:
a transactional test (live server, browser, backup round trip) ends with a flush, after which
``pytest_runtest_teardown`` loads the shipped content again. Under pytest-xdist a worker may
run ordinary tests after transactional ones, so this cannot rely on test order.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from accounts.roles import CLINICIAN, CONTENT_APPROVER, CONTENT_EDITOR

_db_blocker: list[DjangoDbBlocker] = []


@pytest.fixture(autouse=True)
def _axes_off(settings: Settings) -> None:
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _tasks_run_immediately(request: pytest.FixtureRequest, settings: Settings) -> None:
    """Background tasks run where they are enqueued, except in the tests that prove the queue
    (marked ``task_queue``): those use the configured backend (TASKS_BACKEND)."""
    if request.node.get_closest_marker("task_queue") is None:
        settings.TASKS = {
            "default": {
                "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "QUEUES": settings.TASK_QUEUES,
            }
        }


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(django_db_blocker: DjangoDbBlocker) -> None:
    _db_blocker.append(django_db_blocker)


def load_shipped_content() -> None:
    """The content a fresh database gets from its data migrations (idempotent)."""
    from django.utils import timezone

    from costs.content import content_load as costs_content_load
    from costs.models import DrugPrice, ReimbursementNote
    from dosing.content import content_load
    from dosing.models import Drug, Regimen, RegimenVersion
    from followup.models import ToxicityRuleTable
    from followup.toxicity_content import toxicity_content_load
    from patient_notes.content import patient_notes_load
    from patient_notes.models import PatientNoteVersion
    from treatment.content import content_load as guideline_content_load
    from treatment.models import Guideline, Recommendation

    content_load(
        drug_model=Drug, regimen_model=Regimen, version_model=RegimenVersion, now=timezone.now()
    )
    guideline_content_load(
        guideline_model=Guideline, recommendation_model=Recommendation, now=timezone.now()
    )
    costs_content_load(price_model=DrugPrice, note_model=ReimbursementNote, now=timezone.now())
    toxicity_content_load(table_model=ToxicityRuleTable, now=timezone.now())
    patient_notes_load(note_model=PatientNoteVersion, now=timezone.now())


def _flushes_database(item: pytest.Item) -> bool:
    """pytest-django's own test: a transactional test is flushed at its teardown."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transaction = marker is not None and bool(
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return transaction or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    if not (_flushes_database(item) and _db_blocker):
        return (yield)
    from django.db import connection

    from governance.triggers import PERMIT_TABLE, purge_permit_grant, purge_permit_revoke

    # The flush deletes published content, which the database refuses without the permit.
    with _db_blocker[0].unblock():
        purge_permit_grant()
    result = yield
    if nextitem is None:
        # The session's last test: its teardown also destroyed the test database.
        return result
    with _db_blocker[0].unblock():
        if PERMIT_TABLE in connection.introspection.table_names():
            purge_permit_revoke()
            load_shipped_content()
    return result


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
def other_clinician(db: None) -> User:
    """A second clinician, in no team: someone else's plans do not exist for them (404)."""
    return _user_in_role("dr-outside", CLINICIAN)


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
