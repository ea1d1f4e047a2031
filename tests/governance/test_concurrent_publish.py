"""Two approvers publish sibling drafts of one regimen at the same moment: exactly one wins.

Real threads with their own database connections (a transactional test), on whichever database
the suite runs on (SQLite and PostgreSQL in CI). The loser gets a clear error and its approved
change is not silently lost: it stays in review, to be refreshed and reviewed again.
"""

from __future__ import annotations

import threading

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.db import connection

from accounts.roles import CONTENT_APPROVER
from dosing.models import RegimenVersion
from governance.actions import GovernanceError
from governance.models import ContentStatus, Lineage
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "isa-pd"


def _in_review(editor: User, note: str) -> RegimenVersion:
    draft = draft_create("regimens", SLUG, user=editor)
    data = yaml.safe_load(document_yaml(draft))
    data["notes"] = [note]
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(data), reason=note)
    return submit(draft, user=editor)


def test_two_concurrent_publishers_one_wins_the_other_is_told(editor: User, approver: User) -> None:
    second_approver = User.objects.create_user("approver-two", password="a-long-test-password-1")
    second_approver.groups.add(Group.objects.get(name=CONTENT_APPROVER))
    first = _in_review(editor, "First change.")
    second = _in_review(editor, "Second change.")
    # What the lineage has counted so far depends on how the database was filled (migration or a
    # reload after a flush): exactly one more publication must be counted.
    counted = Lineage.objects.get(kind="regimens", key=SLUG).published_count
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name: str, version: RegimenVersion, user: User) -> None:
        try:
            barrier.wait(timeout=10)
            publish(version, user=user, reason=f"{name} approved")
            outcomes[name] = "published"
        except GovernanceError as error:
            outcomes[name] = error.message
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first, approver)),
        threading.Thread(target=run, args=("second", second, second_approver)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["first", "second"]
    winners = [name for name, outcome in outcomes.items() if outcome == "published"]
    assert len(winners) == 1, outcomes
    loser = "second" if winners == ["first"] else "first"
    # PostgreSQL: the loser waits for the lineage lock, then finds its base replaced. SQLite: the
    # loser's IMMEDIATE transaction finds the database locked (the in-memory test database cannot
    # wait for the lock as a file database does) and is told to try again.
    assert (
        "no longer the published version" in outcomes[loser]
        or "being saved at this moment" in outcomes[loser]
    ), outcomes[loser]
    published = RegimenVersion.objects.get(regimen__slug=SLUG, status=ContentStatus.PUBLISHED)
    assert published.pk == (first if winners == ["first"] else second).pk
    loser_version = RegimenVersion.objects.get(pk=(second if winners == ["first"] else first).pk)
    assert loser_version.status == ContentStatus.IN_REVIEW
    assert Lineage.objects.get(kind="regimens", key=SLUG).published_count == counted + 1
